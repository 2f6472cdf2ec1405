"""`{% load formatting %}`: money, numbers and dates, the one way templates format them.

{{ invoice.total|money }}   1 234,50 €      {{ rate|percent }}   45 %
{{ price|amount }}          1 234,50        {{ count|number }}   33 000
{{ day|day }}               1er mars 2027   {{ at|moment }}       1er mars 2027 14:30
"""

from __future__ import annotations

from typing import Any

from django import template

from tierslieux.core import formatting

register = template.Library()


@register.filter
def money(value: Any, currency: str = "€") -> str:
    return formatting.money(value, currency)


@register.filter
def amount(value: Any) -> str:
    return formatting.amount(value)


@register.filter
def number(value: Any, decimals: Any = None) -> str:
    return formatting.number(value, None if decimals in (None, "") else int(decimals))


@register.filter
def percent(value: Any, decimals: Any = None) -> str:
    return formatting.percent(value, None if decimals in (None, "") else int(decimals))


@register.filter
def day(value: Any, style: str = "DATE_FORMAT") -> str:
    return formatting.day(value, style)


@register.filter
def moment(value: Any) -> str:
    return formatting.moment(value)


@register.simple_tag
def colon() -> str:
    """The colon after a label, with the no-break space French puts before it."""
    return formatting.colon()
