"""Fundings: money a place receives without invoicing it (grants, agreements, sponsorship)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from tierslieux.billing.models import Family, Funding
from tierslieux.billing.services.common import decimal, require
from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.formatting import money
from tierslieux.core.money import round_money
from tierslieux.core.types import Actor
from tierslieux.places.models import Place


@transaction.atomic
def record_funding(
    *,
    actor: Actor,
    place: Place,
    funder: str,
    amount: Decimal | int | str,
    received_on: date,
    public: bool = True,
    family: str = Family.PARTNERSHIPS,
    description: str = "",
) -> Funding:
    """Record a funding received (the team's money action: MANAGE_BILLING). It counts in
    the revenue of the month received; a public funder's share is watched by the dashboard."""
    require(actor, place)
    funder = funder.strip()
    if not funder:
        refuse(_("Name the funder."), "no_funder")
    value = decimal(amount, _("The amount"))
    if value <= 0 or value != round_money(value):
        refuse(
            _("%(what)s must be a positive amount in cents, not %(value)s."),
            "amount_not_positive",
            what=_("A funding"),
            value=money(value),
        )
    if family not in Family.values:
        refuse(_("Unknown revenue family “%(family)s”."), "unknown_family", family=family)
    funding = Funding.objects.create(
        place=place,
        funder=funder,
        public=public,
        description=description.strip(),
        amount=value,
        received_on=received_on,
        family=family,
    )
    audit.record(
        actor=actor,
        action="billing.funding.record",
        obj=funding,
        place_id=place.pk,
        changes={"funder": funder, "amount": value, "public": public, "family": family},
    )
    return funding
