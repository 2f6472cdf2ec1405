"""The census's pages: a place's public declaration (no account), and the network
administrators' moderation queue with its three decisions, each asked on its own page and
taken by a POST.

Thin: `forms_census` validates, `census_services` decides and writes, `census_queries` reads.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Field
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tierslieux.core import clock, formatting
from tierslieux.core.forms import attach_error, form_status
from tierslieux.observatory import census
from tierslieux.observatory import census_queries as queries
from tierslieux.observatory import census_services as service
from tierslieux.observatory.forms_census import AcceptForm, DeclarationForm, DeclineForm, MergeForm
from tierslieux.observatory.models import Declaration
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Category, Network, Place
from tierslieux.places.queries import in_network

SENT_KEY = "census_declaration_sent_to"
PLACE_ORDER = [name for name in AcceptForm.Meta.fields if name in service.SHEET_FIELDS]
# A service's refusal shown on the field it is about.
FIELDS = {"duplicate": "name", "coordinates": "latitude", "reason": "reason"}


def _posted(request: HttpRequest) -> Any:
    """The POST's data, even empty (a merge keeping no field posts nothing), else None."""
    return request.POST if request.method == "POST" else None


def declare(request: HttpRequest, network_slug: str) -> HttpResponse:
    """ "Votre lieu n'y figure pas ? Déclarez-le": the technical sheet, waiting for the
    network's administrators."""
    network = get_object_or_404(Network, slug=network_slug)
    form = DeclarationForm(_posted(request))
    status = 200
    if request.method == "POST":
        status = 422
        if form.is_valid():
            data = form.cleaned_data
            if queries.flooding(data["declarant_email"], clock.now()):
                form.add_error(
                    "declarant_email",
                    _(
                        "This address has sent several declarations in the last hour: "
                        "try again later."
                    ),
                )
                status = 429
            else:
                try:
                    service.declare(
                        network=network,
                        sheet=form.sheet(),
                        categories=form.category_codes(),
                        declarant_name=data["declarant_name"],
                        declarant_email=data["declarant_email"],
                        declarant_role=data.get("declarant_role", ""),
                        language=translation.get_language() or "",
                    )
                except ValidationError as error:
                    attach_error(form, error, FIELDS)
                else:
                    request.session[SENT_KEY] = data["declarant_email"]
                    return redirect("census:declared", network_slug=network.slug)
    context = {"network": network, "form": form}
    return render(request, "observatory/census_declare.html", context, status=status)


@require_safe
def declared(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = get_object_or_404(Network, slug=network_slug)
    context = {"network": network, "email": request.session.get(SENT_KEY, "")}
    return render(request, "observatory/census_declared.html", context)


def _network(request: HttpRequest, network_slug: str) -> Network:
    network = get_object_or_404(Network, slug=network_slug)
    access.require_network_admin(request.user, network)
    return network


def _pending(request: HttpRequest, network_slug: str, declaration_id: int) -> Declaration:
    """The network's declaration still pending, for its administrators only (404 otherwise:
    a decided one has nothing left to decide)."""
    network = _network(request, network_slug)
    return get_object_or_404(
        Declaration.objects.select_related("network"),
        pk=declaration_id,
        network=network,
        status=Declaration.Status.PENDING,
    )


@login_required
@require_safe
def queue(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    context = {
        "network": network,
        "pending": queries.queue(network),
        "decided": queries.decided(network),
    }
    return render(request, "observatory/census_queue.html", context)


def _free_slug(name: str) -> str:
    base = slugify(name)[:44] or "lieu"
    slug, n = base, 1
    while Place.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


def _accept_initial(declaration: Declaration) -> dict[str, Any]:
    initial: dict[str, Any] = dict(declaration.sheet)
    initial["slug"] = _free_slug(declaration.name)
    initial["timezone"] = census.timezone_for(
        declaration.postcode, str(declaration.sheet.get("country") or "FR")
    )
    return initial


def _failed(request: HttpRequest, form: Any, error: ValidationError) -> None:
    attach_error(form, error, FIELDS)
    messages.error(request, _("Nothing was changed: the declaration still waits."))


@login_required
def accept(request: HttpRequest, network_slug: str, declaration_id: int) -> HttpResponse:
    declaration = _pending(request, network_slug, declaration_id)
    form = AcceptForm(_posted(request), initial=_accept_initial(declaration))
    if request.method == "POST" and form.is_valid():
        try:
            place = service.accept(
                actor=request.user,
                declaration=declaration,
                categories=form.category_codes(),
                **form.place_fields(),
            )
        except ValidationError as error:
            _failed(request, form, error)
        else:
            messages.success(
                request,
                _(
                    "“%(name)s” is now a place of the network: on the map, in the directory, "
                    "the statistics and the open data."
                )
                % {"name": place.name},
            )
            return redirect("census:queue", network_slug=network_slug)
    context = {
        "network": declaration.network,
        "declaration": declaration,
        "form": form,
        "duplicates": [d for d in queries.duplicates_of(declaration) if d.place is not None],
    }
    return render(request, "observatory/census_accept.html", context, status=form_status(form))


def _field(name: str) -> Field[Any, Any]:
    field = Place._meta.get_field(name)
    assert isinstance(field, Field)  # the sheet's own columns, never a relation
    return field


def _shown(name: str, value: Any) -> str:
    if value in (None, "", []):
        return ""
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    if isinstance(value, date):
        return formatting.day(value)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        return formatting.number(value)
    field = _field(name)
    choices = dict(getattr(field, "choices", None) or ())
    return str(choices.get(value, value))


def comparison(values: dict[str, Any], place: Place) -> list[dict[str, Any]]:
    """The values (declared, or of the place merged away) that differ from the place's,
    field by field, in the sheet's order."""
    rows = []
    for name in PLACE_ORDER:
        declared = values.get(name)
        current = getattr(place, name)
        if declared in (None, "", []) or declared == current:
            continue
        rows.append(
            {
                "name": name,
                "label": _field(name).verbose_name,
                "declared": _shown(name, declared),
                "current": _shown(name, current),
                "empty": current in (None, "", []),
            }
        )
    return rows


@login_required
def merge(
    request: HttpRequest, network_slug: str, declaration_id: int, place_id: int
) -> HttpResponse:
    declaration = _pending(request, network_slug, declaration_id)
    place = get_object_or_404(Place.objects.select_related("network"), pk=place_id)
    writes = service.may_write_sheet(request.user, place)
    rows = comparison(service.sheet_values(declaration), place) if writes else []
    form = MergeForm(
        _posted(request),
        fields=[(row["name"], row["label"]) for row in rows],
        initial={"take": [row["name"] for row in rows if row["empty"]]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            service.merge(
                actor=request.user,
                declaration=declaration,
                place=place,
                take=form.cleaned_data["take"],
            )
        except ValidationError as error:
            _failed(request, form, error)
        else:
            messages.success(
                request,
                _("The declaration is merged into “%(name)s”.") % {"name": place.name},
            )
            return redirect("census:queue", network_slug=network_slug)
    declared_codes = set(service.declared_categories(declaration))
    context = {
        "network": declaration.network,
        "declaration": declaration,
        "place": place,
        "form": form,
        "rows": rows,
        "writes": writes,
        "home": place.network_id == declaration.network_id,
        "new_categories": [
            Category.Code(code).label
            for code in sorted(
                declared_codes - set(place.categories.values_list("code", flat=True))
            )
            if code in Category.Code.values
        ],
    }
    return render(request, "observatory/census_merge.html", context, status=form_status(form))


@login_required
def decline(request: HttpRequest, network_slug: str, declaration_id: int) -> HttpResponse:
    declaration = _pending(request, network_slug, declaration_id)
    form = DeclineForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            service.decline(
                actor=request.user, declaration=declaration, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _failed(request, form, error)
        else:
            messages.success(
                request, _("The declaration is declined; the declarant receives your reason.")
            )
            return redirect("census:queue", network_slug=network_slug)
    context = {"network": declaration.network, "declaration": declaration, "form": form}
    return render(request, "observatory/census_decline.html", context, status=form_status(form))


@login_required
@require_safe
def duplicates(request: HttpRequest, network_slug: str) -> HttpResponse:
    """Pairs of the network's places that may be one (after two imports, say)."""
    network = _network(request, network_slug)
    context = {"network": network, "pairs": queries.place_pairs(network)}
    return render(request, "observatory/census_duplicates.html", context)


@login_required
def merge_places(
    request: HttpRequest, network_slug: str, place_id: int, kept_id: int
) -> HttpResponse:
    """Merge a census-only place into another, asked first: the fields to keep, then a POST."""
    network = _network(request, network_slug)
    counted = Place.objects.filter(in_network(network)).select_related("network")
    merged = get_object_or_404(counted, pk=place_id)
    kept = get_object_or_404(counted, pk=kept_id)
    if merged.pk == kept.pk:
        raise Http404
    access.require(request.user, merged, Perm.EDIT_SHEET)
    writes = service.may_write_sheet(request.user, kept)
    values = {name: getattr(merged, name) for name in service.SHEET_FIELDS}
    rows = comparison(values, kept) if writes else []
    form = MergeForm(
        _posted(request),
        fields=[(row["name"], row["label"]) for row in rows],
        initial={"take": [row["name"] for row in rows if row["empty"]]},
    )
    blocking = service.running(merged)
    if request.method == "POST" and not blocking and form.is_valid():
        try:
            service.merge_places(
                actor=request.user,
                network=network,
                merged=merged,
                kept=kept,
                take=form.cleaned_data["take"],
            )
        except ValidationError as error:
            attach_error(form, error, FIELDS)
        else:
            messages.success(
                request,
                _("“%(merged)s” is merged into “%(kept)s”.")
                % {"merged": merged.name, "kept": kept.name},
            )
            return redirect("census:duplicates", network_slug=network_slug)
    context = {
        "network": network,
        "merged": merged,
        "kept": kept,
        "form": form,
        "rows": rows,
        "writes": writes,
        "blocking": blocking,
    }
    status = 422 if request.method == "POST" else form_status(form)
    return render(request, "observatory/census_merge_places.html", context, status=status)
