"""The two rules every page with a form follows, whatever its app.

- A service's refusal is shown on the form that asked for it (`attach_error`, `submit`).
- A submitted form with errors answers 422, and nothing was written (`form_status`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm, BaseFormSet
from django.http import HttpRequest

Form = BaseForm | BaseFormSet


def attach_error(
    form: BaseForm, error: ValidationError, fields: dict[str, str] | None = None
) -> None:
    """Show a service's ValidationError on `form`: by field where the form has it, or where
    `fields` maps the refusal's code to one of its fields; otherwise above the form."""
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
        return
    for item in error.error_list:
        target = (fields or {}).get(item.code or "")
        form.add_error(target if target in form.fields else None, item)


def submit(
    request: HttpRequest,
    form: BaseForm,
    write: Callable[[dict[str, Any]], object],
    fields: dict[str, str] | None = None,
) -> bool:
    """Whether the request posted `form` valid and `write(form.cleaned_data)` (a service)
    accepted it. A refusal lands on the form (`attach_error`): the page shows it, with 422."""
    if request.method != "POST" or not form.is_valid():
        return False
    try:
        write(form.cleaned_data)
    except ValidationError as error:
        attach_error(form, error, fields)
        return False
    return True


def is_invalid(form: Form | None) -> bool:
    """A bound form (or formset) that holds errors."""
    if form is None or not form.is_bound:
        return False
    if isinstance(form, BaseFormSet):
        return not form.is_valid()
    return bool(form.errors)


def form_status(*forms: Form | None) -> int:
    """422 when a submitted form holds errors (nothing was written), else 200."""
    return 422 if any(is_invalid(f) for f in forms) else 200
