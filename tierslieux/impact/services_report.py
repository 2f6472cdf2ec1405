"""Publishing a place's yearly impact report: the only writer of `YearAssessment.public`.

A report is made public by its team, once the assessment is confirmed (a draft may still
move; the database refuses a public draft too). Withdrawing it is allowed at any time.
Audited.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.impact.models import YearAssessment
from tierslieux.places import access


@transaction.atomic
def set_public(actor: Actor, assessment: YearAssessment, public: bool) -> YearAssessment:
    """Show (or withdraw) the public version of the year's report."""
    access.require(actor, assessment.place, access.Perm.MANAGE_IMPACT)
    locked = YearAssessment.objects.select_for_update().get(pk=assessment.pk)
    if public and not locked.confirmed:
        refuse(
            _("Confirm the year's assessment before publishing its report."),
            "not_confirmed",
        )
    if locked.public != public:
        locked.public = public
        locked.save(update_fields=["public"])
        audit.record(
            actor=actor,
            action="impact.report.publish" if public else "impact.report.withdraw",
            obj=locked,
            place_id=locked.place_id,
            changes={"year": locked.year, "public": public},
        )
    assessment.public = locked.public
    return locked
