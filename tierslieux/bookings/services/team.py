"""What the place's team may do on anyone's booking, decided once for the pages and the API:
book for an organisation of the place (which its people may too, for their own), and what a
cancellation gives back.

A cancellation by the team of someone else's booking is the team's decision, not the
member's: the credits come back and the charge is voided whatever the deadline (unless the
team chooses to keep it billed). A member's own cancellation, and a team member's of their
own booking, follow the space's rules: in time, everything back; late, everything kept.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.bookings.checks import Context
from tierslieux.bookings.models import Booking, Purpose
from tierslieux.bookings.services.common import made_by_member, person_of
from tierslieux.core.types import Actor
from tierslieux.places.models import Space


def resolve_organisation(
    ctx: Context,
    organisation: Organisation | int | None,
    *,
    person: Person | int | None = None,
    actor: Actor | None = None,
) -> Organisation | None:
    """The organisation a booking is for, only one holding a role in the place (a resident
    organisation, a member organisation), and then no `person`: a booking is for a person or
    for an organisation, never both (the database says so too). The team names any of them;
    anyone else (`actor`) only one they belong to (`Organisation.people`)."""
    if organisation is None:
        return None
    own = person_of(actor) if actor is not None else None
    if not ctx.staff and own is None:
        raise PermissionDenied
    if person is not None and not (own is not None and _pk(person) == own.pk):
        raise ValidationError(
            {"organisation": [_("A booking is for a person or for an organisation, not both.")]},
            code="person_and_organisation",
        )
    found = (
        Organisation.objects.filter(pk=_pk(organisation), place_roles__place_id=ctx.space.place_id)
        .distinct()
        .first()
    )
    if found is None:
        raise ValidationError(
            {"organisation": [_("No such organisation is known to this place.")]},
            code="unknown_organisation",
        )
    if not ctx.staff and not found.people.filter(pk=own.pk).exists():  # type: ignore[union-attr]
        raise ValidationError(
            {"organisation": [_("You can only book for an organisation you belong to.")]},
            code="not_in_organisation",
        )
    return found


def _pk(value: Organisation | Person | int) -> int:
    return value if isinstance(value, int) else value.pk


def organisations_of(person: Person | None, place_id: int) -> list[Organisation]:
    """The organisations a person may book for in a place: theirs that hold a role there."""
    if person is None:
        return []
    return list(
        Organisation.objects.filter(people=person, place_roles__place_id=place_id)
        .distinct()
        .order_by("name", "pk")
    )


def check_headcount(space: Space, headcount: int | None, purpose: str) -> None:
    """A headcount from 1 to the space's capacity; a purpose from the list (or none)."""
    if headcount is not None and not 1 <= headcount <= max(space.capacity, 1):
        raise ValidationError(
            {
                "headcount": [
                    _("Between 1 and %(capacity)s people fit in this space.")
                    % {"capacity": max(space.capacity, 1)}
                ]
            },
            code="headcount",
        )
    if purpose and purpose not in Purpose.values:
        raise ValidationError({"purpose": [_("Choose a purpose from the list.")]}, code="purpose")


def for_another(actor: Actor, booking: Booking) -> bool:
    """True when the actor acts on a booking that is not their own (the team's hand): one
    for an organisation is the actor's own when they made it and belong to it."""
    own = person_of(actor)
    if own is None:
        return True
    if booking.organisation_id is not None:
        return not made_by_member(own, booking)
    return booking.person_id != own.pk


def gives_back(*, staff: bool, another: bool, in_time: bool, refund: bool | None) -> bool:
    """Whether a cancellation gives the credits back and voids the charge. `refund`: the
    team's explicit choice (None: the default); a member's choice counts for nothing."""
    if staff and refund is not None:
        return refund
    if staff and another:
        return True
    return in_time
