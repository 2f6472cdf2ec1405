"""`{% join_button place %}` for a place's public page and `{% joining_summary place %}` for
the people page: the places app shows them without importing this app."""

from __future__ import annotations

from typing import Any

from django import template

from tierslieux.joining import queries
from tierslieux.places.models import Place

register = template.Library()


@register.inclusion_tag("joining/join_button.html", takes_context=True)
def join_button(context: template.Context, place: Place) -> dict[str, Any]:
    """The "Become a member" button when the place takes sign-ups, or where the visitor
    stands (member, request waiting)."""
    user = getattr(context.get("request"), "user", None)
    return {"place": place, "state": queries.join_state(user, place)}


@register.inclusion_tag("joining/joining_summary.html", takes_context=True)
def joining_summary(context: template.Context, place: Place) -> dict[str, Any]:
    """Invitations and requests waiting, with links, for the team's people page."""
    return {
        "place": place,
        "invitations": queries.open_invitations(place).count(),
        "requests": queries.pending_requests(place).count(),
    }
