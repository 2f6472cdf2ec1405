"""Validators of French and Belgian public identifiers, with messages in the user's language."""

from __future__ import annotations

import functools
import re
import unicodedata
import zoneinfo

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# La Poste's SIRETs do not follow Luhn: the sum of their digits is a multiple of 5.
LA_POSTE_SIREN = "356000000"

POSTCODE_PATTERNS = {
    "FR": re.compile(r"^(?:0[1-9]|[1-8]\d|9[0-8])\d{3}$"),
    "BE": re.compile(r"^[1-9]\d{3}$"),
    "ES": re.compile(r"^(?:0[1-9]|[1-4]\d|5[0-2])\d{3}$"),
    "LU": re.compile(r"^\d{4}$"),
    "CH": re.compile(r"^[1-9]\d{3}$"),
}


def luhn_ok(digits: str) -> bool:
    total = 0
    for index, char in enumerate(reversed(digits)):
        n = int(char)
        if index % 2 == 1:
            n *= 2
            if n > 9:
                n -= 9
        total += n
    return total % 10 == 0


def validate_siren(value: str) -> None:
    if not re.fullmatch(r"\d{9}", value or "") or not luhn_ok(value):
        raise ValidationError(
            _("“%(value)s” is not a valid SIREN: 9 digits with a valid check digit."),
            code="invalid_siren",
            params={"value": value},
        )


def validate_siret(value: str) -> None:
    if not re.fullmatch(r"\d{14}", value or ""):
        raise ValidationError(
            _("A SIRET has exactly 14 digits (“%(value)s” has not)."),
            code="invalid_siret",
            params={"value": value},
        )
    if value.startswith(LA_POSTE_SIREN):
        valid = sum(int(c) for c in value) % 5 == 0
    else:
        valid = luhn_ok(value)
    if not valid:
        raise ValidationError(
            _("“%(value)s” is not a valid SIRET: its check digit is wrong."),
            code="invalid_siret",
            params={"value": value},
        )


def validate_rna(value: str) -> None:
    """RNA, the register of French associations: W followed by 9 digits (W + département)."""
    if not re.fullmatch(r"W[0-9][0-9AB]\d{7}", value or ""):
        raise ValidationError(
            _("“%(value)s” is not an RNA number: W and 9 characters, e.g. W751234567."),
            code="invalid_rna",
            params={"value": value},
        )


def validate_postcode(value: str, country: str) -> None:
    pattern = POSTCODE_PATTERNS.get(country)
    if pattern is not None and not pattern.match(value or ""):
        raise ValidationError(
            _("“%(value)s” is not a valid postcode for %(country)s."),
            code="invalid_postcode",
            params={"value": value, "country": country},
        )


def validate_single_line(value: str) -> None:
    """A name or a title is one line of text: no line break, tab or other control character
    (a line break in a place's name made every e-mail subject built from it invalid)."""
    if any(unicodedata.category(char) == "Cc" for char in value):
        raise ValidationError(
            _("Write it on one line, without line breaks, tabs or control characters."),
            code="control_characters",
        )


@functools.cache
def _time_zones() -> frozenset[str]:
    """Read once per process: listing the zones reads the system's tz database (~15 ms)."""
    return frozenset(zoneinfo.available_timezones())


def validate_timezone(value: str) -> None:
    if value not in _time_zones():
        raise ValidationError(
            _("“%(value)s” is not an IANA time zone, e.g. Europe/Paris."),
            code="invalid_timezone",
            params={"value": value},
        )
