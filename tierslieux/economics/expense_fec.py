"""Reading an accountant's FEC (« fichier des écritures comptables », art. A47 A-1 LPF) into
expenses: the charges (accounts 6, but 68 depreciation and 675 the book value of assets sold:
no cash) and the fixed assets (accounts 2, but 28 and 29: depreciation and impairment) by
month and category. Pure.

A FEC line is one side of an entry; a charge account's debit less its credit is what was
spent (a credit note or a reversal comes back as a credit). The lines are therefore summed by
month and category into one expense each, dated the month's last day and labelled after the
file, so that corrections net out. A month whose credits outweigh its debits (an insurer's
refund in a month without a premium) is carried back onto the same category's earlier months
in the file, the latest first, then onto the later ones: the category's year stays right and
no expense is negative; only a category whose whole file is a credit is refused.

What the software exports (EBP, Sage, Cegid, Quadra, Pennylane…): a tab or `|` separator,
the 18 columns with `Debit` and `Credit`, or `Montant` and `Sens` (D or C) as the article
allows; dates YYYYMMDD; amounts with a decimal comma. The opening entries (« à nouveaux »,
journal AN, RAN, ANO…) restate the balances of the year before: left out. The categories
follow the French chart of accounts (PCG): 613/614 rent and charges (6135, equipment hire,
other), 615 maintenance, 616 insurance, 6181/626/651 subscriptions and licences, 60
purchases (variable), 64 staff and 621 the staff seconded by another employer (a plan counts
them as its staff), 2 investment, any other 6 other.
"""

from __future__ import annotations

import csv
import io
import unicodedata
from calendar import monthrange
from collections import defaultdict
from datetime import date
from decimal import Decimal

from django.utils.translation import gettext as _

from tierslieux.economics.expense_csv import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_AMOUNT,
    MAX_LINES,
    Line,
    Reading,
    Refusal,
    parse_amount,
    parse_date,
)

HEADER = "journalcode"
COLUMNS = ("ecrituredate", "comptenum", "debit", "credit")
SIGNED = ("montant", "sens")  # the variant the article allows instead of Debit and Credit
# The longest prefix wins.
PREFIXES = (
    ("6135", "other"), ("613", "rent"), ("614", "rent"), ("615", "maintenance"),
    ("616", "insurance"), ("6181", "subscriptions"), ("626", "subscriptions"),
    ("651", "subscriptions"), ("60", "variable"), ("621", "staff"), ("64", "staff"),
    ("6", "other"),
    ("2", "investment"),
)  # fmt: skip
SKIPPED = ("68", "675", "28", "29")
OPENING_JOURNALS = {"AN", "ANO", "RAN", "AN0", "ANX", "ANOU", "OUV"}
DEBIT_SIGNS, CREDIT_SIGNS = {"D", "+1", "1", "+"}, {"C", "-1", "-"}
CENT = Decimal("0.01")


def is_fec(text: str) -> bool:
    """A FEC starts with its header, `JournalCode` first."""
    return text.lstrip("\ufeff \"'").lower().startswith(HEADER)


def category_of(account: str) -> str | None:
    if account.startswith(SKIPPED):
        return None
    for prefix, category in PREFIXES:
        if account.startswith(prefix):
            return category
    return None


def is_opening(journal: str, label: str) -> bool:
    """The « à nouveaux »: by the journal's usual codes, or its name (« A nouveaux »,
    « Journal d'ouverture »)."""
    words = _name(label)
    return journal.strip().upper() in OPENING_JOURNALS or "nouveau" in words or "ouverture" in words


def _day(text: str) -> date | None:
    if len(text) == 8 and text.isdigit():
        try:
            found = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            return None
        return found if FIRST_YEAR <= found.year <= LAST_YEAR else None
    return parse_date(text)  # 2027-01-31 or 31/01/2027, as a few tools write it


def _name(text: str) -> str:
    """A header's column as the article spells it: « Débit » is `debit`."""
    return unicodedata.normalize("NFKD", _cell(text)).encode("ascii", "ignore").decode().lower()


def _cell(text: str) -> str:
    """A field without its spaces and the quotes some tools put around every field."""
    text = text.strip()
    return text[1:-1].strip() if len(text) >= 2 and text[0] == text[-1] == '"' else text


def _amount(text: str) -> Decimal | None:
    return parse_amount(text or "0")


def _signed(cells: list[str], at: dict[str, int]) -> Decimal | None:
    """Debit − credit of a line, in either layout; None when an amount is unreadable."""
    if "debit" in at:
        debit, credit = _amount(cells[at["debit"]]), _amount(cells[at["credit"]])
        return None if debit is None or credit is None else debit - credit
    amount, sign = _amount(cells[at["montant"]]), cells[at["sens"]].upper()
    if amount is None or sign not in DEBIT_SIGNS | CREDIT_SIGNS:
        return None
    return amount if sign in DEBIT_SIGNS else -amount


def _columns(header: list[str]) -> dict[str, int] | Refusal:
    needed = COLUMNS if "debit" in header or "montant" not in header else COLUMNS[:2] + SIGNED
    missing = [c for c in needed if c not in header]
    if missing:
        reason = _("The FEC's header lacks the columns %(names)s.") % {"names": ", ".join(missing)}
        return Refusal(1, reason)
    wanted = (*needed, "journalcode", "journallib")
    return {c: header.index(c) for c in wanted if c in header}


def _rows(text: str) -> list[list[str]] | None:
    first = text.splitlines()[0] if text else ""
    separator = "|" if "|" in first else "\t" if "\t" in first else ";"
    try:  # no quoting: a label opening with « " » must not swallow the lines after it
        return list(csv.reader(io.StringIO(text), delimiter=separator, quoting=csv.QUOTE_NONE))
    except csv.Error:  # a line longer than the csv module's limit: no FEC
        return None


def read(text: str, labels: dict[str, str], name: str = "FEC") -> Reading:
    """The file's expenses by month and category, or the lines refused with their reason.
    `labels`: each category's label, for the reasons."""
    text = text.lstrip("\ufeff")
    if "\x00" in text:
        return Reading([], [Refusal(1, _("The file holds binary data: export it as CSV."))])
    rows = _rows(text)
    if rows is None:
        return Reading([], [Refusal(1, _("The file is no FEC: a line is far too long."))])
    at = _columns([_name(c) for c in rows[0]] if rows else [])
    if isinstance(at, Refusal):
        return Reading([], [at])
    # A line may lack the empty columns at its end (Montantdevise, Idevise): some tools leave
    # them out, and a text field stripped on its way back from the page loses them too.
    width, needed = len(rows[0]), max(at.values()) + 1
    sums: dict[tuple[date, str], Decimal] = defaultdict(Decimal)
    first_line: dict[tuple[date, str], int] = {}
    refused: list[Refusal] = []
    for number, raw in enumerate(rows[1:], start=2):
        cells = [_cell(c) for c in raw]
        if not any(cells):
            continue
        if number > MAX_LINES * 20:
            refused.append(Refusal(number, _("At most 100 000 lines a FEC: split it.")))
            break
        if len(cells) < needed:
            refused.append(Refusal(number, _("%(count)s columns where the header has %(expected)s.")
                                   % {"count": len(cells), "expected": width}))  # fmt: skip
            continue
        category = category_of(cells[at["comptenum"]])
        journal = cells[at["journalcode"]] if "journalcode" in at else ""
        journal_name = cells[at["journallib"]] if "journallib" in at else ""
        if category is None or is_opening(journal, journal_name):
            continue
        day = _day(cells[at["ecrituredate"]])
        amount = _signed(cells, at)
        if day is None:
            refused.append(Refusal(number, _("EcritureDate: a date written YYYYMMDD.")))
            continue
        if amount is None:
            refused.append(Refusal(number, _("Debit or Credit: no amount such as 1234,56.")))
            continue
        key = (day.replace(day=monthrange(day.year, day.month)[1]), category)
        sums[key] += amount
        first_line.setdefault(key, number)
    lines = []
    for category in sorted({c for _d, c in sums}):
        months = sorted((day, amount) for (day, c), amount in sums.items() if c == category)
        kept = _carried(months)
        if kept is None:
            first = min(first_line[(day, category)] for day, _a in months)
            reason = _("%(category)s: more credit than debit over the whole file.")
            refused.append(Refusal(first, reason % {"category": labels.get(category, category)}))
            continue
        for day, amount in kept:
            number = first_line[(day, category)]
            if amount > MAX_AMOUNT:
                reason = _("%(month)s, %(category)s: more than 1 000 000 € in one month, "
                           "more than an expense may hold.")  # fmt: skip
                shown = {"month": f"{day:%m/%Y}", "category": labels.get(category, category)}
                refused.append(Refusal(number, reason % shown))
                continue
            lines.append(Line(number, day, f"{name} {day:%m/%Y}", amount.quantize(CENT), category))
    lines.sort(key=lambda x: (x.date, x.number))
    return Reading(lines, sorted(refused, key=lambda r: r.number))


def _carried(months: list[tuple[date, Decimal]]) -> list[tuple[date, Decimal]] | None:
    """Each month's sum, a month's excess of credit taken off the earlier months (the latest
    first), then the later ones; None when the months together are a credit."""
    if sum(a for _d, a in months) < 0:
        return None
    amounts = [amount for _day, amount in months]
    for i in range(len(amounts)):
        if amounts[i] >= 0:
            continue
        excess, amounts[i] = -amounts[i], Decimal(0)
        for j in [*range(i - 1, -1, -1), *range(i + 1, len(amounts))]:
            taken = min(excess, max(amounts[j], Decimal(0)))
            amounts[j] -= taken
            excess -= taken
            if not excess:
                break
    return [(day, amount) for (day, _a), amount in zip(months, amounts, strict=True) if amount > 0]
