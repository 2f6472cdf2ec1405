"""The files of the exports page (the FEC, invoices and payments as CSV, both as XLSX), built
by the task worker (`tasks.build_export`) and kept for the place as the job's file.

Reads the period's issued documents in slices, reporting how many are read so the page
that follows the job can say "120 sur 400"; the bytes come from the pure builders of
`billing.exports`. Only issued invoices and credit notes leave the place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tierslieux.billing import queries
from tierslieux.billing.documents import InvoiceDoc, PaymentDoc
from tierslieux.billing.exports import (
    UnbalancedEntry,
    fec_file,
    fec_filename,
    invoices_csv,
    invoices_xlsx,
    payments_csv,
)
from tierslieux.billing.exports.fec import ENCODING
from tierslieux.billing.models import Invoice, Payment
from tierslieux.core.errors import refuse
from tierslieux.core.jobs import Output
from tierslieux.places.models import Place

FEC, INVOICES_CSV, PAYMENTS_CSV, XLSX = "fec", "invoices_csv", "payments_csv", "xlsx"
FORMATS = {
    FEC: gettext_lazy("FEC (accounting entries file)"),
    INVOICES_CSV: gettext_lazy("Invoices (CSV)"),
    PAYMENTS_CSV: gettext_lazy("Payments (CSV)"),
    XLSX: gettext_lazy("Invoices and payments (XLSX)"),
}
CSV_TYPE = "text/csv; charset=utf-8"
CONTENT_TYPES = {
    FEC: f"text/plain; charset={ENCODING}",
    INVOICES_CSV: CSV_TYPE,
    PAYMENTS_CSV: CSV_TYPE,
    XLSX: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
SLICE = 100  # documents read between two progress reports

Report = Callable[[int, int | None], None]


def check(place: Place, fmt: str) -> None:
    """Refuse at once what cannot be built (before a job is even queued)."""
    if fmt == FEC and not place.siret:
        refuse(_("The place has no SIRET: the FEC file is named after its SIREN."), "no_siret")


def build(place: Place, fmt: str, start: date, end: date, report: Report) -> Output:
    """The file of `fmt` for the period, both ends included."""
    check(place, fmt)
    stamp = f"{start:%Y%m%d}-{end:%Y%m%d}"
    issued = queries.invoices_for(place, status=Invoice.Status.ISSUED, start=start, end=end)
    payments = queries.payments_for(place, start=start, end=end)
    wants_invoices = fmt != PAYMENTS_CSV
    wants_payments = fmt in (FEC, PAYMENTS_CSV, XLSX)
    total = (issued.count() if wants_invoices else 0) + (payments.count() if wants_payments else 0)
    read = Reader(report, total)
    invoices = read.invoices(issued) if wants_invoices else []
    paid = read.payments(payments) if wants_payments else []
    if fmt == FEC:
        try:
            content = fec_file(invoices, paid)
        except UnbalancedEntry as error:
            refuse(_("An entry does not balance: %(error)s"), "unbalanced", error=str(error))
        return Output(fec_filename(place.siret[:9], end), content)
    if fmt == INVOICES_CSV:
        return Output(f"factures-{place.slug}-{stamp}.csv", invoices_csv(invoices))
    if fmt == PAYMENTS_CSV:
        return Output(f"paiements-{place.slug}-{stamp}.csv", payments_csv(paid))
    return Output(f"factures-paiements-{place.slug}-{stamp}.xlsx", invoices_xlsx(invoices, paid))


class Reader:
    """Reads documents slice by slice, in the order of the queries, and reports the count
    read so far."""

    def __init__(self, report: Report, total: int) -> None:
        self.report, self.total, self.done = report, total, 0
        report(0, total)

    def _advance(self, count: int) -> None:
        self.done += count
        self.report(self.done, self.total)

    def invoices(self, issued: QuerySet[Invoice]) -> list[InvoiceDoc]:
        ids = list(issued.values_list("pk", flat=True))
        docs: list[InvoiceDoc] = []
        for begin in range(0, len(ids), SLICE):
            chunk = ids[begin : begin + SLICE]
            rows = {i.pk: i for i in issued.filter(pk__in=chunk).prefetch_related("lines")}
            docs += [queries.invoice_document(rows[pk], logo=False) for pk in chunk]
            self._advance(len(chunk))
        return docs

    def payments(self, payments: QuerySet[Payment]) -> list[PaymentDoc]:
        rows = list(payments)
        docs: list[PaymentDoc] = []
        for begin in range(0, len(rows), SLICE):
            chunk = rows[begin : begin + SLICE]
            docs += [queries.payment_document(p) for p in chunk]
            self._advance(len(chunk))
        return docs
