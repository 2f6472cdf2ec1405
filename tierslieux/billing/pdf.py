"""The PDF of an issued invoice or credit note: WeasyPrint HTML, then Factur-X embedded.

Pure over `InvoiceDoc`: the PDF text and the embedded XML come from the same presented
document (see `facturx.presented`), in the document's language and locale.
"""

from __future__ import annotations

import warnings
from decimal import Decimal
from pathlib import Path
from typing import Any

import facturx as facturx_lib
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import ngettext
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from tierslieux.billing import tax
from tierslieux.billing.documents import InvoiceDoc, LineDoc, Party
from tierslieux.billing.facturx import (
    SEPA_CREDIT_TRANSFER,
    SEPA_DIRECT_DEBIT,
    facturx_xml,
    legal_notes,
    payment_means,
    presented,
)
from tierslieux.core import formatting

TEMPLATE = "billing/invoice_pdf.html"


def invoice_pdf(doc: InvoiceDoc) -> bytes:
    """A Factur-X PDF (PDF/A-3b with the EN 16931 XML attached) of the document."""
    xml = facturx_xml(doc)
    shown = presented(doc)
    logo_url = _logo_url(shown.logo_path)
    with translation.override(shown.language):
        html = render_to_string(TEMPLATE, context(shown, logo_url))
    with warnings.catch_warnings():
        # WeasyPrint 70 leaves its sRGB profile file unclosed when it writes PDF/A (harmless,
        # but a ResourceWarning is an error under the test suite's filters).
        warnings.filterwarnings("ignore", "unclosed file", ResourceWarning)
        pdf = HTML(string=html, url_fetcher=_OnlyFetcher(logo_url)).write_pdf(
            pdf_variant="pdf/a-3b"
        )
    result: bytes = facturx_lib.generate_from_binary(
        pdf,
        xml,
        flavor="factur-x",
        level="en16931",
        check_xsd=True,
        lang=shown.language,
        pdf_metadata={
            "author": shown.seller.name,
            "keywords": "Factur-X",
            "title": f"{shown.seller.name}: {shown.number}",
            "subject": f"{shown.number} {shown.issue_date.isoformat()}",
        },
    )
    return result


def context(doc: InvoiceDoc, logo_url: str = "") -> dict[str, Any]:
    """What the template shows, every amount and date already in the active locale."""

    def money(amount: Any) -> str:
        return formatting.money(amount, doc.currency_symbol)

    means = payment_means(doc)
    return {
        "doc": doc,
        "logo_url": logo_url,
        "is_credit_note": doc.kind == "credit_note",
        "seller": doc.seller,
        "buyer": doc.buyer,
        "seller_address": _address_lines(doc.seller),
        "buyer_address": _address_lines(doc.buyer),
        "issue_date": formatting.day(doc.issue_date),
        "due_date": formatting.day(doc.due_date),
        "service_start": formatting.day(doc.service_start),
        "service_end": formatting.day(doc.service_end),
        "single_service_date": doc.service_start == doc.service_end,
        "lines": [_line(line, money) for line in doc.lines],
        "taxes": [
            {
                "label": tax.rule(t.tax_code).label,
                "rate": formatting.number(t.rate.normalize()),
                "base": money(t.base),
                "tax": money(t.tax),
            }
            for t in doc.taxes
        ],
        "mentions": list(
            dict.fromkeys(t.exemption_mention for t in doc.taxes if t.exemption_mention)
        ),
        "total_net": money(doc.total_net),
        "total_tax": money(doc.total_tax),
        "total_gross": money(doc.total_gross),
        "amount_paid": money(doc.amount_paid) if doc.amount_paid else "",
        "amount_due": money(doc.amount_due),
        "transfer": means == SEPA_CREDIT_TRANSFER,
        "direct_debit": means == SEPA_DIRECT_DEBIT,
        "legal_notes": [text for _subject, text in legal_notes(doc)],
    }


def _line(line: LineDoc, money: Any) -> dict[str, str]:
    return {
        "description": line.description,
        "quantity": formatting.number(line.quantity.normalize()),
        "unit": unit_label(line.unit, line.quantity),
        "unit_price": money(line.unit_price_net),
        "rate": formatting.percent(line.tax_rate.normalize()),
        "net": money(line.net),
    }


def unit_label(code: str, quantity: Decimal) -> str:
    """“hours” for "HUR": people read words, machines read the UN/ECE codes."""
    count = int(abs(quantity)) if quantity == quantity.to_integral_value() else 2
    labels = {
        "C62": ngettext("unit", "units", count),
        "HUR": ngettext("hour", "hours", count),
        "DAY": ngettext("day", "days", count),
        "MON": ngettext("month", "months", count),
    }
    return labels.get(code, code)


def _address_lines(party: Party) -> list[str]:
    lines = [line.strip() for line in party.address.splitlines() if line.strip()]
    lines.append(f"{party.postcode} {party.city}".strip())
    if party.country != "FR":
        lines.append(party.country)
    return [line for line in lines if line]


def _logo_url(logo_path: str) -> str:
    if not logo_path:
        return ""
    if logo_path.startswith("data:"):
        return logo_path
    return Path(logo_path).resolve().as_uri()


class _OnlyFetcher(URLFetcher):
    """Fetch the logo and nothing else: no file or network read can come from the content."""

    def __init__(self, allowed: str) -> None:
        super().__init__(allowed_protocols=("file", "data"), allow_redirects=False)
        self._allowed = allowed

    def fetch(self, url: str, headers: Any = None) -> Any:
        if not self._allowed or url != self._allowed:
            raise ValueError(f"not fetched: {url[:80]}")
        return super().fetch(url, headers)
