"""A place's impact pages (`/manage/<slug>/impact/`): the framework it is judged by (read-only),
its evidence (testimonies, stories), its timeline of milestones and its commitments
self-assessments with their history. Thin: `services` checks and writes.

Reading the framework needs VIEW_FIGURES; evidence and assessments hold private words
(unconsented testimonies), so they need EDIT_SHEET until `places.access` has MANAGE_IMPACT.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tierslieux.core.forms import submit
from tierslieux.impact import forms, services
from tierslieux.impact.models import Milestone, Story, Testimony
from tierslieux.places.backoffice import Perm, place_view, render
from tierslieux.places.models import Place

EDIT = Perm.MANAGE_IMPACT


@place_view(Perm.VIEW_FIGURES)
@require_http_methods(["GET", "HEAD"])
def framework(request: HttpRequest, place: Place) -> HttpResponse:
    tree = services.framework_tree(services.framework_for(place))
    return render(request, "impact/manage/framework.html", {"place": place, **tree})


@dataclass(frozen=True)
class Kind:
    """What the evidence pages need to know of one kind of record."""

    model: type[Any]
    form: type[Any]
    save: Callable[..., Any]
    title: Any
    new_title: Any
    errors: dict[str, str]
    initial: Callable[[Any], dict[str, Any]]


def _testimony_initial(t: Testimony) -> dict[str, Any]:
    impact = f"{t.impact_key}/{t.axis_key}" if t.axis_key else t.impact_key
    fields = ("quote", "author_role", "said_on", "consent", "consent_how", "public")
    return {"impact": impact, **{name: getattr(t, name) for name in fields}}


STORY_FIELDS = ("title", "text", "told_on", "impact_keys", "consent", "public")

KINDS: dict[str, Kind] = {
    "testimonies": Kind(
        Testimony,
        forms.TestimonyForm,
        services.save_testimony,
        gettext_lazy("Testimonies"),
        gettext_lazy("A new testimony"),
        {
            "public": "public",
            "consent_how": "consent_how",
            "said_on": "said_on",
            "impact_key": "impact",
            "axis_key": "impact",
            "photo_type": "photo",
            "photo_size": "photo",
        },
        _testimony_initial,
    ),
    "stories": Kind(
        Story,
        forms.StoryForm,
        services.save_story,
        gettext_lazy("Stories"),
        gettext_lazy("A new story"),
        {"impact_keys": "impact_keys", "told_on": "told_on", "public": "public"},
        lambda s: {n: getattr(s, n) for n in STORY_FIELDS},
    ),
    "milestones": Kind(
        Milestone,
        forms.MilestoneForm,
        services.save_milestone,
        gettext_lazy("Timeline"),
        gettext_lazy("A new milestone"),
        {},
        lambda m: {n: getattr(m, n) for n in ("happened_on", "kind", "title", "text")},
    ),
}


@place_view(EDIT)
@require_http_methods(["GET", "HEAD"])
def evidence_list(request: HttpRequest, place: Place, kind: str) -> HttpResponse:
    spec = KINDS[kind]
    tree = services.framework_tree(services.framework_for(place))
    titles = {i.key: i.title for i in tree["impacts"]}
    items = list(spec.model.objects.filter(place=place))
    for item in items:
        keys = getattr(item, "impact_keys", None) or [getattr(item, "impact_key", "")]
        item.impact_titles = [titles.get(k, k) for k in keys if k]
    context = {"place": place, "kind": kind, "spec": spec, "items": items}
    return render(request, f"impact/manage/{kind}.html", context)


@place_view(EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def evidence_edit(request: HttpRequest, place: Place, kind: str, **ids: int) -> HttpResponse:
    """Create (no id) or change one record of the place; another place's record is a 404."""
    spec = KINDS[kind]
    pk = next(iter(ids.values()), None)
    item = get_object_or_404(spec.model, pk=pk, place=place) if pk is not None else None
    tree = services.framework_tree(services.framework_for(place))
    today = place.today()
    initial = spec.initial(item) if item else {"said_on": today, "told_on": today}
    data = (request.POST, request.FILES) if request.method == "POST" else ()
    extra = {"has_photo": bool(item.photo)} if isinstance(item, Testimony) else {}
    form = spec.form(*data, tree=tree, initial=initial, **extra)
    if submit(
        request,
        form,
        lambda _clean: spec.save(request.user, place, form.values(), item),
        spec.errors,
    ):
        messages.success(request, _("Saved."))
        return redirect("impact_manage:" + kind, slug=place.slug)
    context = {
        "place": place,
        "kind": kind,
        "spec": spec,
        "item": item,
        "form": form,
        "heading": str(item) if item else spec.new_title,
    }
    return render(request, "impact/manage/edit.html", context, form)


@place_view(EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def evidence_remove(request: HttpRequest, place: Place, kind: str, **ids: int) -> HttpResponse:
    """GET asks first; POST removes."""
    spec = KINDS[kind]
    pk = next(iter(ids.values()))
    item = get_object_or_404(spec.model, pk=pk, place=place)
    if request.method == "POST":
        services.remove(request.user, item)
        messages.success(request, _("Removed."))
        return redirect("impact_manage:" + kind, slug=place.slug)
    context = {"place": place, "kind": kind, "spec": spec, "item": item}
    return render(request, "impact/manage/remove.html", context)


@place_view(EDIT)
@require_http_methods(["GET", "HEAD"])
def testimony_photo(request: HttpRequest, place: Place, testimony_id: int) -> HttpResponse:
    """The photo, to the place's team only (media files are never served directly); a photo
    weighs 5 MB at most, so it is read whole."""
    testimony = get_object_or_404(Testimony, pk=testimony_id, place=place)
    if not testimony.photo:
        raise Http404
    name = testimony.photo.name or ""
    kind = services.PHOTO_TYPES.get(name[name.rfind(".") :].lower(), "application/octet-stream")
    with testimony.photo.open("rb") as photo:
        response = HttpResponse(photo.read(), content_type=kind)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@place_view(EDIT)
@require_http_methods(["GET", "HEAD", "POST"])
def commitments(request: HttpRequest, place: Place) -> HttpResponse:
    """The history of the self-assessments, newest first, and the form of a new one."""
    tree = services.framework_tree(services.framework_for(place))
    data = (request.POST,) if request.method == "POST" else ()
    form = forms.AssessmentForm(*data, tree=tree, initial={"assessed_on": place.today()})
    if submit(
        request,
        form,
        lambda clean: services.record_assessment(
            request.user, place, clean["assessed_on"], form.scores(), clean["note"]
        ),
        {"future_date": "assessed_on"},
    ):
        messages.success(request, _("The assessment is recorded."))
        return redirect("impact_manage:commitments", slug=place.slug)
    titles = {c.key: c.title for c in tree["commitments"]}
    history = services.assessments(place)
    for assessment in history:
        assessment.lines = [  # type: ignore[attr-defined]
            (titles.get(s.commitment_key, s.commitment_key), s.level, len(s.criteria))
            for s in assessment.scores.all()
        ]
    context = {"place": place, "form": form, "history": history, **tree}
    return render(request, "impact/manage/commitments.html", context, form)
