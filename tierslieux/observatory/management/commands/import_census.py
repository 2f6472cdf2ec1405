"""Import a census file into a network from the command line (a large file, or a refresh
from a timer): the same dry run and import as the network's import page.

`tierslieux import_census --network SLUG --source bdtfl-2026 FILE --as EMAIL` prints the dry
run's counts and its rejected lines; `--confirm` then imports, all or nothing, in this process.
Exit code 1 on a refusal (a malformed file, an import already under way, a failed import)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from tierslieux.accounts.models import User
from tierslieux.observatory import import_services
from tierslieux.places.models import Network


class Command(BaseCommand):
    help = "Dry-run a census file for a network; --confirm imports it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--network", metavar="SLUG", required=True)
        parser.add_argument("--source", metavar="MAPPING", required=True, help="e.g. bdtfl-2026")
        parser.add_argument(
            "--as", dest="as_user", metavar="EMAIL", required=True, help="an administrator"
        )
        parser.add_argument("--confirm", action="store_true", help="import after the dry run")

    def handle(self, *args: Any, **options: Any) -> None:
        network = Network.objects.filter(slug=options["network"]).first()
        if network is None:
            raise CommandError(f"No network with the slug “{options['network']}”.")
        actor = User.objects.filter(email__iexact=options["as_user"]).first()
        if actor is None:
            raise CommandError(f"No user with the e-mail “{options['as_user']}”.")
        path: Path = options["file"]
        if not path.is_file():
            raise CommandError(f"No file at {path}.")
        with translation.override("en"):
            try:
                self._run(network, actor, path, options)
            except PermissionDenied:
                raise CommandError(f"{actor.email} does not administer {network.slug}.") from None
            except ValidationError as refusal:
                raise CommandError(" ".join(refusal.messages)) from None

    def _run(self, network: Network, actor: User, path: Path, options: dict[str, Any]) -> None:
        uploaded = SimpleUploadedFile(path.name, path.read_bytes())
        census_import = import_services.upload(
            actor=actor, network=network, mapping_name=options["source"], uploaded=uploaded
        )
        counts = census_import.report["counts"]
        self.stdout.write(" ".join(f"{action}={n}" for action, n in counts.items()))
        for line in census_import.report["lines"]:
            if line["action"] == "reject":
                self.stdout.write(f"  line {line['line']}: {'; '.join(line['reasons'])}")
        if not options["confirm"]:
            self.stdout.write("Dry run: nothing imported (add --confirm).")
            return
        census_import, _new = import_services.start(actor=actor, census_import=census_import)
        status = import_services.run(census_import.pk)
        census_import.refresh_from_db()
        if status != "done":
            raise CommandError(f"The import failed: {census_import.error}")
        self.stdout.write(f"Imported (import #{census_import.pk}).")
