"""What the place's team may do on anyone's booking, decided once for the pages and the API:
book for a resident organisation of the place, and what a cancellation gives back.

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
from tierslieux.bookings.models import Booking
from tierslieux.bookings.services.common import person_of
from tierslieux.core.types import Actor


def resolve_organisation(
    ctx: Context,
    organisation: Organisation | int | None,
    *,
    person: Person | int | None = None,
) -> Organisation | None:
    """The organisation a booking is for: only the team names one, only one holding a role
    in the place (a resident organisation, a member organisation), and then no `person`: a
    booking is for a person or for an organisation, never both (the database says so too)."""
    if organisation is None:
        return None
    if not ctx.staff:
        raise PermissionDenied
    if person is not None:
        raise ValidationError(
            {"organisation": [_("A booking is for a person or for an organisation, not both.")]},
            code="person_and_organisation",
        )
    org_id = organisation.pk if isinstance(organisation, Organisation) else organisation
    found = (
        Organisation.objects.filter(pk=org_id, place_roles__place_id=ctx.space.place_id)
        .distinct()
        .first()
    )
    if found is None:
        raise ValidationError(
            {"organisation": [_("No such organisation is known to this place.")]},
            code="unknown_organisation",
        )
    return found


def for_another(actor: Actor, booking: Booking) -> bool:
    """True when the actor acts on a booking that is not their own (the team's hand)."""
    own = person_of(actor)
    return own is None or booking.person_id != own.pk


def gives_back(*, staff: bool, another: bool, in_time: bool, refund: bool | None) -> bool:
    """Whether a cancellation gives the credits back and voids the charge. `refund`: the
    team's explicit choice (None: the default); a member's choice counts for nothing."""
    if staff and refund is not None:
        return refund
    if staff and another:
        return True
    return in_time
