"""Write today's signed digest of every place's invoice and payment chain heads to a file
out of the database (nightly, from a timer), and optionally mail it: see
`billing.anchors` and docs/algorithms/numbering.md."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tierslieux.billing import anchors


class Command(BaseCommand):
    help = "Write a signed daily digest of the invoice and payment chain heads (anchors)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dir", metavar="DIR", help="folder (default CHAIN_ANCHOR_DIR)")
        parser.add_argument(
            "--mail", metavar="ADDRESS", action="append", default=[], help="also mail it"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            data = anchors.digest()
        except ImproperlyConfigured as error:
            raise CommandError(str(error)) from error
        folder = Path(options["dir"]) if options["dir"] else anchors.directory()
        path = anchors.write(data, folder)
        if options["mail"]:
            message = EmailMessage(
                subject=f"tierslieux anchor {data['date']}",
                body=f"Chain heads of {data['date']}, signed ({len(data['places'])} places).",
                from_email=settings.DEFAULT_FROM_EMAIL,
                to=options["mail"],
            )
            message.attach(path.name, path.read_text(encoding="utf-8"), "application/json")
            message.send()
        self.stdout.write(f"{path}: {len(data['places'])} places anchored")
