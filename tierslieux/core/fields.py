"""Model fields with the project's defaults."""

from __future__ import annotations

from typing import Any

from django.db import models


class WebsiteField(models.URLField):
    """A URL whose form field assumes https when the scheme is left out (Django 6 default)."""

    def formfield(self, **kwargs: Any) -> Any:
        kwargs.setdefault("assume_scheme", "https")
        return super().formfield(**kwargs)
