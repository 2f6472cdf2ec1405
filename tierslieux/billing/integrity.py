"""Checking a place's chain of issued invoices (read-only; see docs/algorithms/numbering.md).

Each invoice is checked against what it stored: its hash against its own content and its
`previous_hash`, and its `previous_hash` against the stored hash of the invoice before it.
So a changed invoice is named by itself, without accusing the ones after it; a removed or
reordered one shows as a gap or a broken link. The numbers must all read in the series of the
first one, and the sequence must agree with the last (a removed last invoice, a rewound
sequence, a changed prefix). Payments are checked the same way, in the order they were
written. What a database-wide rewrite could hide (the last invoice removed AND the sequence
rewound) the anchors catch (`billing.anchors`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from tierslieux.billing import chain
from tierslieux.billing.models import Invoice, InvoiceLine, InvoiceSequence, Payment
from tierslieux.billing.numbering import format_number
from tierslieux.places.models import Place


@dataclass(frozen=True)
class Finding:
    number: str
    problem: str

    def __str__(self) -> str:
        return f"{self.number}: {self.problem}"


@dataclass(frozen=True)
class Report:
    place: Place
    checked: int
    findings: tuple[Finding, ...]
    payments: int = 0

    @property
    def intact(self) -> bool:
        return not self.findings


def _numbers(first: int, last: int) -> str:
    return f"number {first}" if first == last else f"numbers {first} to {last}"


def _series(number: str) -> str:
    return number.rpartition("-")[0]


def verify_payments(place: Place) -> tuple[int, list[Finding]]:
    """The payment chain: each payment's hash against its content and allocations, and its
    link to the one written before it."""
    payments = (
        Payment.objects.filter(place=place).prefetch_related("allocations__invoice").order_by("id")
    )
    findings: list[Finding] = []
    previous_hash, checked = chain.GENESIS, 0
    for payment in payments.iterator(chunk_size=500):
        checked += 1
        name = f"payment #{payment.pk} of {payment.date.isoformat()}"
        if payment.previous_hash != previous_hash:
            findings.append(Finding(name, "chain broken: previous hash differs"))
        parts = [(a.invoice.number or "", a.amount) for a in payment.allocations.all()]
        expected = chain.chain_hash(payment.previous_hash, chain.payment_payload(payment, parts))
        if payment.hash != expected:
            findings.append(Finding(name, "content changed since recorded (hash differs)"))
        previous_hash = payment.hash
    return checked, findings


def verify(place: Place) -> Report:
    invoices = (
        Invoice.objects.filter(place=place, status=Invoice.Status.ISSUED)
        .select_related("corrects")
        .prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")))
        .order_by("sequence_number")
    )
    findings: list[Finding] = []
    previous_hash, expected, checked, last_number = chain.GENESIS, 1, 0, "-"
    series: str | None = None
    for invoice in invoices.iterator(chunk_size=500):
        checked += 1
        number = last_number = invoice.number or f"#{invoice.pk}"
        seq = invoice.sequence_number or 0
        series = _series(number) if series is None else series
        if seq >= 1 and number != format_number(series, seq):
            findings.append(Finding(number, f"not in the series {series} of the first number"))
        if seq != expected:
            findings.append(Finding(number, f"missing before it: {_numbers(expected, seq - 1)}"))
        if invoice.previous_hash != previous_hash:
            findings.append(Finding(number, "chain broken: previous hash differs"))
        if invoice.hash != chain.chain_hash(
            invoice.previous_hash, chain.payload(invoice, invoice.lines.all())
        ):
            findings.append(Finding(number, "content changed since issue (hash differs)"))
        previous_hash, expected = invoice.hash, seq + 1
    sequence = InvoiceSequence.objects.filter(place=place).first()
    if sequence is not None and sequence.next_number > expected:
        missing = _numbers(expected, sequence.next_number - 1)
        findings.append(Finding(last_number, f"missing after it: {missing}"))
    elif sequence is not None and sequence.next_number < expected:
        findings.append(Finding(last_number, f"the sequence went back to {sequence.next_number}"))
    if sequence is None and checked:
        findings.append(Finding(last_number, "the invoice sequence is missing"))
    if sequence is not None and series is not None and sequence.prefix != series:
        findings.append(
            Finding(last_number, f"the sequence's prefix became {sequence.prefix} (was {series})")
        )
    payments, payment_findings = verify_payments(place)
    return Report(place, checked, tuple(findings + payment_findings), payments)
