"""Reading an accountant's expense export: `date;label;amount;category`, one expense a line.

Pure (no ORM): `read(text)` returns the lines it understood and, for every other one, its
number and the reason in plain words, so that the page can show them all before anything is
written (`services_actuals.import_expenses` writes all the lines or none).

What is accepted, as French exports write it: a `;` separator (a `,` or a tab too), an
optional header line starting with « date », dates as 31/01/2026 or 2026-01-31, amounts with
a decimal comma or point, spaces or no-break spaces between thousands and an optional « € »
(in a `,` file, « 1 234,56 » unquoted is read as one amount when its cents are two digits);
the category as its key (`rent`) or its label in French or English (« Loyer et charges »),
whatever its case, accents or plural (« ASSURANCES »). The empty cells a spreadsheet leaves
at a line's end are ignored.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext as _

MAX_LINES = 5000
MAX_LABEL = 200
MAX_AMOUNT = Decimal("1000000")  # an expense's most, as `models.MAX_AMOUNT` (pure: no import)
FIRST_YEAR, LAST_YEAR = 2000, 2100
SPACES = re.compile(r"[\s\u00a0\u202f']")
CURRENCY = re.compile(r"€|¤|\bEUR\b", re.IGNORECASE)


@dataclass(frozen=True)
class Line:
    """One expense read from the file: `number` is its line in the file (from 1)."""

    number: int
    date: date
    label: str
    amount: Decimal
    category: str


@dataclass(frozen=True)
class Refusal:
    number: int
    reason: str


@dataclass(frozen=True)
class Reading:
    lines: list[Line]
    refused: list[Refusal]


def parse_date(text: str) -> date | None:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            found = datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a calendar day)
        except ValueError:
            continue
        return found if FIRST_YEAR <= found.year <= LAST_YEAR else None
    return None


def parse_amount(text: str) -> Decimal | None:
    """12,50 / 1 234,56 / 1234.56 / 12,5 € → a Decimal; None when it is no number. The euro
    sign may come as « ¤ » (an ISO 8859-15 file read as Windows-1252) or as EUR."""
    cleaned = SPACES.sub("", CURRENCY.sub("", text))
    if cleaned.count(",") == 1 and "." in cleaned:  # 1.234,56: dots group the thousands
        cleaned = cleaned.replace(".", "")
    cleaned = cleaned.replace(",", ".")
    if not re.fullmatch(r"-?\d+(\.\d+)?", cleaned):
        return None
    try:
        return Decimal(cleaned)
    except InvalidOperation:  # pragma: no cover - the pattern above rules it out
        return None


def _word(text: str) -> str:
    """A category as it is matched: « Assurances », « ASSURANCE » and « assurance » alike
    (case, accents, spaces, apostrophes and a plural's final s aside)."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    words = plain.replace("'", " ").replace("-", " ").split()
    return " ".join(w[:-1] if len(w) > 3 and w.endswith("s") else w for w in words)


def _cells(cells: list[str], separator: str) -> list[str]:
    """The line's cells, the empty ones a spreadsheet adds at its end aside, and an amount
    written « 1 234,56 » unquoted in a comma-separated file joined again."""
    while len(cells) > 4 and not cells[-1].strip():
        cells = cells[:-1]
    if (
        separator == ","
        and len(cells) == 5
        and re.fullmatch(r"\s*-?[\d\s\u00a0\u202f]*\d", cells[2])
        and re.fullmatch(r"\d\d(\s*€)?\s*", cells[3])
    ):
        cells = [*cells[:2], f"{cells[2]},{cells[3]}", cells[4]]
    return cells


def _dialect(sample: str) -> str:
    first = sample.splitlines()[0] if sample else ""
    for separator in (";", "\t", ","):
        if separator in first:
            return separator
    return ";"


def _line(number: int, cells: list[str], names: dict[str, str]) -> Line | Refusal:
    if len(cells) != 4:
        return Refusal(
            number,
            _("%(count)s columns where four are expected: date;label;amount;category.")
            % {"count": len(cells)},
        )
    day_text, label, amount_text, category_text = (c.strip() for c in cells)
    day = parse_date(day_text)
    if day is None:
        return Refusal(number, _("date: “%(value)s” is no date such as 31/01/2026.")
                       % {"value": day_text[:40]})  # fmt: skip
    if not label:
        return Refusal(number, _("label: it is empty."))
    if len(label) > MAX_LABEL or any(ord(c) < 32 for c in label):
        return Refusal(number, _("label: at most 200 characters on one line."))
    amount = parse_amount(amount_text)
    if amount is None:
        return Refusal(number, _("amount: “%(value)s” is no amount such as 1 234,56.")
                       % {"value": amount_text[:40]})  # fmt: skip
    if amount <= 0 or amount > MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        return Refusal(number, _("amount: more than 0 and at most 1 000 000 €, in cents."))
    category = names.get(_word(category_text))
    if category is None:
        return Refusal(number, _("category: “%(value)s” is none of the categories listed.")
                       % {"value": category_text[:40]})  # fmt: skip
    return Line(number, day, label, amount, category)


def _unclosed_quote() -> str:
    return _('A quote (") opens a field and is never closed: check the file.')


def read(text: str, names: dict[str, str]) -> Reading:
    """Every line of the file, understood or refused with its reason. `names`: every way a
    category may be written, lowercased → its key (`services_actuals.category_names`)."""
    text = text.lstrip("\ufeff")
    if "\x00" in text:  # a spreadsheet's binary file, not its CSV export
        return Reading([], [Refusal(1, _("The file holds binary data: export it as CSV."))])
    separator = _dialect(text)
    names = {_word(name): key for name, key in names.items()}
    lines: list[Line] = []
    refused: list[Refusal] = []
    number = 0
    try:  # read lazily: a file far too long stops at its line MAX_LINES + 1
        for number, raw in enumerate(csv.reader(io.StringIO(text), delimiter=separator), 1):
            cells = _cells(raw, separator)
            if not any(c.strip() for c in cells):
                continue
            if number == 1 and cells[0].strip().lower().startswith("date"):
                continue
            if len(lines) + len(refused) >= MAX_LINES:
                refused.append(Refusal(number, _("At most 5 000 lines a file: split it.")))
                break
            if any("\n" in c or "\r" in c for c in cells):
                # A quote opened and never closed runs the field to the file's end, or to the
                # csv module's field limit (below; other code may have raised it): stop here.
                refused.append(Refusal(number, _unclosed_quote()))
                break
            found = _line(number, cells, names)
            (lines if isinstance(found, Line) else refused).append(found)  # type: ignore[arg-type]
    except csv.Error:  # the field limit reached on the record after `number`
        refused.append(Refusal(number + 1, _unclosed_quote()))
    return Reading(lines, refused)
