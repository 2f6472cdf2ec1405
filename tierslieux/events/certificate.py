"""The certificate of attendance of a training (PDF): who attended which dates, for how many
hours, issued by the place.

Read-only: the facts come from the attendance checked at the door (`Attendance`), never from
the registration alone. The PDF is rendered once per request by WeasyPrint from our own HTML;
nothing is fetched (no network, no file), so it is fast and cannot leak.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from tierslieux.core import clock, formatting
from tierslieux.core.errors import refuse
from tierslieux.events.models import Attendance, Event, Registration
from tierslieux.places.models import PlaceRole

TEMPLATE = "events/certificate_pdf.html"


@dataclass(frozen=True)
class Certificate:
    attendee: str
    title: str
    place_name: str
    address_lines: list[str]
    siret: str
    dates: list[str]
    hours: Decimal
    planned_hours: Decimal | None
    objectives: str
    issued_on: str
    issued_at: str
    coordinator: str
    filename: str


def _hours(duration: timedelta) -> Decimal:
    return (Decimal(int(duration.total_seconds())) / 3600).quantize(Decimal("0.01"))


def attended(registration: Registration) -> list[Attendance]:
    """The registration's check-ins, in date order."""
    return list(
        Attendance.objects.filter(registration=registration)
        .select_related("session")
        .order_by("session__start", "session_id")
    )


def can_certify(registration: Registration) -> bool:
    return registration.event.kind == Event.Kind.TRAINING and bool(attended(registration))


def _coordinator(registration: Registration, issuer: Any) -> str:
    """The issuer when they coordinate the place, else the place's first coordinator."""
    place = registration.event.place
    roles = PlaceRole.objects.filter(place=place, role=PlaceRole.Role.COORDINATOR)
    person = getattr(issuer, "person", None) if getattr(issuer, "is_authenticated", False) else None
    if person is not None and roles.filter(person=person).exists():
        return str(person)
    first = roles.select_related("person").order_by("id").first()
    return str(first.person) if first is not None and first.person is not None else ""


def build(registration: Registration, issuer: Any = None) -> Certificate:
    """The certificate's facts, dates in the place's time zone and the active language."""
    event = registration.event
    if event.kind != Event.Kind.TRAINING:
        refuse(_("A certificate of attendance is for a training."), "kind")
    rows = attended(registration)
    if not rows:
        refuse(
            _("Nobody of this registration was checked in: there is nothing to certify."), "none"
        )
    place = event.place
    tz = ZoneInfo(place.timezone)
    total = sum((row.session.end - row.session.start for row in rows), timedelta())
    address = [line.strip() for line in place.address.splitlines() if line.strip()]
    address.append(f"{place.postcode} {place.commune}".strip())
    with timezone.override(tz):
        dates = [
            _("%(day)s, %(start)s–%(end)s")
            % {
                "day": formatting.day(row.session.start),
                "start": timezone.localtime(row.session.start).strftime("%H:%M"),
                "end": timezone.localtime(row.session.end).strftime("%H:%M"),
            }
            for row in rows
        ]
        issued: date = clock.today(place.timezone)
        issued_on = formatting.day(issued)
    name_slug = slugify(registration.name) or str(registration.pk)
    return Certificate(
        attendee=registration.name,
        title=event.title,
        place_name=place.name,
        address_lines=[line for line in address if line],
        siret=place.siret,
        dates=dates,
        hours=_hours(total),
        planned_hours=event.hours,
        objectives=event.objectives,
        issued_on=issued_on,
        issued_at=place.commune,
        coordinator=_coordinator(registration, issuer),
        filename=f"attestation-{slugify(event.title) or event.pk}-{name_slug}.pdf",
    )


def render_pdf(certificate: Certificate) -> bytes:
    """The PDF in the active language."""
    html = render_to_string(
        TEMPLATE,
        {
            "c": certificate,
            "hours": formatting.number(certificate.hours.normalize()),
            "planned_hours": (
                formatting.number(certificate.planned_hours.normalize())
                if certificate.planned_hours is not None
                else ""
            ),
        },
    )
    pdf: bytes = HTML(string=html, url_fetcher=_NothingFetcher()).write_pdf()
    return pdf


class _NothingFetcher(URLFetcher):
    """The certificate needs no outside resource: any URL in it is refused."""

    def fetch(self, url: str, headers: Any = None) -> Any:
        raise ValueError(f"not fetched: {url[:80]}")
