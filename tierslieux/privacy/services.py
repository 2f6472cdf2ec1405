"""Erasure of a person, and the retention rules. Erasure anonymises the person's fields
everywhere and deletes what no law keeps; issued invoices froze the buyer in their own
fields (`billing/snapshots.py`), so they stay intact and their chain verifiable."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import CharField, Max, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import translation
from django.utils.translation import gettext as _

from tierslieux.accounts.models import ApiToken, Person, UserSession
from tierslieux.billing.models import Customer
from tierslieux.bookings.models import CalendarFeed
from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.events.registration_models import Registration, RegistrationStatus
from tierslieux.joining.models import Invitation, SignupRequest
from tierslieux.observatory.models import Declaration
from tierslieux.places.models import NetworkRole, PlaceRole
from tierslieux.surveys.models import Invitation as SurveyInvitation
from tierslieux.surveys.models import Response as SurveyResponse
from tierslieux.surveys.services_collect import purge_pending

Role = PlaceRole.Role
# A registration must stay reachable and unique per date (its constraints): an anonymised one
# gets an address of the reserved `.invalid` domain naming only the row.
INVALID = "@anonymised.invalid"


def _invalid_address() -> Concat:
    return Concat(Value("registration-"), Cast("pk", CharField()), Value(INVALID))


def erased_name(person_id: int) -> tuple[str, str]:
    """First and last name of an erased person, in the instance's language."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Erased person"), _("no. %(number)s") % {"number": person_id}


def last_coordinated(person: Person) -> list[str]:
    """Names of the places where `person` is the only coordinator."""
    alone = set()
    for role in PlaceRole.objects.filter(person=person, role=Role.COORDINATOR).select_related(
        "place"
    ):
        others = PlaceRole.objects.filter(place=role.place, role=Role.COORDINATOR)
        if not others.exclude(person=person).exists():
            alone.add(role.place.name)
    return sorted(alone)


def _forget_sessions(user_id: int) -> None:
    """The login's sessions (those the profile lists, then any older one), its browsers'
    descriptions and its second factor's devices."""
    from django_otp.plugins.otp_static.models import StaticDevice
    from django_otp.plugins.otp_totp.models import TOTPDevice

    listed = UserSession.objects.filter(user_id=user_id)
    Session.objects.filter(session_key__in=listed.values("session_key")).delete()
    listed.delete()
    TOTPDevice.objects.filter(user_id=user_id).delete()
    StaticDevice.objects.filter(user_id=user_id).delete()
    for session in Session.objects.filter(expire_date__gt=clock.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            session.delete()


@transaction.atomic
def erase(*, actor: Actor, person: Person) -> Person:
    """Anonymise `person` everywhere; refuse while a place would be left without coordinator.
    The caller checked who may ask (the person with their password, or a superuser)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    alone = last_coordinated(person)
    if alone:
        refuse(
            _(
                "This person is the only coordinator of %(places)s: name another coordinator "
                "there first."
            ),
            "last_coordinator",
            places=", ".join(alone),
        )
    first, last = erased_name(person.pk)
    label = f"{first} {last}"
    email = person.email
    addresses = Q(email__iexact=email) if email else Q(pk__in=[])
    Invitation.objects.filter(Q(person=person) | addresses).delete()
    SignupRequest.objects.filter(Q(person=person) | addresses).delete()
    CalendarFeed.objects.filter(person=person).delete()
    PlaceRole.objects.filter(person=person).delete()
    NetworkRole.objects.filter(person=person).delete()
    Registration.objects.filter(person=person, status=RegistrationStatus.PENDING).delete()
    Registration.objects.filter(person=person).update(name=label, email=_invalid_address())
    # A survey's answers stay in its results, no longer tied to anyone; its invitations go.
    SurveyInvitation.objects.filter(Q(person=person) | addresses).delete()
    SurveyResponse.objects.filter(person=person).update(person=None)
    Customer.objects.filter(person=person).update(
        name=label,
        address="",
        postcode="",
        city="",
        email="",
        iban="",
        bic="",
        vat_number="",
        siren="",
    )
    if email:
        Declaration.objects.filter(declarant_email__iexact=email).update(
            declarant_name=label, declarant_email=f"erased-{person.pk}@invalid"
        )
    user = person.user
    if user is not None:
        ApiToken.objects.filter(user=user).delete()
        _forget_sessions(user.pk)
        user.email = f"erased-{user.pk}@invalid"
        user.full_name = label
        user.is_active = user.is_staff = user.is_superuser = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        user.user_permissions.clear()
    person.first_name, person.last_name, person.email, person.phone = first, last, "", ""
    person.save(update_fields=["first_name", "last_name", "email", "phone"])
    audit.record(actor=actor, action="privacy.erase", obj=person, changes={"erased": True})
    return person


def retention() -> dict[str, Any]:
    """The retention periods, from settings (`PRIVACY_RETENTION`) over the defaults."""
    periods = {"signup_days": 30, "pending_registration_days": 30, "visitor_months": 24}
    periods.update(getattr(settings, "PRIVACY_RETENTION", {}))
    return periods


@transaction.atomic
def tick() -> dict[str, int]:
    """Apply the retention rules once; running it twice changes nothing more."""
    periods = retention()
    now = clock.now()
    signups, _n = SignupRequest.objects.filter(
        status=SignupRequest.Status.UNCONFIRMED,
        created_at__lt=now - timedelta(days=periods["signup_days"]),
    ).delete()
    pending, _n = Registration.objects.filter(
        status=RegistrationStatus.PENDING,
        created_at__lt=now - timedelta(days=periods["pending_registration_days"]),
    ).delete()
    # A visitor's registration (no person behind it) to an event whose last date ended long
    # ago: the counts stay (statistics, attendance), the name and address go. One that an
    # invoice names keeps them: the seat sold is part of the accounts the law keeps.
    ended = now - timedelta(days=round(30.44 * periods["visitor_months"]))
    with translation.override(settings.LANGUAGE_CODE):
        visitor = _("Anonymised visitor")
    visitors = (
        Registration.objects.filter(person__isnull=True, invoice__isnull=True)
        .exclude(email__endswith=INVALID)
        .annotate(last_end=Max("event__sessions__end"))
        .filter(last_end__lt=ended)
    )
    anonymised = Registration.objects.filter(pk__in=list(visitors.values_list("pk", flat=True)))
    count = anonymised.update(name=visitor, email=_invalid_address(), language="")
    return {
        "signups": signups,
        "pending_registrations": pending,
        "visitors": count,
        "survey_answers_unconfirmed": purge_pending(),
    }
