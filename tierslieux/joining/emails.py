"""The joining e-mails: rendered in the recipient's language, in the place's time zone, and
queued sealed after commit (`accounts.tasks.queue_email`: their links work as passwords; a
rolled-back write sends nothing)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tierslieux.accounts.models import User
from tierslieux.accounts.tasks import queue_email
from tierslieux.places.models import Place

DEFAULT_LANGUAGE = "fr"  # a place writes French to people whose language it does not know


def link(url_name: str, *args: Any) -> str:
    """An absolute link for an e-mail (the site's address comes from the settings)."""
    return settings.SITE_URL.rstrip("/") + reverse(url_name, args=args)


def language_of(email: str) -> str:
    """The language of the account using `email`, else the place's default."""
    user = User.objects.filter(email__iexact=email).only("language").first()
    return user.language if user is not None else DEFAULT_LANGUAGE


def send(
    *, to: str, language: str, template: str, place: Place | None, context: dict[str, Any]
) -> None:
    """Render `joining/email/<template>.txt` (first line: the subject) and queue it."""
    tz = place.timezone if place is not None else settings.TIME_ZONE
    with translation.override(language), timezone.override(tz):
        text = render_to_string(f"joining/email/{template}.txt", {"place": place, **context})
    subject, _, body = text.strip().partition("\n")
    subject, body = subject.strip(), body.strip() + "\n"
    transaction.on_commit(lambda: queue_email(subject, body, [to]))
