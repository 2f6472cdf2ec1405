"""The only writers of the impact app: the framework (default and networks' copies), the
commitments self-assessments and the evidence. Every change is audited; a refusal
(`core.errors.refuse`) names its field through its code and changes nothing."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils.text import slugify
from django.utils.translation import gettext as _

from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.impact import framework_defaults as defaults
from tierslieux.impact.models import (
    MAX_LEVEL,
    MIN_LEVEL,
    Axis,
    Commitment,
    CommitmentAssessment,
    CommitmentLevel,
    CommitmentScore,
    Framework,
    Impact,
    Milestone,
    Story,
    Testimony,
    Theme,
)
from tierslieux.places.models import Network, Place

PHOTO_MAX_BYTES = 5 * 1024 * 1024
PHOTO_TYPES = {
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".png": "image/png",
    ".webp": "image/webp",
}

# --- The framework ---------------------------------------------------------------------------


def _fill_from_defaults(framework: Framework) -> None:
    for i, item in enumerate(defaults.IMPACTS):
        impact = Impact.objects.create(
            framework=framework,
            key=item.key,
            position=i,
            title=item.title,
            conditions="\n".join(item.conditions),
        )
        Axis.objects.bulk_create(
            Axis(impact=impact, key=a.key, position=j, title=a.title, example=a.example)
            for j, a in enumerate(item.axes)
        )
    Theme.objects.bulk_create(
        [
            Theme(framework=framework, kind=kind, key=t.key, position=i, title=t.title)
            for kind, themes in (
                (Theme.Kind.FUNCTION, defaults.FUNCTIONS),
                (Theme.Kind.FIELD, defaults.FIELDS),
            )
            for i, t in enumerate(themes)
        ]
    )
    for i, c in enumerate(defaults.COMMITMENTS):
        commitment = Commitment.objects.create(
            framework=framework,
            key=c.key,
            position=i,
            title=c.title,
            description=c.description,
            criteria=[list(pair) for pair in c.criteria],
        )
        CommitmentLevel.objects.bulk_create(
            CommitmentLevel(commitment=commitment, level=n, text=text)
            for n, text in defaults.LEVELS
        )


def load_framework() -> Framework:
    """The default framework, written from `framework_defaults` the first time it is asked."""
    framework = Framework.objects.filter(is_default=True).first()
    if framework is not None:
        return framework
    try:
        with transaction.atomic():
            framework = Framework.objects.create(is_default=True)
            _fill_from_defaults(framework)
    except IntegrityError:  # another request wrote it first (one default, by constraint)
        return Framework.objects.get(is_default=True)
    return framework


def framework_of_network(network: Network | None) -> Framework:
    """The network's own copy when it made one, else the default."""
    if network is not None:
        own = Framework.objects.filter(network=network).first()
        if own is not None:
            return own
    return load_framework()


def framework_for(place: Place) -> Framework:
    """The framework a place is judged by: its home network's, else the default."""
    return framework_of_network(place.network if place.network_id else None)


def framework_tree(framework: Framework) -> dict[str, Any]:
    """The whole framework in four queries, for pages and reports."""
    impacts = list(framework.impacts.prefetch_related("axes"))
    commitments = list(
        framework.commitments.prefetch_related(
            Prefetch("levels", queryset=CommitmentLevel.objects.order_by("level"))
        )
    )
    themes = list(framework.themes.all())
    return {
        "framework": framework,
        "impacts": impacts,
        "commitments": commitments,
        "functions": [t for t in themes if t.kind == Theme.Kind.FUNCTION],
        "fields": [t for t in themes if t.kind == Theme.Kind.FIELD],
    }


@transaction.atomic
def own_copy(actor: Actor, network: Network) -> Framework:
    """The network's copy, made from the default on its first edit (copy-on-edit)."""
    own = Framework.objects.select_for_update().filter(network=network).first()
    if own is not None:
        return own
    source = framework_tree(load_framework())
    copy = Framework.objects.create(network=network)
    for impact in source["impacts"]:
        new = Impact.objects.create(
            framework=copy,
            key=impact.key,
            position=impact.position,
            title=impact.title,
            conditions=impact.conditions,
        )
        Axis.objects.bulk_create(
            Axis(impact=new, key=a.key, position=a.position, title=a.title, example=a.example)
            for a in impact.axes.all()
        )
    Theme.objects.bulk_create(
        Theme(framework=copy, kind=t.kind, key=t.key, position=t.position, title=t.title)
        for t in source["functions"] + source["fields"]
    )
    for c in source["commitments"]:
        new_c = Commitment.objects.create(
            framework=copy,
            key=c.key,
            position=c.position,
            title=c.title,
            description=c.description,
            criteria=c.criteria,
        )
        CommitmentLevel.objects.bulk_create(
            CommitmentLevel(commitment=new_c, level=lv.level, text=lv.text) for lv in c.levels.all()
        )
    audit.record(actor=actor, action="impact.framework.copy", obj=copy)
    return copy


def _check(instance: Any) -> None:
    """The model's own rules (lengths, single-line titles, unique keys) as a refusal."""
    instance.full_clean()


@transaction.atomic
def edit_impact(actor: Actor, network: Network, key: str, title: str, conditions: str) -> Impact:
    framework = own_copy(actor, network)
    impact = _get(framework.impacts, key, "impact")
    impact.title, impact.conditions = title.strip(), conditions.strip()
    _check(impact)
    impact.save()
    audit.record(
        actor=actor,
        action="impact.framework.impact",
        obj=impact,
        changes={"key": key, "title": impact.title},
    )
    return impact


@transaction.atomic
def edit_axis(
    actor: Actor, network: Network, impact_key: str, axis_key: str, title: str, example: str
) -> Axis:
    framework = own_copy(actor, network)
    impact = _get(framework.impacts, impact_key, "impact")
    axis = _get(impact.axes, axis_key, "axis")
    axis.title, axis.example = title.strip(), example.strip()
    _check(axis)
    axis.save()
    audit.record(
        actor=actor,
        action="impact.framework.axis",
        obj=axis,
        changes={"key": axis_key, "title": axis.title},
    )
    return axis


@transaction.atomic
def add_axis(actor: Actor, network: Network, impact_key: str, title: str, example: str) -> Axis:
    """A new axis under an impact; its key comes from its title, unique within the impact."""
    framework = own_copy(actor, network)
    impact = _get(framework.impacts, impact_key, "impact")
    base = slugify(title)[:50] or "axis"
    taken = set(impact.axes.values_list("key", flat=True))
    key, n = base, 2
    while key in taken:
        key, n = f"{base}-{n}", n + 1
    axis = Axis(
        impact=impact, key=key, position=len(taken), title=title.strip(), example=example.strip()
    )
    _check(axis)
    axis.save()
    audit.record(
        actor=actor,
        action="impact.framework.add_axis",
        obj=axis,
        changes={"key": key, "title": axis.title},
    )
    return axis


@transaction.atomic
def edit_commitment(
    actor: Actor, network: Network, key: str, title: str, description: str, levels: dict[int, str]
) -> Commitment:
    framework = own_copy(actor, network)
    commitment = _get(framework.commitments, key, "commitment")
    commitment.title, commitment.description = title.strip(), description.strip()
    _check(commitment)
    commitment.save()
    for level in commitment.levels.all():
        if level.level in levels:
            level.text = levels[level.level].strip()
            _check(level)
            level.save(update_fields=["text"])
    audit.record(
        actor=actor,
        action="impact.framework.commitment",
        obj=commitment,
        changes={"key": key, "title": commitment.title},
    )
    return commitment


@transaction.atomic
def reset_framework(actor: Actor, network: Network) -> None:
    """Drop the network's copy: its places go back to the default framework."""
    own = Framework.objects.filter(network=network).first()
    if own is None:
        return
    audit.record(actor=actor, action="impact.framework.reset", obj=own)
    own.delete()


def _get(queryset: Any, key: str, what: str) -> Any:
    found = queryset.filter(key=key).first()
    if found is None:
        refuse(_("Unknown %(what)s: %(key)s."), f"unknown_{what}", what=what, key=key)
    return found


# --- Commitments self-assessment ------------------------------------------------------------


@transaction.atomic
def record_assessment(
    actor: Actor,
    place: Place,
    assessed_on: date,
    scores: dict[str, tuple[int, list[str]]],
    note: str = "",
) -> CommitmentAssessment:
    """A new dated assessment (earlier ones stay: they are the history). `scores` maps a
    commitment's key to its level and the keys of the criteria met."""
    if assessed_on > place.today():
        refuse(_("An assessment cannot be dated in the future."), "future_date")
    commitments = {c.key: c for c in framework_for(place).commitments.all()}
    if not scores:
        refuse(_("Give a level to at least one commitment."), "no_score")
    for key, (level, criteria) in scores.items():
        if key not in commitments:
            refuse(_("Unknown commitment: %(key)s."), "unknown_commitment", key=key)
        if not MIN_LEVEL <= level <= MAX_LEVEL:
            refuse(
                _("A level goes from %(low)s to %(high)s."), "level", low=MIN_LEVEL, high=MAX_LEVEL
            )
        known = {pair[0] for pair in commitments[key].criteria}
        if not set(criteria) <= known:
            refuse(_("Unknown criterion for %(key)s."), "unknown_criterion", key=key)
    assessment = CommitmentAssessment(
        place=place,
        assessed_on=assessed_on,
        assessed_by_id=actor.pk if getattr(actor, "is_authenticated", False) else None,
        note=note.strip(),
    )
    assessment.full_clean(exclude=["place", "assessed_by"])
    assessment.save()
    CommitmentScore.objects.bulk_create(
        CommitmentScore(assessment=assessment, commitment_key=k, level=lv, criteria=sorted(cr))
        for k, (lv, cr) in scores.items()
    )
    audit.record(
        actor=actor,
        action="impact.assessment.create",
        obj=assessment,
        place_id=place.pk,
        changes={k: lv for k, (lv, _cr) in scores.items()},
    )
    return assessment


def assessments(place: Place) -> list[CommitmentAssessment]:
    """The place's assessments, newest first, with their scores (two queries)."""
    return list(CommitmentAssessment.objects.filter(place=place).prefetch_related("scores"))


# --- Evidence ------------------------------------------------------------------------------


def check_photo(upload: Any) -> None:
    """A photo is a JPEG, PNG or WebP image of at most 5 MB (by its name and its first bytes)."""
    name = (getattr(upload, "name", "") or "").lower()
    suffix = name[name.rfind(".") :] if "." in name else ""
    if suffix not in PHOTO_TYPES:
        refuse(_("The photo must be a JPEG, PNG or WebP image."), "photo_type")
    if upload.size > PHOTO_MAX_BYTES:
        refuse(_("The photo must weigh at most 5 MB."), "photo_size")
    head = upload.read(12)
    upload.seek(0)
    if not (
        head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n"))
        or (head[:4] == b"RIFF" and head[8:12] == b"WEBP")
    ):
        refuse(_("The photo must be a JPEG, PNG or WebP image."), "photo_type")


def _check_impact(place: Place, impact_key: str, axis_key: str = "") -> None:
    impact = framework_for(place).impacts.filter(key=impact_key).first()
    if impact is None:
        refuse(_("Choose one of the framework's impacts."), "impact_key")
    if axis_key and not impact.axes.filter(key=axis_key).exists():
        refuse(_("Choose one of this impact's axes."), "axis_key")


TESTIMONY_FIELDS = (
    "quote",
    "author_role",
    "said_on",
    "consent",
    "consent_how",
    "public",
    "impact_key",
    "axis_key",
)


def _copy(obj: Any, data: dict[str, Any], names: tuple[str, ...]) -> None:
    """The form's values onto `obj`, texts stripped."""
    for name in names:
        if name in data:
            value = data[name]
            setattr(obj, name, value.strip() if isinstance(value, str) else value)


def _save(
    actor: Actor,
    place: Place,
    obj: Testimony | Story | Milestone,
    changes: dict[str, Any],
    exclude: tuple[str, ...] = ("place",),
) -> None:
    """Check, save and audit a piece of evidence or a milestone (created or changed)."""
    created = obj.pk is None
    obj.full_clean(exclude=list(exclude))
    obj.save()
    verb = "create" if created else "change"
    audit.record(
        actor=actor, action=f"impact.{obj._meta.model_name}.{verb}", obj=obj,
        place_id=place.pk, changes=changes,
    )  # fmt: skip


@transaction.atomic
def save_testimony(
    actor: Actor, place: Place, data: dict[str, Any], testimony: Testimony | None = None
) -> Testimony:
    """Create or change a testimony. Without consent it stays private: `public` is refused,
    and withdrawing consent makes it private again."""
    testimony = testimony or Testimony(place=place)
    _copy(testimony, data, tuple(TESTIMONY_FIELDS))
    if testimony.public and not testimony.consent:
        refuse(_("A testimony without consent cannot be public."), "public")
    if testimony.consent and not testimony.consent_how:
        refuse(_("Say how the consent was given."), "consent_how")
    if testimony.said_on and testimony.said_on > place.today():
        refuse(_("This date is in the future."), "said_on")
    _check_impact(place, testimony.impact_key, testimony.axis_key)
    photo = data.get("photo")
    replaced = testimony.photo.name if testimony.photo and photo is not None else ""
    if photo:
        check_photo(photo)
        testimony.photo = photo
    elif photo is False:  # the form's "remove the photo" box
        testimony.photo = ""
    if replaced:  # the former file goes once the change is committed
        storage = testimony.photo.storage
        transaction.on_commit(lambda: storage.delete(replaced))
    changes = {"consent": testimony.consent, "public": testimony.public}
    _save(actor, place, testimony, changes, exclude=("place", "photo"))
    return testimony


@transaction.atomic
def save_story(
    actor: Actor, place: Place, data: dict[str, Any], story: Story | None = None
) -> Story:
    """Create or change a story. Like a testimony, it is published only with the consent of
    the people it names or shows."""
    story = story or Story(place=place)
    _copy(story, data, ("title", "text", "told_on", "consent", "public", "impact_keys"))
    if story.public and not story.consent:
        refuse(_("A story without the consent of the people it names cannot be public."), "public")
    known = set(framework_for(place).impacts.values_list("key", flat=True))
    if not story.impact_keys or not set(story.impact_keys) <= known:
        refuse(_("Choose at least one of the framework's impacts."), "impact_keys")
    if story.told_on and story.told_on > place.today():
        refuse(_("This date is in the future."), "told_on")
    _save(actor, place, story, {"title": story.title, "public": story.public})
    return story


@transaction.atomic
def save_milestone(
    actor: Actor, place: Place, data: dict[str, Any], milestone: Milestone | None = None
) -> Milestone:
    milestone = milestone or Milestone(place=place)
    _copy(milestone, data, ("happened_on", "kind", "title", "text"))
    _save(actor, place, milestone, {"title": milestone.title, "kind": milestone.kind})
    return milestone


@transaction.atomic
def remove(actor: Actor, obj: Testimony | Story | Milestone) -> None:
    """Remove a piece of evidence or a milestone (after the page's confirmation)."""
    audit.record(
        actor=actor,
        action=f"impact.{obj._meta.model_name}.remove",
        obj=obj,
        place_id=obj.place_id,
    )
    if isinstance(obj, Testimony) and obj.photo:
        storage, name = obj.photo.storage, str(obj.photo.name)
        transaction.on_commit(lambda: storage.delete(name))
    obj.delete()
