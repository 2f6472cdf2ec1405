"""`{% cancellation_terms %}`: the booking form's cancellation terms, rendered with the page
for the slot it shows (the form's script then keeps them up to date from the quote)."""

from __future__ import annotations

from typing import Any

from django import template

from tierslieux.bookings import previews

register = template.Library()


@register.inclusion_tag("bookings/_terms.html", takes_context=True)
def cancellation_terms(context: template.Context) -> dict[str, Any]:
    """The terms of the slot the page's `form` holds (posted, or prefilled), for its user."""
    form, place = context.get("form"), context.get("place")
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    text = ""
    if form is not None and place is not None:
        source = form.data if form.is_bound else form.initial
        params = {name: source.get(name) for name in previews.SLOT if source.get(name)}
        if "space" in params and "date" in params:
            text = previews.terms_for(user, place, params)
    return {"terms_text": text}
