"""What the builder's pages share: the owner and the survey from the URL (403 without the
right, 404 for another owner's survey), the frame they sit in, and the status they answer."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from tierslieux.core.forms import Form, attach_error, form_status
from tierslieux.surveys.models import Survey
from tierslieux.surveys.views.owner import Owner, owner_view

View = Callable[..., HttpResponse]
FRAME_PLACE = "surveys/manage/frame_place.html"  # inside the place's back office, with its tabs
FRAME_NETWORK = "surveys/manage/frame_network.html"  # a network's page


def timezone_of(owner: Owner) -> str:
    """The wall clock the owner's dates are typed and read on."""
    return owner.place.timezone if owner.place is not None else settings.TIME_ZONE


def page(
    request: HttpRequest,
    owner: Owner,
    template: str,
    context: dict[str, Any],
    *forms: Form | None,
) -> HttpResponse:
    """A builder page in the owner's frame; 422 when one of `forms` was submitted with errors."""
    full = {
        **owner.context(request),
        "frame": FRAME_PLACE if owner.place is not None else FRAME_NETWORK,
        **context,
    }
    return render(request, template, full, status=form_status(*forms))


def refused(form: BaseForm, error: ValidationError, fields: dict[str, str] | None = None) -> None:
    """Show a service's refusal on `form` and make the page answer 422 (bound, with errors)."""
    if not hasattr(form, "cleaned_data"):
        form.cleaned_data = {}  # an unbound form: `add_error` looks there
    attach_error(form, error, fields)
    form.is_bound = True  # after: an unbound form is not cleaned again for its errors


def go(owner: Owner, name: str, *args: Any, anchor: str = "") -> HttpResponseRedirect:
    return HttpResponseRedirect(owner.url(name, *args) + (f"#{anchor}" if anchor else ""))


def survey_view(view: View) -> View:
    """Login, the owner, then one of its surveys (404 for anyone else's)."""

    @owner_view
    @wraps(view)
    def wrapper(request: HttpRequest, owner: Owner, survey_id: int, **kwargs: Any) -> HttpResponse:
        survey: Survey = owner.survey(survey_id)
        return view(request, owner, survey, **kwargs)

    return wrapper
