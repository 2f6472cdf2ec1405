"""API of the "Activité" figures (/api/v1/activity), for the place's team: the same figures
and definitions as the page, numbers as JSON (occupancy in percent, one decimal); the
participation in events under `participation`, with its own definitions."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema

from tierslieux.accounts.api_auth import WRITE_AUTH
from tierslieux.activity import participation, report
from tierslieux.core.api_schemas import ErrorOut
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place

router = Router(tags=["activity"])


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


class SpaceOccupancyOut(Schema):
    slug: str
    name: str
    units: int
    occupancy: list[Decimal | None]


class ParticipationCountsOut(Schema):
    sessions: int = Field(description="dates held")
    registered: int = Field(description="seats registered")
    present: int = Field(description="people present, walk-ins included")
    no_shows: int = Field(description="seats registered and not checked in")


class ParticipationMonthOut(ParticipationCountsOut):
    month: str = Field(description="YYYY-MM, in the place's time zone")
    peer_learning: ParticipationCountsOut


class EventParticipationOut(ParticipationCountsOut):
    id: int
    title: str
    kind: str
    first_date: date = Field(description="its first date held in the period")
    audiences: list[str]
    peer_learning: bool


class AudienceParticipationOut(Schema):
    code: str
    label: str
    events: int
    sessions: int = Field(description="dates held")
    participants: int = Field(description="people present")


class ParticipationOut(Schema):
    months: list[ParticipationMonthOut]
    events: list[EventParticipationOut]
    audiences: list[AudienceParticipationOut]
    total: ParticipationCountsOut
    peer_learning: ParticipationCountsOut
    definitions: dict[str, str]


class ActivityOut(Schema):
    place: str
    months: list[MonthOut]
    spaces: list[SpaceOccupancyOut]
    target: list[Decimal]
    definitions: dict[str, str]
    participation: ParticipationOut


def _counts(counts: participation.Counts) -> dict[str, int]:
    return {
        "sessions": counts.sessions,
        "registered": counts.registered,
        "present": counts.present,
        "no_shows": counts.no_shows,
    }


def _participation(place: Place, last: date) -> dict[str, Any]:
    figures = participation.place_participation(place, last, report.MONTHS)
    return {
        "months": [
            {
                "month": f"{line.month.first:%Y-%m}",
                **_counts(line.counts),
                "peer_learning": _counts(line.peer),
            }
            for line in figures.months
        ],
        "events": [
            {
                "id": line.event_id,
                "title": line.title,
                "kind": line.kind,
                "first_date": line.first,
                "audiences": line.audiences,
                "peer_learning": line.peer_learning,
                **_counts(line.counts),
            }
            for line in figures.events
        ],
        "audiences": [
            {
                "code": line.code,
                "label": line.label,
                "events": line.events,
                "sessions": line.sessions,
                "participants": line.participants,
            }
            for line in figures.audiences
        ],
        "total": _counts(figures.total),
        "peer_learning": _counts(figures.peer),
        "definitions": {key: str(text) for key, text in participation.DEFINITIONS.items()},
    }


@router.get(
    "/{slug}",
    response={200: ActivityOut, 401: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    auth=WRITE_AUTH,
    summary="A place's activity",
)
def place_activity(request: HttpRequest, slug: str, query: Query[PeriodQuery]) -> dict[str, Any]:
    """Twelve months up to `year`-`month` (default: this month): occupancy per space and for
    the place, footfall and visits by booking; participation in events per month, event and
    audience, peer learning; each figure's definition. For the place's team; anyone else
    gets 404."""
    place = get_object_or_404(Place, slug=slug)
    if not access.has_perm(request.user, place, Perm.VIEW_FIGURES):
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
        "participation": _participation(place, last),
    }
