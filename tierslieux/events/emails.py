"""The registration e-mails: rendered in the attendee's language and the place's time zone once
the transaction commits (a rolled-back write sends nothing), then queued on the accounts'
`send_email` task, sealed (`queue_email`).

The links carry a signed token naming the registration: stable (every e-mail's link keeps
working), unguessable, and nothing to store. The address is used for these e-mails only.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from tierslieux.accounts.models import User
from tierslieux.accounts.tasks import queue_email

if TYPE_CHECKING:
    from tierslieux.events.models import Registration

SALT = "tierslieux.events.registration"
KINDS = frozenset(
    {"pending", "confirmed", "waitlisted", "promoted", "cancelled", "event_cancelled", "reminder"}
)
DEFAULT_LANGUAGE = "fr"


def token_for(registration: Registration) -> str:
    return signing.Signer(salt=SALT).sign(str(registration.pk))


def registration_id(token: str) -> int | None:
    """The registration a token names, or None for anything else."""
    if not token or len(token) > 200:
        return None
    try:
        value = signing.Signer(salt=SALT).unsign(token)
    except signing.BadSignature:
        return None
    return int(value) if value.isdigit() else None


def _link(url_name: str, **kwargs: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(url_name, kwargs=kwargs)


def language_of(registration: Registration) -> str:
    """The account's language, else that of the page the visitor registered from."""
    person = registration.person
    if person is not None and person.user_id is not None:
        return person.user.language  # type: ignore[union-attr]
    user = User.objects.filter(email__iexact=registration.email).only("language").first()
    if user is not None:
        return user.language
    return registration.language or DEFAULT_LANGUAGE


def render(registration: Registration, kind: str) -> tuple[str, str]:
    """The (subject, body) of the e-mail `kind` about `registration`."""
    event = registration.event
    place = event.place
    tz = ZoneInfo(place.timezone)
    token = token_for(registration)
    sessions = (
        [registration.session]
        if registration.session is not None
        else list(event.sessions.filter(cancelled_at__isnull=True).select_related("space"))
    )
    with translation.override(language_of(registration)), timezone.override(tz):
        text = render_to_string(
            f"events/email/{kind}.txt",
            {
                "registration": registration,
                "event": event,
                "place": place,
                "sessions": sessions,
                "confirm_link": _link("events:registration_confirm", token=token),
                "manage_link": _link("events:registration", token=token),
                "event_link": _link("events:event", slug=place.slug, event_id=event.pk),
            },
        )
    subject, _, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def notify(registration: Registration, kind: str) -> None:
    """Queue the e-mail `kind` (empty: what the registration's status says) after commit."""
    kind = kind or registration.status
    if kind not in KINDS or not registration.email:
        return
    pk, address = registration.pk, registration.email

    def send() -> None:
        from tierslieux.events.models import Registration

        current = Registration.objects.select_related(
            "event__place", "session__space", "person__user"
        ).get(pk=pk)
        subject, body = render(current, kind)
        queue_email(subject, body, [address])

    # Robust: the registration is written; a message that fails to render is logged, and the
    # attendee still sees their registration rather than an error.
    transaction.on_commit(send, robust=True)
