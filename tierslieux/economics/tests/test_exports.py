"""The workbook read back with openpyxl holds the page's figures and its formulas compute
them; the PDF summary's text says the verdict and the break-even month."""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from tierslieux.economics import charts, services


@pytest.fixture
def opened(place: Any, coordinator: Any) -> tuple[Client, str]:
    scenario = services.create_from_template(
        actor=coordinator,
        place=place,
        template="micro-centre:typical",
        name="Plan A",
        start="2027-01",
    )
    client = Client()
    client.force_login(coordinator)
    return client, f"/manage/{place.slug}/economics/{scenario.pk}/"


def _evaluate(ws: Any, row: int, column: str, cache: dict[str, float]) -> float:
    """The value of a cell whose formula adds and subtracts cells (what this sheet writes)."""
    key = f"{column}{row}"
    if key in cache:
        return cache[key]
    value = ws[key].value
    if isinstance(value, str) and value.startswith("="):
        total = 0.0
        for sign, col, ref in re.findall(r"([+-]?)([A-Z]+)(\d+)", value[1:]):
            part = _evaluate(ws, int(ref), col, cache)
            total += -part if sign == "-" else part
        value = total
    cache[key] = float(value or 0)
    return cache[key]


def test_the_workbook_holds_the_page_s_figures(opened: tuple[Client, str]) -> None:
    client, url = opened
    report = client.get(url).context["report"]
    page = client.get(url).content.decode()
    response = client.get(url + "scenario.xlsx")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    wb = load_workbook(io.BytesIO(response.content))
    assert len(wb.sheetnames) == 6
    summary, projection = wb.worksheets[0], wb.worksheets[2]
    assert summary["B3"].value == report.projection.break_even_month == 10
    assert summary["B5"].value == pytest.approx(report.cash_36, abs=0.01)
    assert charts.euros(summary["B5"].value) in page
    # Month 36 is row 38 (header, opening cash, then a row a month): a formula, computed.
    assert projection["K38"].value == "=K37+J38"
    assert projection["G38"].value == "=C38-E38-F38"
    assert projection["C63"].value == "=SUM(C3:C62)"
    computed = _evaluate(projection, 38, "K", {})
    assert computed == pytest.approx(report.cash_36, abs=1.0)  # cents rounded month by month
    families, loans = wb.worksheets[3], wb.worksheets[4]
    assert families["F2"].value == "=SUM(B2:E2)" and families["B63"].value == "=B62/$F$62"
    assert loans["E3"].value == "=C3+D3" and loans["F3"].value == "=F2-D3"
    assert loans["F2"].value == 40_000


def test_the_pdf_summary(opened: tuple[Client, str]) -> None:
    client, url = opened
    response = client.get(url + "summary.pdf")
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    text = re.sub(r"\s+", " ", text)
    assert "Plan A" in text and "Le lieu est fragile" in text
    assert "mois 10 (octobre 2027)" in text
