"""Reading an accountant's FEC (« fichier des écritures comptables », art. A47 A-1 LPF) into
expenses: the charges (accounts 6, depreciation 68 aside: no cash) and the fixed assets
(accounts 2, but 28 and 29: depreciation and impairment) by month and category. Pure.

A FEC line is one side of an entry; a charge account's debit less its credit is what was
spent (a credit note or a reversal comes back as a credit). The lines are therefore summed by
month and category into one expense each, dated the month's last day and labelled after the
file, so that corrections net out; a month whose sum is negative is refused with its reason.
The categories follow the French chart of accounts (PCG): 613/614 rent and charges, 615
maintenance, 616 insurance, 6181/626/651 subscriptions and licences, 60 purchases (variable),
64 staff, 2 investment, any other 6 other.
"""

from __future__ import annotations

import csv
import io
from calendar import monthrange
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from tierslieux.economics.expense_csv import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_LINES,
    Line,
    Reading,
    Refusal,
    parse_amount,
)

HEADER = "journalcode"
COLUMNS = ("ecrituredate", "comptenum", "debit", "credit")
# The longest prefix wins.
PREFIXES = (
    ("613", "rent"), ("614", "rent"), ("615", "maintenance"), ("616", "insurance"),
    ("6181", "subscriptions"), ("626", "subscriptions"), ("651", "subscriptions"),
    ("60", "variable"), ("64", "staff"), ("6", "other"), ("2", "investment"),
)  # fmt: skip
SKIPPED = ("68", "28", "29")


def is_fec(text: str) -> bool:
    """A FEC starts with its header, `JournalCode` first."""
    return text.lstrip("\ufeff").lower().startswith(HEADER)


def category_of(account: str) -> str | None:
    if account.startswith(SKIPPED):
        return None
    for prefix, category in PREFIXES:
        if account.startswith(prefix):
            return category
    return None


def _day(text: str) -> date | None:
    if len(text) != 8 or not text.isdigit():
        return None
    try:
        found = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return None
    return found if FIRST_YEAR <= found.year <= LAST_YEAR else None


def read(text: str, labels: dict[str, str], name: str = "FEC") -> Reading:
    """The file's expenses by month and category, or the lines refused with their reason.
    `labels`: each category's label, for the reasons."""
    text = text.lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    separator = "|" if "|" in first else "\t" if "\t" in first else ";"
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        reason = _("The FEC's header lacks the columns %(names)s.") % {"names": ", ".join(missing)}
        return Reading([], [Refusal(1, reason)])
    at = {c: header.index(c) for c in COLUMNS}
    sums: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
    first_line: dict[tuple[date, str], int] = {}
    refused: list[Refusal] = []
    for number, cells in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in cells):
            continue
        if number > MAX_LINES * 20:
            refused.append(Refusal(number, _("At most 100 000 lines a FEC: split it.")))
            break
        if len(cells) < len(header):
            refused.append(Refusal(number, _("%(count)s columns where the header has %(expected)s.")
                                   % {"count": len(cells), "expected": len(header)}))  # fmt: skip
            continue
        category = category_of(cells[at["comptenum"]].strip())
        if category is None:
            continue
        day = _day(cells[at["ecrituredate"]].strip())
        debit = parse_amount(cells[at["debit"]] or "0")
        credit = parse_amount(cells[at["credit"]] or "0")
        if day is None:
            refused.append(Refusal(number, _("EcritureDate: a date written YYYYMMDD.")))
            continue
        if debit is None or credit is None:
            refused.append(Refusal(number, _("Debit or Credit: no amount such as 1234,56.")))
            continue
        key = (day.replace(day=monthrange(day.year, day.month)[1]), category)
        sums[key] += debit - credit
        first_line.setdefault(key, number)
    lines = []
    for (day, category), amount in sorted(sums.items()):
        number = first_line[(day, category)]
        if amount < 0:
            reason = _("%(month)s, %(category)s: more credit than debit.")
            shown = {"month": f"{day:%m/%Y}", "category": labels.get(category, category)}
            refused.append(Refusal(number, reason % shown))
        elif amount > 0:
            label = f"{name} {day:%m/%Y}"
            lines.append(Line(number, day, label, amount.quantize(Decimal("0.01")), category))
    return Reading(lines, sorted(refused, key=lambda r: r.number))
