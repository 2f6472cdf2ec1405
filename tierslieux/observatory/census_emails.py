"""The census's e-mails: the declarant's acknowledgement and the network's decision (in the
language of the page they declared from), and the network administrators' notice that a
declaration waits (in each one's language).

Rendered and queued once the transaction commits: a refused write sends nothing. The
declarant's address is used for these messages only."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from tierslieux.accounts.tasks import queue_email
from tierslieux.observatory.models import Declaration
from tierslieux.places.models import NetworkRole

DEFAULT_LANGUAGE = "fr"
LANGUAGES = frozenset(code for code, _name in settings.LANGUAGES)


def _link(url_name: str, **kwargs: object) -> str:
    return settings.SITE_URL.rstrip("/") + reverse(url_name, kwargs=kwargs)


def _language(code: str) -> str:
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


def render(declaration: Declaration, kind: str, language: str) -> tuple[str, str]:
    """The (subject, body) of the e-mail `kind` about `declaration`, in `language`."""
    network = declaration.network
    context = {
        "declaration": declaration,
        "network": network,
        "queue_link": _link("census:queue", network_slug=network.slug),
        "place_link": (
            settings.SITE_URL.rstrip("/") + declaration.place.get_absolute_url()
            if declaration.place is not None
            else ""
        ),
    }
    with translation.override(_language(language)):
        text = render_to_string(f"observatory/email/census_{kind}.txt", context)
    subject, _sep, body = text.strip().partition("\n")
    return subject.strip(), body.strip() + "\n"


def _send(pk: int, kind: str, to: list[tuple[str, str]]) -> None:
    def send() -> None:
        current = Declaration.objects.select_related("network", "place").get(pk=pk)
        for address, language in to:
            subject, body = render(current, kind, language)
            queue_email(subject, body, [address])

    transaction.on_commit(send, robust=True)


def received(declaration: Declaration) -> None:
    """ "We received your declaration": to the declarant."""
    _send(
        declaration.pk,
        "received",
        [(declaration.declarant_email, declaration.language)],
    )


def administrators(network_id: int) -> list[tuple[str, str]]:
    """The network administrators' addresses and languages (an account's address first)."""
    found: dict[str, str] = {}
    roles = NetworkRole.objects.filter(
        network_id=network_id, role=NetworkRole.Role.ADMIN
    ).select_related("person__user")
    for role in roles:
        user = role.person.user
        address = (user.email if user is not None else "") or role.person.email
        if address:
            found.setdefault(address.lower(), user.language if user is not None else "")
    return sorted(found.items())


def waiting(declaration: Declaration) -> None:
    """ "A new declaration waits": to each administrator of the network."""
    _send(declaration.pk, "waiting", administrators(declaration.network_id))


def decided(declaration: Declaration) -> None:
    """The network's answer (accepted, merged, declined with its reason): to the declarant."""
    _send(
        declaration.pk,
        str(declaration.status),
        [(declaration.declarant_email, declaration.language)],
    )
