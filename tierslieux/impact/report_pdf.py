"""The yearly impact report as a PDF: the web page's body rendered by WeasyPrint.

The PDF is the document a team hands to its funder, so it is built from the funder's
version of the report (`report.build_report(..., team=False)`): confirmed figures and
publishable evidence only. It fetches nothing: the charts and the map are inline SVG, the
fonts the system's (DejaVu, as the invoices). Relative links (the neighbours' public pages)
are made absolute with `base_url`, so they still lead somewhere once the file is sent.
"""

from __future__ import annotations

from typing import Any

from django.template.loader import render_to_string
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from tierslieux.impact.report import Report

TEMPLATE = "impact/report/report_pdf.html"


def filename(report: Report) -> str:
    """bilan-impact-<slug>-<year>.pdf: the place and the year, readable in a mail."""
    return f"bilan-impact-{report.place.slug}-{report.year}.pdf"


def render_pdf(report: Report, base_url: str) -> bytes:
    """The PDF in the active language."""
    html = render_to_string(TEMPLATE, {"r": report, "pdf": True, "base_url": base_url})
    pdf: bytes = HTML(string=html, base_url=base_url, url_fetcher=_NothingFetcher()).write_pdf()
    return pdf


class _NothingFetcher(URLFetcher):
    """The report needs no outside resource: any URL it would fetch is refused."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        raise ValueError(f"not fetched: {url[:80]}")
