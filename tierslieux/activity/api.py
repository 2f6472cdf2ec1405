"""API of the "Activité" figures (/api/v1/activity), for the place's team: the same figures
and definitions as the page, numbers as JSON (occupancy in percent, one decimal)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from tierslieux.accounts.api_auth import WRITE_AUTH
from tierslieux.activity import report
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place

router = Router(tags=["activity"])


class ErrorOut(Schema):
    detail: str


class PeriodQuery(Schema):
    year: int | None = Field(None, ge=2000, le=2100)
    month: int | None = Field(None, ge=1, le=12)


class MonthOut(Schema):
    month: str = Field(description="YYYY-MM, in the place's time zone")
    occupancy: Decimal | None = Field(description="percent; null when closed all month")
    target: str = Field(description="below, within, above the 60–70 % target, or none")
    booked_hours: Decimal
    open_hours: Decimal
    footfall: int
    days_counted: int
    checkins: int


class SpaceOut(Schema):
    slug: str
    name: str
    units: int
    occupancy: list[Decimal | None]


class ActivityOut(Schema):
    place: str
    months: list[MonthOut]
    spaces: list[SpaceOut]
    target: list[Decimal]
    definitions: dict[str, str]


@router.get(
    "/{slug}",
    response={200: ActivityOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="A place's activity",
)
def place_activity(request: HttpRequest, slug: str, query: Query[PeriodQuery]) -> dict[str, Any]:
    """Twelve months up to `year`-`month` (default: this month): occupancy per space and for
    the place, footfall and visits by booking; each figure's definition. For the place's
    team; anyone else gets 404."""
    place = get_object_or_404(Place, slug=slug)
    if not access.has_perm(request.user, place, Perm.VIEW_BACKOFFICE):
        raise Http404  # the API's reads tell outsiders nothing, not even that it exists
    today = place.today()
    last = date(query.year or today.year, query.month or today.month, 1)
    figures = report.place_report(place, last)
    return {
        "place": place.slug,
        "months": [
            {
                "month": f"{row.month.first:%Y-%m}",
                "occupancy": row.occupancy,
                "target": row.band,
                "booked_hours": row.booked_hours,
                "open_hours": row.open_hours,
                "footfall": row.footfall,
                "days_counted": row.days_counted,
                "checkins": row.checkins,
            }
            for row in figures.months
        ],
        "spaces": [
            {
                "slug": line.space.slug,
                "name": line.space.name,
                "units": line.space.units,
                "occupancy": line.occupancy,
            }
            for line in figures.spaces
        ],
        "target": list(figures.target),
        "definitions": {key: str(text) for key, text in report.DEFINITIONS.items()},
    }
