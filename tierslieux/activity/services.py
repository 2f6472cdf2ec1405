"""The only writers of footfall: a day's count entered by the team, or a counter's CSV
imported (all its rows or none). Each write is audited."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.activity import counts_csv
from tierslieux.activity.models import MAX_COUNT, NOTE_MAX, DailyCount
from tierslieux.core import audit, clock
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.core.validators import validate_single_line
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place

PERM = Perm.MANAGE_BOOKINGS  # the team at the desk counts who comes


def _check_day(place: Place, day: date) -> None:
    if day > place.today():
        refuse(_("A day to come cannot be counted yet."), "future_day")


def record_count(actor: Actor, place: Place, day: date, count: int, note: str = "") -> DailyCount:
    """The count of `day` (replacing the one entered before, if any)."""
    access.require(actor, place, PERM)
    _check_day(place, day)
    if not 0 <= count <= MAX_COUNT:
        refuse(_("Count between 0 and %(max)s people.") % {"max": MAX_COUNT}, "count")
    note = note.strip()
    if len(note) > NOTE_MAX:
        refuse(_("At most %(max)s characters.") % {"max": NOTE_MAX}, "note")
    validate_single_line(note)
    with transaction.atomic():
        row, created = DailyCount.objects.select_for_update().get_or_create(
            place=place, day=day, defaults={"count": count, "note": note}
        )
        if not created:
            row.count, row.note, row.updated_at = count, note, clock.now()
            row.save(update_fields=["count", "note", "updated_at"])
        audit.record(
            actor=actor,
            action="footfall.counted" if created else "footfall.corrected",
            obj=row,
            place_id=place.pk,
            changes={"day": day, "count": count, "note": note},
        )
    return row


def preview_import(actor: Actor, place: Place, text: str) -> counts_csv.Parsed:
    """What an import would write (rows) or why it cannot (errors by line); writes nothing.
    Days to come are errors too."""
    access.require(actor, place, PERM)
    parsed = counts_csv.parse(text, MAX_COUNT)
    today = place.today()
    parsed.errors.extend(
        (line, _("A day to come cannot be counted yet."))
        for day, _count, line in parsed.rows
        if day > today
    )
    parsed.errors.sort()
    return parsed


def existing_counts(place: Place, days: list[date]) -> dict[date, int]:
    """The counts already recorded for `days` (the preview says which ones are replaced)."""
    return dict(DailyCount.objects.filter(place=place, day__in=days).values_list("day", "count"))


def import_counts(actor: Actor, place: Place, text: str) -> int:
    """Write every row of the file, replacing the days already counted; nothing when one
    row is wrong (the refusal names the first wrong lines). Returns the rows written."""
    parsed = preview_import(actor, place, text)
    if parsed.errors:
        lines = "; ".join(
            _("line %(line)s: %(message)s") % {"line": line, "message": message}
            if line
            else message
            for line, message in parsed.errors[:5]
        )
        refuse(_("Nothing was imported. %(errors)s") % {"errors": lines}, "bad_rows")
    now = clock.now()
    rows = [
        DailyCount(place=place, day=day, count=count, created_at=now, updated_at=now)
        for day, count, _line in parsed.rows
    ]
    with transaction.atomic():
        DailyCount.objects.bulk_create(
            rows,
            update_conflicts=True,
            unique_fields=["place", "day"],
            update_fields=["count", "updated_at"],
        )
        written = list(DailyCount.objects.filter(place=place, day__in=[r.day for r in rows]))
        audit.record_many(
            actor=actor,
            entries=(
                audit.Change(
                    "footfall.imported", row, place.pk, {"day": row.day, "count": row.count}
                )
                for row in written
            ),
        )
    return len(rows)
