"""What writes census imports: the upload and its dry run, then the import itself.

The upload reads the file at once (a malformed file is refused with its line and reason,
nothing kept) and keeps the dry run's report line by line. The import is the task worker's
(`import_tasks`): it checks the lines again against the database as it is then, and writes
every accepted line in ONE transaction (a failure anywhere leaves no place, no membership,
no id), with one audit entry per place.

Why not `places.services.create_place` once per line: 5,000 lines would be 5,000
transactions, 30,000 queries for the model's check constraints (Django 5 validates a
`CheckConstraint` with a query) and minutes of work; the issue asks ≤ 5 s. The lines are
validated here as `create_place` does (`Place.full_clean` on each place, the constraints'
conditions being the fields' validators and `Place.clean`: shares, coordinates' range,
status), slugs and ids checked against the snapshot, then written with `bulk_create` /
`bulk_update` and `core.audit.record_many`. The database's unique indexes stay the last
word: a place created meanwhile by someone else fails the import, which changes nothing."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import timedelta
from typing import Any, NoReturn

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.observatory.import_models import CensusImport
from tierslieux.observatory.import_queries import snapshot
from tierslieux.observatory.import_writer import PlacesChanged, write
from tierslieux.observatory.importing import mapping as mappings
from tierslieux.observatory.importing import plan as planning
from tierslieux.observatory.importing.mapping import Mapping
from tierslieux.observatory.importing.plan import Action, PlanLine
from tierslieux.observatory.importing.reading import Malformed, Table, read
from tierslieux.places import access
from tierslieux.places.models import Category, Network, Place

logger = logging.getLogger(__name__)

MAX_BYTES = 10 * 1024 * 1024  # the national census's identity module is under 3 MB
PROGRESS_EVERY = 250
# An import takes seconds: one still waiting or running after an hour lost its worker, and
# would keep the network from importing again.
STALE_AFTER = timedelta(hours=1)
# Fields a place can do without: a malformed one is left out with a warning, not the place.
OPTIONAL = ("email", "website", "phone", "siret", "rna", "legal_form_detail", "opening_date")
Progress = Callable[[int], None]


def mapping_named(name: str) -> Mapping:
    found = mappings.available().get(name)
    if found is None:
        refuse(_("Unknown source “%(name)s”."), "unknown_mapping", name=name)
    return found


def read_file(source: Mapping, data: bytes) -> Table:
    """The file's rows, or `Malformed` (also when the source's id or name column is absent:
    the file is another source's)."""
    table = read(data, source.file_format, source.delimiter)
    if source.file_format == "csv":
        missing = [c for c in source.required_columns() if c not in table.columns]
        if missing:
            raise Malformed(
                1,
                _("no column “%(column)s”: is this a file of “%(source)s”?")
                % {"column": missing[0], "source": source.label},
            )
    if not table.rows:
        raise Malformed(0, _("the file has no line to import."))
    return table


def check_lines(
    network: Network, source: Mapping, table: Table, progress: Progress | None = None
) -> tuple[list[PlanLine], dict[int, Place]]:
    """The plan of every line, validated as the places would be saved; and the places to
    write (created or changed), by line number."""
    converted = []
    for n, row in enumerate(table.rows, start=1):
        converted.append(mappings.convert(source, row))
        if progress and n % PROGRESS_EVERY == 0:
            progress(n // 2)
    lines = planning.plan(source, converted, snapshot(network, source, converted))
    places = _validate(network, lines, progress, len(converted))
    return lines, places


def _errors(place: Place) -> dict[str, list[str]]:
    try:
        # The time zone is never imported (the model's default, or the place's own): its
        # validator lists the system's zones from the disk, 15 ms a place.
        place.full_clean(
            exclude=["network", "timezone"], validate_unique=False, validate_constraints=False
        )
    except ValidationError as error:
        return error.message_dict
    return {}


def _validate(
    network: Network, lines: list[PlanLine], progress: Progress | None, total: int
) -> dict[int, Place]:
    codes = set(Category.Code.values)
    current = Place.objects.in_bulk([x.place_id for x in lines if x.action == Action.UPDATE])
    places: dict[int, Place] = {}
    for n, line in enumerate(lines, start=1):
        if progress and n % PROGRESS_EVERY == 0:
            progress(total // 2 + n // 2)
        if line.action not in (Action.CREATE, Action.UPDATE):
            continue
        unknown = sorted(set(line.categories or ()) - codes)
        if unknown:
            _reject(line, [_("Unknown category: %(codes)s.") % {"codes": ", ".join(unknown)}])
            continue
        if line.action == Action.CREATE:
            place = Place(network=network, slug=line.slug)
        else:
            place = current[line.place_id]
        for name, value in line.fields.items():
            setattr(place, name, value)
        errors = _errors(place)
        dropped = [f for f in errors if f in OPTIONAL]
        for name in dropped:
            line.warnings.append(
                _("%(field)s left out: %(error)s")
                % {"field": name, "error": " ".join(errors[name])}
            )
            old = line.changes[name][0] if name in line.changes else None
            setattr(place, name, old if old is not None else _blank(name))
            line.fields.pop(name, None)
            line.changes.pop(name, None)
        if len(dropped) < len(errors):
            _reject(line, [f"{k}: {' '.join(v)}" for k, v in errors.items() if k not in OPTIONAL])
            continue
        if line.action == Action.UPDATE and not line.changes:
            line.action = Action.UNCHANGED
            continue
        places[line.line] = place
    return places


def _blank(name: str) -> Any:
    return None if name == "opening_date" else ""


def _reject(line: PlanLine, reasons: list[str]) -> None:
    line.action, line.reasons = Action.REJECT, reasons
    line.changes, line.fields = {}, {}


def report(source: Mapping, lines: list[PlanLine]) -> dict[str, Any]:
    return {
        "mapping": source.name,
        "label": source.label,
        "counts": planning.counts(lines),
        "lines": [line.report() for line in lines],
    }


def _refuse_file(error: Malformed) -> NoReturn:
    if error.line:
        refuse(_("Line %(line)s: %(reason)s"), "malformed", line=error.line, reason=error.reason)
    refuse(_("The file: %(reason)s"), "malformed", reason=error.reason)


def upload(
    *, actor: Actor, network: Network, mapping_name: str, uploaded: UploadedFile
) -> CensusImport:
    """Read the file and keep its dry run (nothing of the network is written)."""
    access.require_network_admin(actor, network)
    source = mapping_named(mapping_name)
    if (uploaded.size or 0) > MAX_BYTES:
        refuse(_("The file is larger than 10 MB."), "too_large")
    data = uploaded.read()
    try:
        table = read_file(source, data)
    except Malformed as error:
        _refuse_file(error)
    lines, _places = check_lines(network, source, table)
    census_import = CensusImport(
        network=network,
        mapping=source.name,
        filename=(uploaded.name or "census")[:200],
        total=len(lines),
        report=report(source, lines),
        language=translation.get_language() or "fr",
        requested_by_id=actor.pk if actor.is_authenticated else None,
    )
    census_import.file.save(census_import.filename, ContentFile(data), save=False)
    census_import.save()
    audit.record(
        actor=actor,
        action="census_import.check",
        obj=census_import,
        changes={"mapping": source.name, "counts": census_import.report["counts"]},
    )
    return census_import


def start(*, actor: Actor, census_import: CensusImport) -> tuple[CensusImport, bool]:
    """The import asked for: queued (`True`: the caller enqueues the task), or the one
    already under way (a double click). A finished import is not run twice."""
    access.require_network_admin(actor, census_import.network)
    if census_import.active:
        return census_import, False
    if census_import.status != CensusImport.Status.CHECKED:
        refuse(_("This file was already imported: upload it again."), "already_imported")
    stale = clock.now() - STALE_AFTER
    for lost in CensusImport.objects.filter(
        network=census_import.network, status__in=CensusImport.ACTIVE, created_at__lt=stale
    ).values_list("pk", flat=True):
        fail(lost, _("The task worker stopped during the import: nothing was imported."))
    try:
        with transaction.atomic():
            claimed = CensusImport.objects.filter(
                pk=census_import.pk, status=CensusImport.Status.CHECKED
            ).update(status=CensusImport.Status.QUEUED, done=0, requested_by=actor)
    except IntegrityError:
        refuse(_("Another import of this network is under way: wait for its end."), "busy")
    census_import.refresh_from_db()
    return census_import, bool(claimed)


def _progress(import_id: int, done: int) -> None:
    CensusImport.objects.filter(pk=import_id, status=CensusImport.Status.RUNNING).update(done=done)


def fail(import_id: int, error: str) -> None:
    CensusImport.objects.filter(pk=import_id, status__in=CensusImport.ACTIVE).update(
        status=CensusImport.Status.FAILED, error=error[:2000] or "?", finished_at=clock.now()
    )


def run(import_id: int, *, resumed: bool = False) -> str:
    """The task's body: claim the queued import (or, `resumed`, the one a dead worker left
    running), import it, record the outcome."""
    claimable = [CensusImport.Status.QUEUED]
    if resumed:
        claimable.append(CensusImport.Status.RUNNING)
    claimed = CensusImport.objects.filter(pk=import_id, status__in=claimable).update(
        status=CensusImport.Status.RUNNING, started_at=clock.now()
    )
    if not claimed:
        return "skipped"
    census_import = CensusImport.objects.select_related("network", "requested_by").get(pk=import_id)
    with translation.override(census_import.language):
        try:
            apply(census_import)
        except ValidationError as refusal:
            fail(import_id, " ".join(refusal.messages))
        except Exception as error:  # whatever stopped it, the administrator must see it
            logger.exception("Census import %s failed", import_id)
            fail(import_id, _("Unexpected error: %(error)s") % {"error": f"{error}"})
    return CensusImport.objects.get(pk=import_id).status


def apply(census_import: CensusImport) -> None:
    """Check the lines again (the network may have changed since the dry run) and write them
    all, or nothing."""
    actor = census_import.requested_by
    network = census_import.network
    if actor is None or not access.is_network_admin(actor, network):
        refuse(_("Only the network's administrators import."), "forbidden")
    source = mapping_named(census_import.mapping)
    with census_import.file.open("rb") as handle:
        data = handle.read()
    try:
        table = read_file(source, data)
    except Malformed as error:
        _refuse_file(error)
    lines, places = check_lines(
        network, source, table, lambda done: _progress(census_import.pk, done)
    )
    try:
        with transaction.atomic():
            write(actor, network, source, lines, places)
            census_import.report = report(source, lines)
            census_import.status = CensusImport.Status.DONE
            census_import.done = census_import.total = len(lines)
            census_import.finished_at = clock.now()
            census_import.save(update_fields=["report", "status", "done", "total", "finished_at"])
            audit.record(
                actor=actor,
                action="census_import.apply",
                obj=census_import,
                changes={"mapping": source.name, "counts": census_import.report["counts"]},
            )
    except (IntegrityError, PlacesChanged):
        refuse(
            _("The network's places changed during the import: nothing was imported, ask again."),
            "conflict",
        )
