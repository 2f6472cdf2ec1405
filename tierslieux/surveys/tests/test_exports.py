"""The exports read back: one row per response, one column per question, the "other" text in
its own column; no person in an anonymous survey's; the XLSX's second sheet of counts."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tierslieux.surveys import exports
from tierslieux.surveys.tests import results_data


@pytest.fixture(scope="module")
def data(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        yield results_data.build()
        transaction.set_rollback(True)


def _get(data: dict, survey: str, fmt: str, user: str = "coordinator") -> Any:
    client = Client()
    client.force_login(data[user])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    url = reverse(f"surveys_manage:results_{fmt}", args=[data["place"].slug, data[survey].pk])
    return client.get(url)


def test_csv_read_back(data: dict) -> None:
    response = _get(data, "survey", "csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    header, body = rows[0], rows[1:]
    assert len(body) == 8
    assert header[:8] == ["No.", "Version", "Answered on", "Answered at", "Channel", "Person",
                          "E-mail", "Invitation"]  # fmt: skip
    assert header[8:11] == ["Mode", "Mode — Other", "Why"]
    first = dict(zip(header, body[0], strict=True))
    assert first["Person"] == "Alice Martin" and first["E-mail"] == "alice@example.org"
    assert (first["Answered on"], first["Mode"], first["Why"]) == (
        "01/04/2027",
        "Car",
        "Price; Time",
    )
    assert (first["Happy"], first["Km"], first["Since"]) == ("4", "10", "15/01/2027")
    assert (first["Town"], first["Rank"]) == ("Guéret (23096)", "1. A; 2. B; 3. C")
    sixth = dict(zip(header, body[5], strict=True))
    assert (sixth["Mode"], sixth["Mode — Other"], sixth["Why"]) == ("Other", "Trottinette", "")


def test_anonymous_export_has_no_person(data: dict) -> None:
    response = _get(data, "anonymous", "csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["No.", "Version", "Answered on", "Mode", "Happy", "Km", "Words"]
    assert len(rows) == 13 and {row[2] for row in rows[1:]} == {"01/04/2027"}
    assert sorted(row[3] for row in rows[1:]).count("Car") == 7


def test_xlsx_two_sheets(data: dict) -> None:
    response = _get(data, "survey", "xlsx")
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Answers", "Counts"]
    answers = list(book["Answers"].iter_rows(values_only=True))
    assert len(answers) == 9
    header = answers[0]
    first = dict(zip(header, answers[1], strict=True))
    assert first["Km"] == 10 and first["Answered on"].date() == date(2027, 4, 1)
    counts = list(book["Counts"].iter_rows(values_only=True))
    assert counts[0] == ("Question", "Answer", "Count", "Share (%)")
    assert ("Mode", "Car", 3, 37.5) in counts and ("Why", "Time", 2, 33.3) in counts
    assert ("Happy", "Median", 4, None) in counts and ("Km", "Mean", 11.83, None) in counts


def test_xlsx_of_an_anonymous_survey_hides_small_counts(data: dict) -> None:
    book = load_workbook(io.BytesIO(_get(data, "anonymous", "xlsx").content))
    counts = list(book["Counts"].iter_rows(values_only=True))
    assert ("Mode", "Bike", "< 5", None) in counts
    assert ("Km", "fewer than 5 answers: hidden to protect anonymity", None, None) in counts
    assert "Person" not in next(book["Answers"].iter_rows(values_only=True))


def test_export_refused_to_a_member_and_another_owner(data: dict) -> None:
    assert _get(data, "survey", "csv", "member").status_code == 403
    assert _get(data, "survey", "xlsx", "member").status_code == 403
    client = Client()
    client.force_login(data["other_coordinator"])
    other = data["other_place"].slug
    url = reverse("surveys_manage:results_csv", args=[other, data["survey"].pk])
    assert client.get(url).status_code == 404


def test_formula_kept_as_text(data: dict) -> None:
    assert exports._csv_cell("=HYPERLINK()") == "'=HYPERLINK()"
    assert exports._csv_cell(Decimal("2.5")) == "2,5"
