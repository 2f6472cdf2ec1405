"""Indicator values frozen into JSON and back: a confirmed assessment keeps the figures it was
judged on (`YearAssessment.figures`), so its report does not move when a late record lands.

Pure. Decimals are written as strings and read back as Decimals (never floats: a share or an
amount stays exact); the "not recorded" reasons are written in English, the catalogue's
message ids, and translated again when read, so a report reads in its reader's language.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils import translation
from django.utils.translation import gettext

from tierslieux.impact.indicator_defs import Value


def _out(amount: Any) -> Any:
    if isinstance(amount, Decimal):
        return str(amount)
    if isinstance(amount, Mapping):
        return {str(k): _out(v) for k, v in amount.items()}
    return amount


def _in(amount: Any) -> Any:
    if isinstance(amount, str):
        try:
            return Decimal(amount)
        except InvalidOperation:
            return amount
    if isinstance(amount, Mapping):
        return {k: _in(v) for k, v in amount.items()}
    return amount


def freeze(values: Mapping[str, Value]) -> dict[str, dict[str, Any]]:
    """{indicator key: {"amount", "reason", "basis"}}, ready for a JSONField."""
    with translation.override("en"):
        return {
            key: {"amount": _out(v.amount), "reason": str(v.reason), "basis": v.basis}
            for key, v in values.items()
        }


def thaw(data: Mapping[str, Any]) -> dict[str, Value]:
    """The frozen figures as `Value`s again, their reasons in the active language."""
    return {
        key: Value(
            _in(row.get("amount")),
            gettext(row["reason"]) if row.get("reason") else "",
            row.get("basis"),
        )
        for key, row in data.items()
    }
