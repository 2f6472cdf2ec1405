"""Recompute each place's chain of issued invoices and name any that was tampered with.

Exit code 0 when every chain is intact, 1 otherwise (for a monitoring timer)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tierslieux.billing.integrity import verify
from tierslieux.billing.models import Invoice
from tierslieux.places.models import Place


class Command(BaseCommand):
    help = "Check the hash chain of issued invoices, per place; exit 1 if any was tampered with."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--place", metavar="SLUG", help="check this place only")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["place"]:
            places = list(Place.objects.filter(slug=options["place"]))
            if not places:
                raise CommandError(f"No place with the slug “{options['place']}”.")
        else:
            ids = Invoice.objects.filter(status=Invoice.Status.ISSUED).values("place_id")
            places = list(Place.objects.filter(pk__in=ids).order_by("slug"))
        tampered = 0
        for place in places:
            report = verify(place)
            if report.intact:
                self.stdout.write(f"{place.slug}: {report.checked} issued invoices, chain intact")
                continue
            tampered += 1
            self.stdout.write(f"{place.slug}: {report.checked} issued invoices, TAMPERED")
            for finding in report.findings:
                self.stdout.write(f"  {finding}")
        if tampered:
            raise CommandError(f"{tampered} place(s) with tampered invoices.", returncode=1)
