"""Personal links to a survey: one per invited address, its token sent by e-mail and only its
digest kept (`Invitation.digest`), so that a stolen database opens no survey in anyone's name.

A resend makes a new link and kills the old one. For an anonymous survey an invitation keeps no
person, and `answered` only says that the link was used.
"""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person
from tierslieux.accounts.tasks import queue_email
from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.joining.emails import language_of
from tierslieux.joining.services.common import new_token, normalise_email
from tierslieux.surveys.access import require_manage
from tierslieux.surveys.models import Invitation, Survey

MAX_BATCH = 500  # addresses in one go


@dataclass(frozen=True)
class Invited:
    sent: list[str]  # addresses that received a link
    already: list[str]  # addresses invited before (a resend is their own action)


def public_link(survey: Survey) -> str:
    """The survey's public address (served by the collect pages under `/s/`)."""
    return f"{settings.SITE_URL.rstrip('/')}/s/{survey.public_key}/"


def invitation_link(survey: Survey, raw_token: str) -> str:
    return f"{public_link(survey)}i/{raw_token}/"


def owner_timezone(survey: Survey) -> str:
    return survey.place.timezone if survey.place is not None else settings.TIME_ZONE


def parse_addresses(text: str) -> list[str]:
    """The addresses pasted one per line (or separated by commas, semicolons, spaces), in
    lower case, each once; a `ValidationError` names the first wrong one."""
    found: list[str] = []
    for raw in text.replace(",", " ").replace(";", " ").split():
        address = normalise_email(raw.strip("<>\"'"))
        try:
            validate_email(address)
        except ValidationError:
            refuse(
                _("“%(address)s” is not an e-mail address.") % {"address": raw[:100]},
                "bad_address",
            )
        if address not in found:
            found.append(address)
    return found


def _check(survey: Survey) -> None:
    if survey.status != Survey.Status.PUBLISHED:
        refuse(_("Invite people once the survey is published and before it is archived."), "status")
    if survey.answer_rule == Survey.AnswerRule.CONFIRMED:
        refuse(
            _("This survey confirms each answer by e-mail: personal links do not apply to it."),
            "rule",
        )


def _send(survey: Survey, address: str, raw_token: str) -> None:
    """Render the invitation in the recipient's language and queue it after commit."""
    context = {
        "survey": survey,
        "owner_name": survey.owner_name,
        "link": invitation_link(survey, raw_token),
    }
    tz = ZoneInfo(owner_timezone(survey))
    with translation.override(language_of(address)), timezone.override(tz):
        text = render_to_string("surveys/email/invitation.txt", context)
    subject, _sep, body = text.strip().partition("\n")
    subject, body = subject.strip(), body.strip() + "\n"
    transaction.on_commit(lambda: queue_email(subject, body, [address]))


def _person(survey: Survey, address: str) -> Person | None:
    if survey.anonymous:
        return None
    return Person.objects.filter(user__email__iexact=address).first()


@transaction.atomic
def invite(*, actor: Actor, survey: Survey, emails: list[str]) -> Invited:
    """A personal link for each address not invited yet, sent by e-mail after commit."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    require_manage(actor, survey)
    _check(survey)
    addresses = list(dict.fromkeys(normalise_email(e) for e in emails if e.strip()))
    if not addresses:
        refuse(_("Give at least one address."), "no_address")
    if len(addresses) > MAX_BATCH:
        refuse(_("At most %(max)s addresses at a time.") % {"max": MAX_BATCH}, "too_many")
    already = set(
        Invitation.objects.filter(survey=survey, email__in=addresses).values_list(
            "email", flat=True
        )
    )
    sent = [a for a in addresses if a not in already]
    now = clock.now()
    for address in sent:
        raw, digest = new_token()
        Invitation.objects.create(
            survey=survey, email=address, person=_person(survey, address), digest=digest,
            sent_at=now,
        )  # fmt: skip
        _send(survey, address, raw)
    if sent:
        Survey.objects.filter(pk=survey.pk).update(
            invitation_count=F("invitation_count") + len(sent)
        )
        audit.record(
            actor=actor, action="survey.invite", obj=survey, place_id=survey.place_id,
            changes={"invited": len(sent)},
        )  # fmt: skip
    return Invited(sent, [a for a in addresses if a in already])


@transaction.atomic
def resend(*, actor: Actor, survey: Survey, invitation_id: int) -> Invitation:
    """A new personal link for an invitation not used yet; the old link no longer opens."""
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    require_manage(actor, survey)
    _check(survey)
    invitation = (
        Invitation.objects.select_for_update().filter(survey=survey, pk=invitation_id).first()
    )
    if invitation is None:
        refuse(_("This invitation does not exist (any more)."), "unknown_invitation")
    if invitation.answered:
        refuse(_("This link has already been used to answer."), "already_answered")
    raw, invitation.digest = new_token()
    invitation.sent_at = clock.now()
    invitation.save(update_fields=["digest", "sent_at"])
    _send(survey, invitation.email, raw)
    audit.record(actor=actor, action="survey.reinvite", obj=survey, place_id=survey.place_id)
    return invitation
