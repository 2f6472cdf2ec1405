"""A survey's answers as a spreadsheet: one row per response, one column per question (the
choices ticked joined by "; ", the "other" text in a column of its own), and in the XLSX a
second sheet with each question's counts (the results page's figures, small groups hidden).

Anonymous surveys: no person, no invitation, no time, only the day; the rows of one day are in
an order that does not follow the order of answering. CSV for French spreadsheets (";",
UTF-8 with BOM, decimal comma, DD/MM/YYYY); text that a spreadsheet would run as a formula is
kept as text.
"""

from __future__ import annotations

import csv
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from openpyxl import Workbook

from tierslieux.core import formatting
from tierslieux.surveys import questionnaire as qn
from tierslieux.surveys import results as survey_results
from tierslieux.surveys.models import Answer, Response, Survey
from tierslieux.surveys.questionnaire import Kind, Question

Cell = str | int | Decimal | date | None
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
DATE_FORMAT = "DD/MM/YYYY"
HIDDEN = "< 5"


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[Cell]]


def _questions(survey: Survey) -> list[Question]:
    """The current version's questions, then those only earlier versions asked."""
    seen: dict[str, Question] = {}
    for version in survey.versions.order_by("-number"):
        for question in qn.parse(version.definition).questions():
            seen.setdefault(question.key, question)
    return list(seen.values())


def _columns(questions: list[Question]) -> list[tuple[str, str, str]]:
    """(question key, part, header): the answer, and the "other" text where there is one."""
    columns = []
    for question in questions:
        columns.append((question.key, "", question.label))
        if question.other:
            columns.append((question.key, qn.OTHER, f"{question.label} — {_('Other')}"))
    return columns


def _order(survey: Survey, pk: int) -> str:
    """A stable order within a day that tells nothing of who answered first."""
    return hashlib.sha256(f"{settings.SECRET_KEY}:{survey.pk}:{pk}".encode()).hexdigest()


def _values(question: Question | None, rows: list[dict[str, Any]]) -> tuple[Cell, str]:
    """The cell of one question's answer rows, and its "other" text."""
    first = rows[0]
    if first["choice"]:
        ordered = sorted(rows, key=lambda r: (r["rank"] or 0, r["id"]))
        labels = [question.choice_label(r["choice"]) if question else r["choice"] for r in ordered]
        if any(r["rank"] for r in ordered):
            labels = [f"{n}. {label}" for n, label in enumerate(labels, start=1)]
        other = next((r["text"] for r in rows if r["choice"] == qn.OTHER), "")
        return "; ".join(labels), other
    if first["number"] is not None:
        return Decimal(first["number"]).normalize(), ""
    if first["date"] is not None:
        return first["date"], ""
    if first["commune"]:
        return f"{first['text']} ({first['commune']})", ""
    return first["text"], ""


def answers_table(survey: Survey) -> Table:
    """Every response of the survey, all versions, as rows."""
    questions = _questions(survey)
    by_key = {q.key: q for q in questions}
    columns = _columns(questions)
    anonymous = survey.anonymous
    fields = ["id", "submitted_on", "version__number"]
    headers = [_("No."), _("Version"), _("Answered on")]
    if not anonymous:
        fields += [
            "submitted_at",
            "channel",
            "person__first_name",
            "person__last_name",
            "person__email",
            "invitation__email",
        ]
        headers += [_("Answered at"), _("Channel"), _("Person"), _("E-mail"), _("Invitation")]
    responses = list(Response.objects.filter(survey=survey).order_by().values(*fields))
    if anonymous:
        responses.sort(key=lambda r: (r["submitted_on"], _order(survey, r["id"])))
    else:
        responses.sort(key=lambda r: (r["submitted_on"], r["id"]))
    answers: dict[int, dict[str, list[dict[str, Any]]]] = defaultdict(lambda: defaultdict(list))
    found = Answer.objects.filter(survey=survey).order_by()
    for answer in found.values(
        "id", "response_id", "question", "choice", "rank", "number", "date", "text", "commune"
    ).iterator(chunk_size=5000):
        answers[answer["response_id"]][answer["question"]].append(dict(answer))
    channels = dict(Response.Channel.choices)
    rows: list[list[Cell]] = []
    for n, response in enumerate(responses, start=1):
        row: list[Cell] = [n, response["version__number"], response["submitted_on"]]
        if not anonymous:
            person = f"{response['person__first_name'] or ''} {response['person__last_name'] or ''}"
            row += [
                formatting.moment(response["submitted_at"]) if response["submitted_at"] else "",
                str(channels.get(response["channel"], response["channel"])),
                person.strip(),
                response["person__email"] or "",
                response["invitation__email"] or "",
            ]
        given = answers.get(response["id"], {})
        for key, part, _header in columns:
            if key not in given:
                row.append(None)
                continue
            value, other = _values(by_key.get(key), given[key])
            row.append(other if part == qn.OTHER else value)
        rows.append(row)
    return Table(headers + [header for _k, _p, header in columns], rows)


def counts_table(survey: Survey) -> Table:
    """Each question's lines (count and share of the people who answered it), its mean and
    median for scales and numbers; small groups of an anonymous survey shown as "< 5"."""
    found = survey_results.results(survey)
    rows: list[list[Cell]] = []
    for result in found.questions:
        label = result.question.label
        if result.hidden:
            rows.append([label, _("fewer than 5 answers: hidden to protect anonymity"), None, None])
            continue
        rows.append([label, _("People who answered"), result.answered, None])
        for line in result.lines:
            count = HIDDEN if line.count is None else line.count
            rows.append([label, line.label, count, line.share])
        if result.figures is not None:
            for name, value in (
                (_("Mean"), result.figures.mean),
                (_("Median"), result.figures.median),
                (_("Minimum"), result.figures.minimum),
                (_("Maximum"), result.figures.maximum),
            ):
                rows.append([label, name, value, None])
        if result.question.kind == Kind.TEXT or result.texts:
            rows.append([label, _("Texts written"), result.texts, None])
    return Table([_("Question"), _("Answer"), _("Count"), _("Share (%)")], rows)


def _csv_cell(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, Decimal):
        return format(value, "f").replace(".", ",")
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def answers_csv(survey: Survey) -> bytes:
    table = answers_table(survey)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(table.headers)
    writer.writerows([_csv_cell(cell) for cell in row] for row in table.rows)
    return buffer.getvalue().encode("utf-8-sig")


def _sheet(workbook: Workbook, title: str, table: Table) -> None:
    sheet = workbook.create_sheet(title[:31])
    sheet.append(table.headers)
    for row in table.rows:
        cells = []
        for value in row:
            if isinstance(value, str) and value.startswith(FORMULA_STARTS):
                value = "'" + value
            cells.append(value)
        sheet.append(cells)
    for row in sheet.iter_rows(min_row=2):
        for cell in row:
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT


def answers_xlsx(survey: Survey) -> bytes:
    """Sheet 1: the answers, real numbers and dates; sheet 2: the counts."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    _sheet(workbook, _("Answers"), answers_table(survey))
    _sheet(workbook, _("Counts"), counts_table(survey))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
