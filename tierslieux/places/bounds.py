"""What bounds the places' models: descriptions of a sane length (in the model, its forms
and the database alike), and a constraint's refusal moved onto the
field a person corrects."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils.translation import gettext_lazy as _

# Descriptions are read on a page, not stored books: a bound the form, the API and the
# database all keep (a check constraint of the same length).
LONG_TEXT = 5_000
SHORT_TEXT = 2_000
# A space of identical units (desks, printers) and its capacity, as a person counts them.
MAX_UNITS = 1_000
MAX_CAPACITY = 10_000


def description_field(max_length: int) -> models.TextField:
    return models.TextField(
        _("description"),
        blank=True,
        max_length=max_length,
        validators=[MaxLengthValidator(max_length)],
    )


def length_within(field: str, max_length: int, name: str) -> models.CheckConstraint:
    return models.CheckConstraint(name=name, condition=LessThanOrEqual(Length(field), max_length))


def on_field(
    error: ValidationError, code: str, field: str, message: Any, **params: Any
) -> ValidationError:
    """`error` (from `validate_constraints`) with its non-field refusals of `code` replaced
    by `message` on `field`; unchanged when it has none."""
    errors = error.update_error_dict({})
    general = errors.get(NON_FIELD_ERRORS, [])
    mine = [e for e in general if getattr(e, "code", None) == code]
    if not mine:
        return error
    errors[NON_FIELD_ERRORS] = [e for e in general if e not in mine]
    if not errors[NON_FIELD_ERRORS]:
        del errors[NON_FIELD_ERRORS]
    errors.setdefault(field, []).append(ValidationError(message, code=code, params=params))
    return ValidationError(errors)
