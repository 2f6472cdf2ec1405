"""What the registration page tests share: a workshop of three seats, the e-mails sent at once
into `mail.outbox` (they leave after commit; a test runs in one transaction, and the test
settings' tasks run immediately), the links they hold, and the form's field names."""

from __future__ import annotations

import re
from types import SimpleNamespace
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events.tests import factories as ef

NOW = at("2027-03-01", 8)  # a Monday; the workshop is on Wednesday afternoon
PREFIX = "registration-"


@pytest.fixture
def setup(clock, place):
    clock.set(NOW)
    bf.open_every_day(place)


@pytest.fixture
def outbox(monkeypatch):
    monkeypatch.setattr(
        "tierslieux.events.emails.transaction",
        SimpleNamespace(on_commit=lambda callback, *args, **kwargs: callback()),
    )
    return mail.outbox


@pytest.fixture
def room(place):
    return bf.room(place, name="Salle Jaune")


@pytest.fixture
def workshop(setup, coordinator, place, room):
    """A public workshop of 3 seats on Wednesday 3 March 2027, 14:00–17:00."""
    return ef.published(
        coordinator,
        place,
        room,
        at("2027-03-03", 14),
        at("2027-03-03", 17),
        title="Atelier couture",
        capacity=3,
    )


def english(client: Any) -> Any:
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def link_in(message: Any, kind: str = "") -> str:
    """The path of the registration link of an e-mail (`kind="confirm/"`: the confirm link)."""
    pattern = r"https?://[^/\s]+(/events/registrations/[^/\s]+/" + re.escape(kind) + r")\s"
    found = re.search(pattern, message.body)
    assert found, message.body
    return found.group(1)


def event_url(event: Any) -> str:
    return reverse("events:event", args=[event.place.slug, event.pk])


def register_url(event: Any) -> str:
    return reverse("events:register", args=[event.place.slug, event.pk])


def form(**fields: Any) -> dict[str, Any]:
    """The form's POST data, prefixed as the page sends it."""
    return {PREFIX + name: value for name, value in fields.items()}


def visitor_form(session: Any, name: str = "Léa Martin", **more: Any) -> dict[str, Any]:
    fields = {"name": name, "email": "lea@example.org", "seats": 1, "website": ""}
    if session is not None:
        fields["session"] = session.pk
    return form(**{**fields, **more})
