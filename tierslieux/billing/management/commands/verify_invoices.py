"""Recompute each place's chains of issued invoices and payments and name anything tampered
with; with `--anchors DIR`, also check them against the latest signed digest there.

Exit code 0 when everything is intact, 1 otherwise (for a monitoring timer)."""

from pathlib import Path
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q

from tierslieux.billing import anchors
from tierslieux.billing.integrity import verify
from tierslieux.billing.models import Invoice, Payment
from tierslieux.places.models import Place


class Command(BaseCommand):
    help = (
        "Check the hash chains of issued invoices and payments, per place (and against the "
        "anchors with --anchors DIR); exit 1 if anything was tampered with."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--place", metavar="SLUG", help="check this place only")
        parser.add_argument(
            "--anchors",
            metavar="DIR",
            nargs="?",
            const="",
            help="also check against the latest digest in DIR (default CHAIN_ANCHOR_DIR)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["place"]:
            places = list(Place.objects.filter(slug=options["place"]))
            if not places:
                raise CommandError(f"No place with the slug “{options['place']}”.")
        else:
            issued = Invoice.objects.filter(status=Invoice.Status.ISSUED).values("place_id")
            paid = Payment.objects.values("place_id")
            places = list(Place.objects.filter(Q(pk__in=issued) | Q(pk__in=paid)).order_by("slug"))
        tampered = 0
        for place in places:
            report = verify(place)
            counts = f"{report.checked} issued invoices"
            if report.payments:
                counts += f", {report.payments} payments"
            if report.intact:
                self.stdout.write(f"{place.slug}: {counts}, chain intact")
                continue
            tampered += 1
            self.stdout.write(f"{place.slug}: {counts}, TAMPERED")
            for finding in report.findings:
                self.stdout.write(f"  {finding}")
        if options["anchors"] is not None:
            tampered += self._anchors(Path(options["anchors"] or anchors.directory()))
        if tampered:
            raise CommandError(f"{tampered} place(s) with tampered records.", returncode=1)

    def _anchors(self, folder: Path) -> int:
        """Every anchored place is checked, whatever `--place` says: cheap, and a removed
        place must be noticed too."""
        try:
            result = anchors.check(folder)
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        findings = result.findings
        name = result.path.name if result.path else str(folder)
        if not findings:
            self.stdout.write(f"anchors ({name}): the chains still hold their anchored heads")
            return 0
        self.stdout.write(f"anchors ({name}): TAMPERED")
        for finding in findings:
            self.stdout.write(f"  {finding}")
        return 1
