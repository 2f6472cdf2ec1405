"""The back-office kit every app's pages use: one way to open a place's page, know what the
user may do there, and answer with the right status.

    @place_view(Perm.MANAGE_BILLING)
    def invoices(request, place): ...
        return render(request, "billing/manage/invoices.html", {"place": place, ...}, form)

`render` adds `can` (the user's capabilities, which the tabs read) and answers 422 when a
submitted form holds errors (`core.forms.form_status`).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.shortcuts import render as django_render

from tierslieux.core.forms import Form, attach_error, form_status
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place

__all__ = ["Perm", "attach_error", "capabilities", "place_view", "render"]

View = Callable[..., HttpResponse]


def place_view(perm: Perm) -> Callable[[View], View]:
    """Login, then the place by its slug (404), then `perm` on it (403); the view receives
    the place instead of the slug."""

    def decorate(view: View) -> View:
        @login_required
        @wraps(view)
        def wrapper(request: HttpRequest, slug: str, **kwargs: Any) -> HttpResponse:
            place = get_object_or_404(Place, slug=slug)
            access.require(request.user, place, perm)
            return view(request, place, **kwargs)

        return wrapper

    return decorate


def capabilities(user: Any, place: Place) -> dict[str, bool]:
    """What `user` may do in `place`, by permission name (`can.manage_billing` in templates)."""
    return {perm.value: access.has_perm(user, place, perm) for perm in Perm}


def render(
    request: HttpRequest, template: str, context: dict[str, Any], *forms: Form | None
) -> HttpResponse:
    """A back-office page: `can` for the tabs, 422 when one of `forms` was submitted with
    errors (nothing was written), else 200."""
    context.setdefault("can", capabilities(request.user, context["place"]))
    return django_render(request, template, context, status=form_status(*forms))
