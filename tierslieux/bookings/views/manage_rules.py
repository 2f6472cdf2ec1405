"""The booking rules pages of the back office: which rules each space follows (its own, its
place's defaults for its kind, or the built-in ones), a space's rules and a kind's defaults
to edit or to give up, and the place's grace period after booking.

The team sees them (`Perm.MANAGE_BOOKINGS`); the coordinators change them
(`services.rules.RULES_PERM`). Invalid values answer 422 with the field named; going back to
the defaults asks first (a confirmation page, then POST).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from tierslieux.bookings.forms_rules import GraceForm, RulesForm
from tierslieux.bookings.models import (
    KindRules,
    grace_minutes,
    kind_defaults,
    prime_rules,
    rules_and_source,
)
from tierslieux.bookings.rules import PLACE_KIND, defaults_for
from tierslieux.bookings.services import rules as services
from tierslieux.members.models import RoomRate
from tierslieux.places import access
from tierslieux.places.backoffice import Perm, attach_error, place_view, render
from tierslieux.places.models import Place, Space

KINDS = dict(Space.Kind.choices)


def _rules_url(place: Place) -> str:
    return reverse("bookings_manage:rules", args=[place.slug])


def _space(place: Place, space_slug: str) -> Space:
    return get_object_or_404(
        Space.objects.active().select_related("booking_rules", "place"),
        place=place,
        slug=space_slug,
    )


def _kind(request: HttpRequest) -> str:
    kind = request.GET.get("kind", "")
    if kind not in KINDS:
        raise Http404
    return kind


def _rates(place: Place) -> dict[int, set[str]]:
    """The audiences each space of the place has a rate for (one query)."""
    found: dict[int, set[str]] = {}
    for space_id, audience in RoomRate.objects.filter(place=place).values_list(
        "space_id", "audience"
    ):
        found.setdefault(space_id, set()).add(audience)
    return found


@place_view(Perm.MANAGE_BOOKINGS)
def rules(request: HttpRequest, place: Place) -> HttpResponse:
    """Every space with the rules it follows and where they come from, the place's defaults
    per kind, and the grace period (its form posts here)."""
    form = GraceForm(initial={"grace_minutes": grace_minutes(place)})
    if request.method == "POST":
        access.require(request.user, place, services.RULES_PERM)
        form = GraceForm(request.POST)
        if form.is_valid():
            try:
                minutes = form.cleaned_data["grace_minutes"]
                services.save_booking_settings(
                    actor=request.user, place=place, grace_minutes=minutes
                )
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(request, _("The grace period is saved."))
                return redirect(_rules_url(place))
    spaces = list(
        Space.objects.active().filter(place=place).select_related("booking_rules").order_by("name")
    )
    prime_rules(spaces)
    rates = _rates(place)
    rows = []
    for space in spaces:
        applied, source = rules_and_source(space)
        audiences = rates.get(space.pk, set())
        rows.append(
            {
                "space": space,
                "rules": applied,
                "source": source,
                "priced": bool(audiences),
                # Open to anyone, priced for members only: a non-member would book for free.
                "free_for_others": applied.audience == "public"
                and bool(audiences)
                and RoomRate.Audience.NON_MEMBER not in audiences,
            }
        )
    own_kinds = {row.kind: row.values() for row in KindRules.objects.filter(place=place)}
    used = Counter(space.kind for space in spaces)
    kinds = [
        {
            "kind": kind,
            "label": label,
            "rules": own_kinds.get(kind) or defaults_for(kind),
            "set_here": kind in own_kinds,
            "spaces": used[kind],
        }
        for kind, label in Space.Kind.choices
    ]
    return render(
        request,
        "bookings/manage/rules.html",
        {"place": place, "rows": rows, "kinds": kinds, "grace_form": form},
        form,
    )


def _edit(
    request: HttpRequest, place: Place, initial: dict[str, Any], save: Any
) -> tuple[RulesForm, bool]:
    """The rules form: unbound with the rules that apply, or posted and saved by `save`."""
    if request.method != "POST":
        return RulesForm(initial=initial), False
    access.require(request.user, place, services.RULES_PERM)
    form = RulesForm(request.POST)
    if form.is_valid():
        try:
            save(form.cleaned_data)
        except ValidationError as error:
            attach_error(form, error)
        else:
            return form, True
    return form, False


@place_view(Perm.MANAGE_BOOKINGS)
def rules_space(request: HttpRequest, place: Place, space_slug: str) -> HttpResponse:
    """A space's rules: saving gives it its own; a space with its own may go back to its
    kind's defaults."""
    space = _space(place, space_slug)
    applied, source = rules_and_source(space)

    def save(values: dict[str, Any]) -> None:
        services.save_space_rules(actor=request.user, space=space, values=values)

    form, saved = _edit(request, place, RulesForm.initial_from(applied), save)
    if saved:
        messages.success(request, _("The rules of %(space)s are saved.") % {"space": space.name})
        return redirect(_rules_url(place))
    return render(
        request,
        "bookings/manage/rules_form.html",
        {
            "place": place,
            "space": space,
            "source": source,
            "kind_label": KINDS.get(space.kind, space.kind),
            "form": form,
            "priced": RoomRate.objects.filter(space=space).exists(),
        },
        form,
    )


@place_view(Perm.MANAGE_BOOKINGS)
def rules_kind(request: HttpRequest, place: Place) -> HttpResponse:
    """The place's defaults for a kind of space (`?kind=`): what its spaces of that kind
    without rules of their own follow."""
    kind = _kind(request)
    row = KindRules.objects.filter(place=place, kind=kind).first()
    applied = row.values() if row else defaults_for(kind)

    def save(values: dict[str, Any]) -> None:
        services.save_kind_rules(actor=request.user, place=place, kind=kind, values=values)

    form, saved = _edit(request, place, RulesForm.initial_from(applied), save)
    if saved:
        messages.success(
            request, _("The defaults for %(kind)s are saved.") % {"kind": KINDS[kind].lower()}
        )
        return redirect(_rules_url(place))
    return render(
        request,
        "bookings/manage/rules_form.html",
        {
            "place": place,
            "kind": kind,
            "kind_label": KINDS[kind],
            "source": PLACE_KIND if row else "built_in",
            "form": form,
        },
        form,
    )


@place_view(Perm.MANAGE_BOOKINGS)
def rules_space_reset(request: HttpRequest, place: Place, space_slug: str) -> HttpResponse:
    """Asks first, then the space follows its kind's defaults again."""
    space = _space(place, space_slug)
    if request.method == "POST":
        access.require(request.user, place, services.RULES_PERM)
        services.reset_space_rules(actor=request.user, space=space)
        messages.success(
            request,
            _("%(space)s follows the defaults of its kind again.") % {"space": space.name},
        )
        return redirect(_rules_url(place))
    then, source = kind_defaults(place.pk, space.kind)
    return render(
        request,
        "bookings/manage/rules_reset.html",
        {
            "place": place,
            "space": space,
            "kind_label": KINDS.get(space.kind, space.kind),
            "rules": then,
            "source": source,
        },
    )


@place_view(Perm.MANAGE_BOOKINGS)
def rules_kind_reset(request: HttpRequest, place: Place) -> HttpResponse:
    """Asks first, then the place's spaces of that kind follow the built-in defaults."""
    kind = _kind(request)
    if request.method == "POST":
        access.require(request.user, place, services.RULES_PERM)
        services.reset_kind_rules(actor=request.user, place=place, kind=kind)
        messages.success(
            request,
            _("The spaces of kind %(kind)s follow the built-in defaults again.")
            % {"kind": KINDS[kind].lower()},
        )
        return redirect(_rules_url(place))
    return render(
        request,
        "bookings/manage/rules_reset.html",
        {
            "place": place,
            "kind": kind,
            "kind_label": KINDS[kind],
            "rules": defaults_for(kind),
            "source": "built_in",
        },
    )
