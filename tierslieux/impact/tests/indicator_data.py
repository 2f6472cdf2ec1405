"""The small world the indicator tests read, written once per module: "La Fabrique" (Paris)
with a year 2025 of visits, members, events, money and surveys, and "Le Carbet" (Cayenne,
UTC−3) with two event dates on either side of the new year. Every expected figure is
computed by hand in the tests, from the rows written here."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal as D
from typing import Any

import pytest
from django.db import transaction

from tierslieux.accounts.models import Person
from tierslieux.accounts.tests import factories as af
from tierslieux.activity.models import DailyCount
from tierslieux.billing.models import Customer, Funding
from tierslieux.billing.tests import factories as bf
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import PARIS, at, open_every_day, room
from tierslieux.events.models import Attendance, Event, PriceCategory, Registration, Session
from tierslieux.impact.indicators import compute
from tierslieux.impact.periods import Period
from tierslieux.members.models import Pass
from tierslieux.members.tests import factories as mf
from tierslieux.places.models import OpeningException, Place, PlaceRole, Space, TeamMember
from tierslieux.places.tests import factories as pf
from tierslieux.surveys.mobility import Mode
from tierslieux.surveys.models import Answer, Response, Survey, SurveyVersion
from tierslieux.surveys.templates_builtin import DISTANCE, MOBILITY_DAYS

CONFIRMED = Booking.Status.CONFIRMED
_seq = itertools.count(1)


def booking(space: Space, start: datetime, end: datetime, **fields: Any) -> Booking:
    fields.setdefault("status", CONFIRMED)
    return Booking.objects.create(place=space.place, space=space, start=start, end=end, **fields)


def session(event: Event, space: Space, start: datetime, end: datetime, **fields: Any) -> Session:
    status = Booking.Status.CANCELLED if fields.get("cancelled_at") else CONFIRMED
    held = booking(space, start, end, status=status)
    return Session.objects.create(
        event=event, space=space, start=start, end=end, booking=held, **fields
    )


def event(place: Place, **fields: Any) -> Event:
    fields.setdefault("status", Event.Status.PUBLISHED)
    fields.setdefault("capacity", 20)
    fields.setdefault("title", "Atelier")
    return Event.objects.create(place=place, **fields)


def register(event_: Event, person: Person | None, seats: int, **fields: Any) -> Registration:
    fields.setdefault("status", Registration.Status.CONFIRMED)
    fields.setdefault("source", Registration.Source.TEAM)
    fields.setdefault("email", f"r{next(_seq)}@example.org")
    return Registration.objects.create(
        event=event_, person=person, name="Quelqu'un", seats=seats, **fields
    )


def present(session_: Session, registration: Registration, seats: int) -> Attendance:
    return Attendance.objects.create(session=session_, registration=registration, seats=seats)


def answers(survey: Survey, submitted: list[tuple[date, dict[str, Any]]]) -> None:
    version = survey.versions.get()
    for day, values in submitted:
        response = Response.objects.create(
            survey=survey, version=version, anonymous=survey.anonymous, submitted_on=day
        )
        Answer.objects.bulk_create(
            Answer(response=response, survey=survey, version=version, question=key, number=D(v))
            for key, v in values.items()
            if v is not None
        )


def survey(place: Place, template: str, anonymous: bool, status: str = "published") -> Survey:
    made = Survey.objects.create(
        place=place, title="Enquête", template=template, anonymous=anonymous, status=status
    )
    SurveyVersion.objects.create(survey=made, number=1, definition={})
    return made


def build() -> dict[str, Any]:
    fabrique = open_every_day(bf.place(name="La Fabrique"))
    carbet = pf.place(name="Le Carbet", timezone="America/Cayenne")
    untouched = pf.place(name="Le Vide")  # records nothing
    hall = room(fabrique, units=1)
    people = {name: mf.person(name) for name in ("alice", "bob", "carol", "dave", "erin", "gina")}
    alice, bob, carol, dave, erin, _gina = people.values()
    orgs = [af.organisation(name=f"Asso {n}") for n in range(1, 5)]
    _visits(fabrique, hall, alice, bob, carol)
    _members(fabrique, people, orgs)
    _events(fabrique, hall, alice, dave, erin, orgs)
    _money(fabrique)
    _surveys(fabrique, carbet)
    # Le Carbet: 2025-01-01 02:00 UTC is 31 Dec 2024 23:00 there (out); 2026-01-01 01:00 UTC
    # is 31 Dec 2025 22:00 there (in): one date held in 2025 in Cayenne's time.
    stage = pf.space(carbet, kind=Space.Kind.MULTIPURPOSE_ROOM)
    night = event(carbet, title="Veillée")
    for start in (datetime(2025, 1, 1, 2, tzinfo=UTC), datetime(2026, 1, 1, 1, tzinfo=UTC)):
        session(night, stage, start, start.replace(hour=start.hour + 1))
    return {"fabrique": fabrique, "carbet": carbet, "untouched": untouched}


def _visits(place: Place, hall: Space, alice: Person, bob: Person, carol: Person) -> None:
    DailyCount.objects.bulk_create(
        DailyCount(place=place, day=date.fromisoformat(day), count=count)
        for day, count in (
            ("2024-12-31", 100), ("2025-03-03", 40), ("2025-03-04", 25), ("2026-01-01", 7)
        )
    )  # fmt: skip
    # A closed day (no count, nothing open): Monday 10 February 2025.
    OpeningException.objects.create(
        place=place, start_date=date(2025, 2, 10), end_date=date(2025, 2, 10), closed=True
    )
    booking(
        hall, at("2025-02-03", 10), at("2025-02-03", 14), person=alice, headcount=3,
        checked_in_at=at("2025-02-03", 10, 5),
    )  # fmt: skip
    booking(hall, at("2025-03-05", 9), at("2025-03-05", 11), person=bob, status="done")
    booking(
        hall, at("2025-03-06", 10), at("2025-03-06", 13), person=carol, headcount=5,
        status=Booking.Status.CANCELLED, checked_in_at=at("2025-03-06", 10),
    )  # fmt: skip
    booking(hall, at("2024-12-20", 10), at("2024-12-20", 12), person=alice)


def _members(place: Place, people: dict[str, Person], orgs: list[Any]) -> None:
    plan = mf.product(place, "plan")
    mf.subscription(plan, person=people["alice"], start=date(2024, 6, 1))
    mf.subscription(plan, person=people["erin"], start=date(2025, 12, 31))
    mf.subscription(plan, person=people["bob"], start=date(2024, 1, 1), end=date(2024, 12, 31))
    mf.subscription(plan, organisation=orgs[0], start=date(2025, 3, 1), end=date(2025, 8, 31))
    day = mf.product(place, "pass")
    for person, first in ((people["gina"], date(2025, 5, 1)), (people["alice"], date(2025, 6, 2))):
        Pass.objects.create(place=place, person=person, product=day, valid_from=first,
                            valid_until=first)  # fmt: skip
    resident = PlaceRole.Role.RESIDENT_ORGANISATION
    PlaceRole.objects.create(place=place, organisation=orgs[1], role=resident)
    PlaceRole.objects.create(
        place=place, organisation=orgs[2], role=resident, since=date(2026, 2, 1)
    )
    PlaceRole.objects.create(place=place, organisation=orgs[0], role=PlaceRole.Role.MEMBER)
    volunteer = PlaceRole.Role.VOLUNTEER
    PlaceRole.objects.create(place=place, person=people["carol"], role=volunteer)
    PlaceRole.objects.create(place=place, person=people["dave"], role=volunteer,
                             since=date(2026, 1, 1))  # fmt: skip
    TeamMember.objects.create(place=place, role="Coordination", people=1, fte=D("1.00"))
    TeamMember.objects.create(place=place, role="Fabmanagers", people=2, fte=D("0.50"))


def _events(
    place: Place, hall: Space, alice: Person, dave: Person, erin: Person, orgs: list[Any]
) -> None:
    one, two, _three, four = orgs
    old = event(place, title="Avant")
    old.co_organisers.set([one, two])
    session(old, hall, at("2024-11-05", 14), at("2024-11-05", 16))
    workshop = event(place, audiences=["children", "families"])
    workshop.co_organisers.set([one, two, four])
    PriceCategory.objects.create(event=workshop, kind="free", price_net=0, tax_code="vat_20")
    s1 = session(workshop, hall, at("2025-04-10", 14), at("2025-04-10", 16))
    s2 = session(workshop, hall, at("2025-04-11", 14), at("2025-04-11", 16),
                 cancelled_at=at("2025-04-01", 9))  # fmt: skip
    r1 = register(workshop, alice, 2, session=s1, price_kind="free")
    r2 = register(workshop, dave, 1, session=s1, price_kind="free")
    register(workshop, None, 3, session=s1, status=Registration.Status.CANCELLED)
    register(workshop, None, 1, session=s2, price_kind="free")
    present(s1, r1, 2)
    present(s1, r2, 1)
    course = event(place, title="Formation", kind="training", hours=D("6"),
                   enrolment="series", audiences=["job_seekers"])  # fmt: skip
    course.co_organisers.set([one, two])
    PriceCategory.objects.create(event=course, kind="non_member", price_net=50, tax_code="vat_20")
    PriceCategory.objects.create(event=course, kind="solidarity", price_net=10, tax_code="vat_20")
    t1 = session(course, hall, at("2025-05-12", 9), at("2025-05-12", 12))
    t2 = session(course, hall, at("2025-05-13", 9), at("2025-05-13", 12))
    ra = register(course, alice, 1, price_kind="solidarity", unit_price_net=10)
    rb = register(course, erin, 2, price_kind="non_member", unit_price_net=50)
    present(t1, ra, 1)
    present(t1, rb, 2)
    present(t2, ra, 1)
    peers = event(place, title="Entre pairs", peer_learning=True, registration_required=False)
    session(peers, hall, at("2025-06-01", 10), at("2025-06-01", 12))
    draft = event(place, title="Brouillon", status=Event.Status.DRAFT)
    session(draft, hall, at("2025-07-01", 10), at("2025-07-01", 12))
    later = event(place, title="Après")
    session(later, hall, at("2026-03-02", 10), at("2026-03-02", 12))


def _money(place: Place) -> None:
    owner = bf.coordinator(place)
    alice = bf.customer(place, name="Alice")
    town = bf.customer(place, name="Mairie", kind=Customer.Kind.PUBLIC_BODY)
    bf.issued(owner, alice, [("Adhésion", "1", "50.00", "vat_20")], date(2024, 12, 31))
    bf.issued(owner, alice, [("Journées", "1", "100.00", "vat_20")], date(2025, 3, 1))
    bf.issued(owner, town, [("Salle", "1", "200.00", "vat_20")], date(2025, 4, 1))
    for amount, public, day in (("300.00", True, date(2025, 6, 1)),
                                ("100.00", False, date(2025, 7, 1))):  # fmt: skip
        Funding.objects.create(
            place=place, funder="Région", amount=D(amount), public=public, received_on=day
        )


def _surveys(fabrique: Place, carbet: Place) -> None:
    in_2025 = date(2025, 9, 1)
    few = survey(fabrique, "satisfaction", anonymous=True)
    answers(few, [(in_2025, {"satisfaction": v}) for v in (5, 4, 4, 3)])
    enough = survey(fabrique, "satisfaction", anonymous=True)
    answers(enough, [(in_2025, {"satisfaction": v}) for v in (5, 4, 4, 3, 2)])
    answers(enough, [(date(2024, 9, 1), {"satisfaction": 1})])
    draft = survey(fabrique, "satisfaction", anonymous=False, status="draft")
    answers(draft, [(in_2025, {"satisfaction": 1}) for _n in range(6)])
    trips = survey(fabrique, "mobility", anonymous=False)
    car, bike, walk = (MOBILITY_DAYS[m] for m in (Mode.CAR, Mode.BIKE, Mode.WALK))
    answers(trips, [(in_2025, {car: 3, bike: 2, DISTANCE: 10}), (in_2025, {walk: 5})])
    hidden = survey(carbet, "mobility", anonymous=True)
    answers(hidden, [(in_2025, {car: 5, DISTANCE: 20}) for _n in range(3)])


def world_fixture(period: Period) -> Any:
    """A module-scoped fixture: the world written once, `compute`d for `period`, read by the
    module's tests and rolled back at its end."""

    @pytest.fixture(scope="module")
    def world(django_db_setup: Any, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
        with django_db_blocker.unblock(), transaction.atomic():
            places = build()
            found = compute(Place.objects.filter(pk__in=[p.pk for p in places.values()]), period)
            yield {name: found[p.pk] for name, p in places.items()} | {"places": places}
            transaction.set_rollback(True)

    return world


__all__ = ["PARIS", "build", "world_fixture"]
