"""Preview a month's bill run for a place, and confirm it with --confirm.

`tierslieux bill_run --place SLUG --month 2026-11` prints what would be invoiced, per
customer, and what would refuse the run; `--confirm --as EMAIL` issues it in the name of a
coordinator of the place (the invoices' audit entries name them). Exit code 1 on refusal.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation

from tierslieux.accounts.models import User
from tierslieux.members.billrun import BillRunPlan
from tierslieux.members.services import billrun
from tierslieux.places.models import Place


def _month(text: str | date) -> date:
    if isinstance(text, date):
        return text.replace(day=1)
    try:
        year, month = (int(part) for part in text.split("-"))
        return date(year, month, 1)
    except ValueError:
        raise CommandError(f"The month is written YYYY-MM, e.g. 2026-11 (not “{text}”).") from None


class Command(BaseCommand):
    help = "Preview a month's bill run of a place; --confirm --as EMAIL issues the invoices."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--place", metavar="SLUG", required=True)
        parser.add_argument("--month", metavar="YYYY-MM", required=True)
        parser.add_argument("--confirm", action="store_true", help="issue the invoices")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="EMAIL",
            help="the coordinator confirming (required with --confirm)",
        )
        parser.add_argument("--issue-date", metavar="YYYY-MM-DD")

    def handle(self, *args: Any, **options: Any) -> None:
        place = Place.objects.filter(slug=options["place"]).first()
        if place is None:
            raise CommandError(f"No place with the slug “{options['place']}”.")
        with translation.override("en"):
            self._run(place, options)

    def _run(self, place: Place, options: dict[str, Any]) -> None:
        month = _month(options["month"])
        issue_date = options["issue_date"]
        if isinstance(issue_date, str):
            try:
                issue_date = date.fromisoformat(issue_date)
            except ValueError:
                raise CommandError(
                    f"The issue date is written YYYY-MM-DD (not “{issue_date}”)."
                ) from None
        planned = billrun.preview(place, month)
        self._print(planned)
        if not options["confirm"]:
            return
        if not options["as_user"]:
            raise CommandError("Name the coordinator confirming the run: --as EMAIL.")
        actor = User.objects.filter(email__iexact=options["as_user"]).first()
        if actor is None:
            raise CommandError(f"No user with the e-mail address “{options['as_user']}”.")
        try:
            run = billrun.confirm(actor=actor, place=place, month=month, issue_date=issue_date)
        except PermissionDenied:
            raise CommandError(
                f"{actor.email} may not manage the billing of {place.slug}."
            ) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        first = run.invoices.order_by("sequence_number").first()
        last = run.invoices.order_by("-sequence_number").first()
        span = f" ({first.number} to {last.number})" if first and last else ""
        self.stdout.write(
            f"Confirmed: {run.invoice_count} invoices{span}, {run.total_gross} EUR "
            f"including tax, issued on {run.issue_date:%Y-%m-%d}."
        )

    def _print(self, planned: BillRunPlan) -> None:
        write = self.stdout.write
        write(f"Bill run of {planned.month:%Y-%m}: {billrun.totals_text(planned)}")
        for customer in planned.customers:
            write(f"  {customer.customer.name}: {customer.total_gross} EUR")
            for item in customer.items:
                write(f"    {item.description}: {item.quantity} × {item.unit_price_net}")
        for problem in planned.problems:
            write(f"  PROBLEM: {problem}")
        if planned.ready:
            write("Ready to confirm." if planned.customers else "Nothing to invoice.")
