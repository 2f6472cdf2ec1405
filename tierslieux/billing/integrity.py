"""Checking a place's chain of issued invoices (read-only; see docs/algorithms/numbering.md).

Each invoice is checked against what it stored: its hash against its own content and its
`previous_hash`, and its `previous_hash` against the stored hash of the invoice before it.
So a changed invoice is named by itself, without accusing the ones after it; a removed or
reordered one shows as a gap or a broken link.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch

from tierslieux.billing import chain
from tierslieux.billing.models import Invoice, InvoiceLine, InvoiceSequence
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

    @property
    def intact(self) -> bool:
        return not self.findings


def _numbers(first: int, last: int) -> str:
    return f"number {first}" if first == last else f"numbers {first} to {last}"


def verify(place: Place) -> Report:
    invoices = (
        Invoice.objects.filter(place=place, status=Invoice.Status.ISSUED)
        .select_related("corrects")
        .prefetch_related(Prefetch("lines", queryset=InvoiceLine.objects.order_by("position")))
        .order_by("sequence_number")
    )
    findings: list[Finding] = []
    previous_hash, expected, checked, last_number = chain.GENESIS, 1, 0, "-"
    for invoice in invoices.iterator(chunk_size=500):
        checked += 1
        number = last_number = invoice.number or f"#{invoice.pk}"
        seq = invoice.sequence_number or 0
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
    return Report(place, checked, tuple(findings))
