"""A people counter's export, read: one row per day with a date and a count.

Pure: takes the file's text, returns rows or the errors named by line number, so that the
import previews what it will write and writes nothing when a single row is wrong.
Dates: ISO (2026-03-02) or French (02/03/2026, 2/3/2026, 02-03-2026); a time after the date
is ignored (counters often write one). Columns: the first header naming a date
(date, jour, day) and the first naming a count (count, nombre, entrées, visiteurs,
passages, total); without a header, the first two columns.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from django.utils.translation import gettext as _

MAX_ROWS = 3700  # ten years of days
DATE_NAMES = ("date", "jour", "day")
COUNT_NAMES = ("count", "nombre", "entrées", "entrees", "visiteurs", "passages", "total", "visits")
FRENCH = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")


@dataclass
class Parsed:
    """Rows as (day, count, line number), and errors as (line number, message)."""

    rows: list[tuple[date, int, int]] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


def parse_day(text: str) -> date | None:
    """An ISO or French date (a time after it ignored), or None."""
    text = text.strip().split(" ")[0].split("T")[0]
    if match := ISO.match(text):
        year, month, day = (int(g) for g in match.groups())
    elif match := FRENCH.match(text):
        day, month, year = (int(g) for g in match.groups())
    else:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def parse_count(text: str, limit: int) -> int | None:
    """A whole number of people (spaces as thousands separators allowed), or None."""
    text = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "")
    if not text.isdigit():
        return None
    value = int(text)
    return value if value <= limit else None


def _columns(header: list[str]) -> tuple[int, int] | None:
    names = [h.strip().lower().lstrip("\ufeff") for h in header]
    found_date = next((n for n, h in enumerate(names) if h in DATE_NAMES), None)
    found_count = next((n for n, h in enumerate(names) if h in COUNT_NAMES), None)
    if found_date is None or found_count is None:
        return None
    return found_date, found_count


def parse(text: str, limit: int) -> Parsed:
    """Read the file: each data row is checked; a day given twice is an error too."""
    result = Parsed()
    sample = text[:2048]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    lines = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    numbered = [(n, row) for n, row in enumerate(lines, start=1) if any(c.strip() for c in row)]
    if not numbered:
        result.errors.append((0, _("The file is empty.")))
        return result
    columns = _columns(numbered[0][1])
    if columns is not None:
        numbered = numbered[1:]
    elif parse_day(numbered[0][1][0]) is None:
        result.errors.append(
            (numbered[0][0], _("No date and count columns: name them “date” and “count”."))
        )
        return result
    date_col, count_col = columns or (0, 1)
    if len(numbered) > MAX_ROWS:
        result.errors.append((0, _("At most %(max)s rows at once.") % {"max": MAX_ROWS}))
        return result
    seen: dict[date, int] = {}
    for line, row in numbered:
        if len(row) <= max(date_col, count_col):
            result.errors.append((line, _("A date and a count are expected.")))
            continue
        day = parse_day(row[date_col])
        count = parse_count(row[count_col], limit)
        if day is None:
            result.errors.append((line, _("“%(value)s” is not a date.") % {"value": row[date_col]}))
        elif count is None:
            result.errors.append(
                (line, _("“%(value)s” is not a count of people.") % {"value": row[count_col]})
            )
        elif day in seen:
            result.errors.append(
                (line, _("This day is already on line %(line)s.") % {"line": seen[day]})
            )
        else:
            seen[day] = line
            result.rows.append((day, count, line))
    return result
