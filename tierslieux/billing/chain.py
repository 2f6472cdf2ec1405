"""The hash chains over a place's issued invoices and its payments (see
docs/algorithms/numbering.md).

Each issued invoice stores `previous_hash` (the hash of the invoice issued just before it in
the same place, or `GENESIS` for the first) and `hash = SHA-256(previous_hash + canonical
JSON of the invoice)`. Changing any hashed field of an issued invoice, or removing or
reordering one, breaks the chain at that invoice.

`payload` reads attributes only (no query): pass the lines in position order, with
`corrects` loaded on a credit note.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

GENESIS = "0" * 64


def _dec(value: Decimal | int | str | None, places: int) -> str:
    if value is None:
        return ""
    return str(Decimal(value).quantize(Decimal(1).scaleb(-places)))


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _instant(value: datetime | None) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds") if value else ""


def payload(invoice: Any, lines: Iterable[Any]) -> dict[str, Any]:
    """What the hash covers: number, dates, parties, lines, taxes and totals."""
    return {
        "kind": invoice.kind,
        "number": invoice.number or "",
        "sequence_number": invoice.sequence_number,
        "corrects": invoice.corrects.number if invoice.corrects_id else "",
        "customer": invoice.customer_id,
        "issue_date": _day(invoice.issue_date),
        "issued_at": _instant(invoice.issued_at),
        "service_start": _day(invoice.service_start),
        "service_end": _day(invoice.service_end),
        "due_date": _day(invoice.due_date),
        "payment_terms": invoice.payment_terms,
        "late_penalty_rate": _dec(invoice.late_penalty_rate, 2),
        "seller": invoice.seller,
        "buyer": invoice.buyer,
        "lines": [
            {
                "position": line.position,
                "description": line.description,
                "quantity": _dec(line.quantity, 3),
                "unit": line.unit,
                "unit_price_net": _dec(line.unit_price_net, 2),
                "tax_code": line.tax_code,
                "tax_rate": _dec(line.tax_rate, 2),
                "net": _dec(line.net, 2),
                "account": line.account,
                "corrects_line": line.corrects_line_id,
            }
            for line in lines
        ],
        "taxes": invoice.taxes,
        "total_net": _dec(invoice.total_net, 2),
        "total_tax": _dec(invoice.total_tax, 2),
        "total_gross": _dec(invoice.total_gross, 2),
    }


def canonical_json(data: Mapping[str, Any]) -> str:
    """Sorted keys, no spaces, UTF-8 kept: one text for one content, on every database."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def chain_hash(previous_hash: str, data: Mapping[str, Any]) -> str:
    return hashlib.sha256((previous_hash + canonical_json(data)).encode()).hexdigest()


def payment_payload(payment: Any, allocations: Iterable[tuple[str, Decimal]]) -> dict[str, Any]:
    """What a payment's hash covers: who paid, when, how much, how, and which invoices it
    settles (`allocations`: invoice number and amount, in any order)."""
    return {
        "customer": payment.customer_id,
        "date": _day(payment.date),
        "amount": _dec(payment.amount, 2),
        "method": payment.method,
        "reference": payment.reference,
        "created_at": _instant(payment.created_at),
        "allocations": sorted([number, _dec(amount, 2)] for number, amount in allocations),
    }
