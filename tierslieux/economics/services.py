"""The only writers of saved scenarios: create one from a template, change its main drivers
or its whole data, duplicate it, archive it. Each change is audited (`core.audit.record`)
and each refuses bad data with the errors of `scenario.parse`, keyed by the field's path
(`revenue[2].occupancy`): the page maps the path to its form field, nothing is written.

Who may: a place's team with `Perm.MANAGE_BILLING` (the scenarios hold its finances; a
network's administrators only while the place grants it), a network's administrators for the
network's own scenarios."""

from __future__ import annotations

import copy
import re
import secrets
import unicodedata
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.core.validators import validate_single_line
from tierslieux.economics import scenario as sc
from tierslieux.economics import templates_model
from tierslieux.economics.models import Scenario
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Network, Place

PATH_PART = re.compile(r"([A-Za-z_]+)|\[(\d+)\]")


def can_manage(actor: Any, *, place: Place | None = None, network: Network | None = None) -> bool:
    if place is not None:
        return access.has_perm(actor, place, Perm.MANAGE_BILLING)
    return network is not None and access.is_network_admin(actor, network)


def _require(actor: Actor, scenario: Scenario) -> None:
    if not can_manage(actor, place=scenario.place, network=scenario.network):
        raise PermissionDenied


def _control_characters(value: Any, path: str) -> list[tuple[str, str]]:
    """Texts holding a control character (a NUL, which PostgreSQL's JSON refuses; a tab):
    the reading lets them through, the database and every page must not."""
    if isinstance(value, str):
        if any(unicodedata.category(char) == "Cc" for char in value):
            return [
                (path, _("Write it on one line, without line breaks, tabs or control characters."))
            ]
        return []
    if isinstance(value, dict):
        found = []
        for key, item in value.items():
            found += _control_characters(item, f"{path}.{key}" if path else str(key))
        return found
    if isinstance(value, list):
        return [
            e for n, item in enumerate(value) for e in _control_characters(item, f"{path}[{n}]")
        ]
    return []


def check(data: Any) -> sc.Scenario:
    """The scenario `data` describes, or a ValidationError of every error by field path."""
    found: list[tuple[str, str]] = []
    try:
        parsed = sc.parse(data)
    except sc.ScenarioError as refusal:
        found = list(refusal.errors)
    found += [e for e in _control_characters(data, "") if e[0] not in dict(found)]
    if found:
        errors: dict[str, list[ValidationError]] = {}
        for path, message in found:
            errors.setdefault(path or "data", []).append(ValidationError(message, code="invalid"))
        raise ValidationError(errors)
    return parsed


def _clean_label(value: str, path: str, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({path: [ValidationError(_("required"), code="required")]})
    if len(value) > 200:
        raise ValidationError({path: [ValidationError(_("200 characters at most"), code="long")]})
    try:
        validate_single_line(value)
    except ValidationError as error:
        raise ValidationError({path: error.error_list}) from None
    return value


def _who(actor: Actor) -> Any:
    return actor.pk if actor.is_authenticated else None


def _audit(actor: Actor, action: str, scenario: Scenario, changes: dict[str, Any]) -> None:
    audit.record(
        actor=actor, action=action, obj=scenario, place_id=scenario.place_id, changes=changes
    )


def next_month(place: Place | None = None) -> str:
    """The month after today's ("YYYY-MM"), in the place's time zone or the default one."""
    today = place.today() if place is not None else clock.today()
    year, month = (today.year + 1, 1) if today.month == 12 else (today.year, today.month + 1)
    return f"{year:04d}-{month:02d}"


def create_from_template(
    *,
    actor: Actor,
    template: str,
    name: str = "",
    project: str = "",
    place: Place | None = None,
    network: Network | None = None,
    start: str = "",
) -> Scenario:
    """A scenario of `place` or `network` from one of `templates_model.NAMES`, opening in
    `start` ("YYYY-MM"; by default next month: a plan made today starts from what is ahead)."""
    if (place is None) == (network is None):
        refuse(_("A scenario belongs to a place or to a network."), "owner")
    if not can_manage(actor, place=place, network=network):
        raise PermissionDenied
    if template not in templates_model.NAMES:
        raise ValidationError({"template": [ValidationError(_("unknown template"), "template")]})
    data = copy.deepcopy(templates_model.template(template)[0])
    data["name"] = _clean_label(name, "name", required=False) or data["name"]
    data["start"] = start.strip() if start and start.strip() else next_month(place)
    project = _clean_label(project, "project", required=False)
    check(data)
    now = clock.now()
    with transaction.atomic():
        scenario = Scenario.objects.create(
            place=place, network=network, name=data["name"], project=project,
            template=template, data=data, created_by_id=_who(actor), created_at=now,
            updated_by_id=_who(actor), updated_at=now,
        )  # fmt: skip
        _audit(actor, "economics.scenario.create", scenario, {"template": template})
    return scenario


def _save(actor: Actor, scenario: Scenario, data: dict[str, Any], action: str,
          changes: dict[str, Any], project: str | None = None) -> Scenario:  # fmt: skip
    parsed = check(data)
    name = _clean_label(parsed.name, "name", required=True)
    with transaction.atomic():
        scenario.data, scenario.name = data, name
        if project is not None:
            scenario.project = project
        scenario.updated_by_id, scenario.updated_at = _who(actor), clock.now()
        scenario.save(update_fields=["data", "name", "project", "updated_by", "updated_at"])
        _audit(actor, action, scenario, changes)
    return scenario


def set_path(data: dict[str, Any], path: str, value: Any) -> None:
    """Put `value` at `path` (`revenue[2].occupancy`) of `data`; KeyError if it is not there."""
    parts = [name or int(index) for name, index in PATH_PART.findall(path)]
    target: Any = data
    for part in parts[:-1]:
        target = target[part]
    if isinstance(parts[-1], str) and parts[-1] not in target:
        raise KeyError(path)
    target[parts[-1]] = value


def change_drivers(*, actor: Actor, scenario: Scenario, values: dict[str, Any]) -> Scenario:
    """Change the figures named by path (`fixed_costs[0].monthly`: 2600); the rest stays."""
    _require(actor, scenario)
    if not values:
        return scenario  # nothing changed: nothing written, nothing audited
    data = copy.deepcopy(scenario.data)
    for path, value in values.items():
        try:
            set_path(data, path, value)
        except (KeyError, IndexError, TypeError):
            unknown = ValidationError(_("unknown field"), code="unknown")
            raise ValidationError({path: [unknown]}) from None
    changed = {p: v for p, v in values.items() if _get(scenario.data, p) != v}
    return _save(actor, scenario, data, "economics.scenario.drivers", changed)


def _get(data: Any, path: str) -> Any:
    for name, index in PATH_PART.findall(path):
        data = data[int(index)] if index else data.get(name)
    return data


def change_data(
    *, actor: Actor, scenario: Scenario, data: Any, project: str | None = None
) -> Scenario:
    """Replace the whole data (the advanced edit), and the project label if given."""
    _require(actor, scenario)
    if project is not None:
        project = _clean_label(project, "project", required=False)
    if not isinstance(data, dict):
        check(data)  # refuses with its own error
    return _save(actor, scenario, data, "economics.scenario.data", {"keys": sorted(data)}, project)


def duplicate(*, actor: Actor, scenario: Scenario, name: str = "") -> Scenario:
    """A copy under a new name (“… (copie)” by default), same owner, not archived."""
    _require(actor, scenario)
    data = copy.deepcopy(scenario.data)
    data["name"] = _clean_label(name, "name", required=False) or _("%(name)s (copy)") % {
        "name": scenario.name
    }
    data["name"] = data["name"][:200]
    check(data)
    now = clock.now()
    with transaction.atomic():
        copy_ = Scenario.objects.create(
            place=scenario.place, network=scenario.network, name=data["name"],
            project=scenario.project, template=scenario.template, data=data,
            created_by_id=_who(actor), created_at=now, updated_by_id=_who(actor), updated_at=now,
        )  # fmt: skip
        _audit(actor, "economics.scenario.duplicate", copy_, {"from": scenario.pk})
    return copy_


def archive(*, actor: Actor, scenario: Scenario) -> Scenario:
    """Set aside: out of the list's active scenarios, kept and still readable."""
    _require(actor, scenario)
    if scenario.archived:
        refuse(_("This scenario is already archived."), "archived")
    with transaction.atomic():
        scenario.archived = True
        scenario.updated_by_id, scenario.updated_at = _who(actor), clock.now()
        scenario.save(update_fields=["archived", "updated_by", "updated_at"])
        _audit(actor, "economics.scenario.archive", scenario, {"archived": True})
    return scenario


def hand_over(*, actor: Actor, scenario: Scenario, place: Place) -> Scenario:
    """A network's project scenario copied into the place the project became, so that its
    team carries on with the plan the network made with the town and sets its actuals
    against it. The network keeps its own, marked as handed over. Writing into a place's
    finances takes the right to them: a network's administrator has it only while the place
    grants its network access."""
    _require(actor, scenario)
    if scenario.network_id is None:
        refuse(_("Only a network's project scenario is handed over to a place."), "place")
    if scenario.handed_to_id is not None:
        refuse(
            _("This scenario was already handed over to %(place)s."),
            "place",
            place=scenario.handed_to.name,  # type: ignore[union-attr]
        )
    if place.network_id != scenario.network_id:
        refuse(_("%(place)s is not a place of this network."), "place", place=place.name)
    if not can_manage(actor, place=place):
        refuse(
            _(
                "%(place)s has not opened its finances to the network: ask its coordinator "
                "to grant the network access (“Network access” in its back office)."
            ),
            "place",
            place=place.name,
        )
    now = clock.now()
    with transaction.atomic():
        copy_ = Scenario.objects.create(
            place=place, name=scenario.name, project=scenario.project,
            template=scenario.template, data=copy.deepcopy(scenario.data),
            created_by_id=_who(actor), created_at=now, updated_by_id=_who(actor), updated_at=now,
        )  # fmt: skip
        scenario.handed_to, scenario.handed_at = place, now
        scenario.save(update_fields=["handed_to", "handed_at"])
        _audit(actor, "economics.scenario.hand_over", copy_,
               {"from": scenario.pk, "network": scenario.network_id})  # fmt: skip
    return copy_


def share(*, actor: Actor, scenario: Scenario) -> str:
    """A read-only link's key for the scenario (the one it has, if shared already): its team
    sends it to a town or a funder, who reads the verdict and figures without an account."""
    _require(actor, scenario)
    if scenario.share_key:
        return scenario.share_key
    with transaction.atomic():
        scenario.share_key = secrets.token_urlsafe(24)
        scenario.save(update_fields=["share_key"])
        _audit(actor, "economics.scenario.share", scenario, {"shared": True})
    return scenario.share_key


def unshare(*, actor: Actor, scenario: Scenario) -> None:
    """The read-only link withdrawn: whoever had it reads nothing more (a new link, if made
    again, is another key)."""
    _require(actor, scenario)
    if not scenario.share_key:
        return
    with transaction.atomic():
        scenario.share_key = None
        scenario.save(update_fields=["share_key"])
        _audit(actor, "economics.scenario.unshare", scenario, {"shared": False})
