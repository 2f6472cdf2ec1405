"""Asking for an export of the exports page: a job the worker runs (`tasks.build_export`),
whose file stays listed for the place. A second click on the same file and period while it is
being built follows the job under way."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from tierslieux.billing import export_files
from tierslieux.billing.services.common import require
from tierslieux.billing.tasks import build_export
from tierslieux.core import jobs
from tierslieux.core.errors import refuse
from tierslieux.core.models import Job
from tierslieux.core.types import Actor
from tierslieux.places.models import Place

EXPORT = "billing.export"


def start_export(*, actor: Actor, place: Place, fmt: str, start: date, end: date) -> Job:
    """Queue the file `fmt` of the period (refused at once when it cannot be built) and
    return its job; with the immediate task backend the job is over on return."""
    require(actor, place)
    if fmt not in export_files.FORMATS:
        refuse(_("Choose one of the files offered."), "unknown_format", format=fmt)
    export_files.check(place, fmt)
    job, created = jobs.start(
        actor=actor,
        kind=EXPORT,
        place_id=place.pk,
        key=f"{fmt}:{start:%Y-%m-%d}:{end:%Y-%m-%d}",
        params={"format": fmt, "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"},
    )
    return jobs.hand_over(job, build_export) if created else job
