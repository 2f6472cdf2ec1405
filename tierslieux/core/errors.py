"""How services refuse: a `ValidationError` with a code and parameters, never a bare string.

Views show it on the form with `core.forms.attach_error`; the API answers 422 with the code.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.core.exceptions import ValidationError


def refuse(message: str, code: str, /, **params: Any) -> NoReturn:
    """Raise the refusal `code` with a translated `message` and its `params`."""
    raise ValidationError(message, code=code, params=params or None)
