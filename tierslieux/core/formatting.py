"""Money, numbers and dates as the reader writes them, in the active language.

One module for Python (services' messages, e-mails, PDFs) and, through the `formatting`
template library, for templates. Thousands are grouped only here: the project sets
`USE_THOUSAND_SEPARATOR = False`, so an id or a year printed raw never reads "1 234".
"""

from __future__ import annotations

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import formats, timezone, translation

NBSP = "\u00a0"  # French writes 12,50 € and 45 % with a no-break space


def _decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, float):
        value = repr(value)
    try:
        return Decimal(value)
    except (InvalidOperation, TypeError, ValueError):
        return None


def number(value: Any, decimals: int | None = None) -> str:
    """33 000 in French, 33,000 in English. With `decimals`, exactly that many; without, the
    decimals the value has (2.50 stays "2,50"), a whole value none ("1E+3" is "1 000").
    Not a number: returned as text."""
    amount = _decimal(value)
    if amount is None:
        return "" if value is None else str(value)
    if decimals is None and amount == amount.to_integral():
        amount = amount.quantize(Decimal(1))
    return formats.number_format(amount, decimals, use_l10n=True, force_grouping=True)


def amount(value: Any) -> str:
    """A sum of money without its currency: 1 234,50."""
    return number(value, 2)


def money(value: Any, currency: str = "€") -> str:
    """A sum of money: 1 234,50 € in French, 1,234.50 € in English."""
    text = amount(value)
    return f"{text}{NBSP}{currency}" if text else ""


def percent(value: Any, decimals: int | None = None) -> str:
    """45 % (French writes a space before the sign)."""
    text = number(value, decimals)
    return f"{text}{NBSP}%" if text else ""


def day(value: date | datetime | None, style: str = "DATE_FORMAT") -> str:
    """A date as the reader writes it: 1er mars 2027 / March 1, 2027."""
    if value is None:
        return ""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    return _first(value, formats.date_format(value, style))


def moment(value: datetime | None) -> str:
    """A date and time in the active time zone: 1er mars 2027 14:30."""
    if value is None:
        return ""
    value = timezone.localtime(value)
    return _first(value, formats.date_format(value, "DATETIME_FORMAT"))


FIRST = re.compile(r"(?<![\d/])1 (?=\D)")


def _first(value: date, text: str) -> str:
    """French writes the first of the month "1er": (mardi) 1er mars, not 1 mars."""
    if value.day == 1 and translation.get_language() == "fr":
        return FIRST.sub("1er ", text, count=1)
    return text


def colon() -> str:
    """The colon after a label in the active language: French puts a no-break space before it."""
    return f"{NBSP}:" if translation.get_language() == "fr" else ":"
