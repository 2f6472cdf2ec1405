"""Impact benchmark: every impact indicator for every place of 1,000 places over one year
(`impact.indicators.compute`), target ≤ 2 s.

One command: `.venv/bin/python bench/impact_bench.py [--postgres]`. The data set, generated
here by bulk_create in a temporary folder (SQLite) or a throwaway PostgreSQL cluster
(--postgres): 1,000 places (3 % overseas: Cayenne, La Réunion), open Monday to Friday 08:00
to 20:00, a room and a coworking each; over 2023–2025 per place and year: 80 bookings of
people (a third checked in), 20 events of one date each (co-organisers for a fifth, prices,
audiences, 3 registrations and 2 check-ins each), 20 subscriptions, 10 passes, 30 invoices
with a line, 4 fundings, footfall counts for a fifth of the places, a satisfaction and a
mobility survey of 6 answers; team lines and roles. Timed with `time.perf_counter` (warm-up
runs discarded): (a) `compute` for all the places, year 2025; (b) for one place; (c) the
occupancy alone (`activity.queries.occupancy` for all the places), which (a) includes.
Then every place gets a confirmed assessment of each year 2023–2025 (its 2025 figures frozen,
a verdict per impact; 3,000 assessments, 24,000 judgements) and the network's side is timed:
(d) the matrix place × impact of the 1,000 places (`impact.matrix.matrix`); (e) the network's
indicators table, read from the frozen figures (`impact.matrix.network_indicators`).

Prints a Markdown table and writes the figures as JSON under var/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock_time
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bookings_bench import timed  # noqa: E402
from bench.bookings_data import analyse  # noqa: E402
from bench.harness import in_throwaway_database, machine  # noqa: E402
from bench.impact_network import network_side  # noqa: E402

YEARS = (2023, 2024, 2025)
TARGETS = {"a": 2000.0, "b": 200.0, "c": 2000.0, "d": 2000.0, "e": 2000.0}
ZONES = ("America/Cayenne", "Indian/Reunion")
PRICES = ("free", "solidarity", "non_member")
KINDS = ("individual", "individual", "public_body")
FAMILIES = ("memberships", "services", "side_activities")
AUDIENCES = ("children", "young_people", "seniors", "job_seekers", "families")


class Batch:
    """Rows waiting for bulk_create, flushed by model when many."""

    def __init__(self) -> None:
        self.rows: dict[Any, list[Any]] = {}

    def add(self, row: Any) -> Any:
        self.rows.setdefault(type(row), []).append(row)
        return row

    def flush(self, *models: Any) -> None:
        for model in models:
            model.objects.bulk_create(self.rows.pop(model, []), batch_size=2000)


def places_and_people(count: int, rng: random.Random) -> dict[str, Any]:
    from tierslieux.accounts.models import Organisation, Person
    from tierslieux.places.models import Network, OpeningHours, Place, PlaceRole, Space, TeamMember

    network = Network.objects.create(name="Banc", slug="banc")
    Place.objects.bulk_create(
        Place(
            network=network, name=f"Lieu {n}", slug=f"lieu-{n}", status="open",
            postcode="11100", commune="Narbonne", legal_form="association",
            location_type="city_centre",
            timezone=rng.choice(ZONES) if rng.random() < 0.03 else "Europe/Paris",
        )
        for n in range(count)
    )  # fmt: skip
    places = list(Place.objects.filter(network=network).order_by("pk"))
    OpeningHours.objects.bulk_create(
        OpeningHours(place=p, weekday=d, opens=clock_time(8), closes=clock_time(20))
        for p in places
        for d in range(5)
    )
    Space.objects.bulk_create(
        Space(place=p, name=name, slug=name.lower(), kind=kind, units=units)
        for p in places
        for name, kind, units in (("Salle", "meeting_room", 1), ("Plateau", "coworking", 20))
    )
    people = Person.objects.bulk_create(
        (Person(first_name="P", last_name=f"N{n}") for n in range(count * 15)), batch_size=5000
    )
    orgs = Organisation.objects.bulk_create(
        (Organisation(name=f"Asso {n}") for n in range(count * 3)), batch_size=5000
    )
    PlaceRole.objects.bulk_create(
        (
            PlaceRole(place=p, organisation=orgs[3 * i + k], role="resident_organisation")
            for i, p in enumerate(places)
            for k in range(2)
        ),
        batch_size=5000,
    )
    TeamMember.objects.bulk_create(
        TeamMember(place=p, role="Coordination", people=2, fte=Decimal("1.5")) for p in places
    )
    people_of = {p.pk: people[15 * n : 15 * n + 15] for n, p in enumerate(places)}
    return {"places": places, "people_of": people_of, "orgs": orgs}


def year_of(place: Any, year: int, world: dict[str, Any], rng: random.Random, b: Batch) -> None:
    """One place's year: bookings, events and their dates, members, money, counts."""
    from tierslieux.activity.models import DailyCount
    from tierslieux.billing.models import Funding
    from tierslieux.bookings.models import Booking
    from tierslieux.members.models import Pass

    tz = ZoneInfo(place.timezone)
    room, desk = world["spaces"][place.pk]
    people = world["people_of"][place.pk]
    days = [d for d in (date(year, 1, 1) + timedelta(n) for n in range(365)) if d.weekday() < 5]
    for day in rng.sample(days, 80):
        start = datetime.combine(day, clock_time(9), tz)
        status = rng.choice(("confirmed", "done", "done", "cancelled"))
        b.add(
            Booking(
                place=place, space=rng.choice((room, desk)), person=rng.choice(people),
                start=start, end=start + timedelta(hours=rng.randint(1, 3)), status=status,
                headcount=rng.choice((None, 1, 2, 4)),
                checked_in_at=start if status == "done" and rng.random() < 0.6 else None,
            )
        )  # fmt: skip
    for n in range(20):
        first = date(year, 1 + n % 12, 1)
        end = first + timedelta(days=rng.randint(30, 400))
        b.add(world["sub"](place, rng.choice(people), first, end))
    for _n in range(10):
        first = rng.choice(days)
        b.add(Pass(place=place, person=rng.choice(people), product=world["pass"][place.pk],
                   valid_from=first, valid_until=first))  # fmt: skip
    for n in range(4):
        b.add(Funding(place=place, funder="Région", amount=Decimal(rng.randint(500, 5000)),
                      public=n % 2 == 0, received_on=rng.choice(days)))  # fmt: skip
    world["invoices"].extend((place, rng.choice(days), rng.randint(10, 500)) for _n in range(30))
    if place.pk % 5 == 0:
        for day in days:
            b.add(DailyCount(place=place, day=day, count=rng.randint(5, 80)))
    world["events"].extend((place, room, tz, day) for day in rng.sample(days, 20))


def events(world: dict[str, Any], rng: random.Random) -> None:
    """The events of every place and year, with their dates (each holding a booking),
    prices, co-organisers, registrations and check-ins."""
    from tierslieux.bookings.models import Booking
    from tierslieux.events.models import Attendance, Event, PriceCategory, Registration, Session

    todo = world.pop("events")
    for chunk in range(0, len(todo), 5000):
        part = todo[chunk : chunk + 5000]
        made = Event.objects.bulk_create(
            Event(
                place=place, title="Atelier", capacity=20, status="published",
                kind=rng.choice(("workshop", "training", "conference")),
                peer_learning=rng.random() < 0.2, audiences=rng.sample(AUDIENCES, 2),
                hours=Decimal(3) if rng.random() < 0.2 else None,
            )
            for place, _room, _tz, _day in part
        )  # fmt: skip
        held = Booking.objects.bulk_create(
            Booking(place=place, space=room, start=datetime.combine(day, clock_time(14), tz),
                    end=datetime.combine(day, clock_time(17), tz), status="confirmed")
            for place, room, tz, day in part
        )  # fmt: skip
        sessions = Session.objects.bulk_create(
            Session(event=e, space=h.space, start=h.start, end=h.end, booking=h)
            for e, h in zip(made, held, strict=True)
        )
        PriceCategory.objects.bulk_create(
            PriceCategory(event=e, kind=PRICES[n % 3], price_net=Decimal(10 if n % 3 else 0),
                          tax_code="vat_20")
            for n, e in enumerate(made)
        )  # fmt: skip
        through = Event.co_organisers.through
        orgs = world["orgs"]
        through.objects.bulk_create(
            through(event_id=e.pk, organisation_id=orgs[(e.place_id * 3 + k) % len(orgs)].pk)
            for e in made
            if rng.random() < 0.2
            for k in range(rng.randint(2, 3))
        )
        registrations = Registration.objects.bulk_create(
            (
                Registration(event=e, session=s, name="R", email=f"r{s.pk}-{k}@example.org",
                             seats=rng.randint(1, 3), status="confirmed", source="public",
                             price_kind="free", unit_price_net=Decimal(0))
                for e, s in zip(made, sessions, strict=True)
                for k in range(3)
            ),
            batch_size=2000,
        )  # fmt: skip
        Attendance.objects.bulk_create(
            (
                Attendance(session_id=r.session_id, registration=r, seats=r.seats)
                for n, r in enumerate(registrations)
                if n % 3 != 2
            ),
            batch_size=2000,
        )


def money_and_members(world: dict[str, Any]) -> None:
    """Per place: a plan and a pass product, one customer paying; then the invoices, issued
    in one UPDATE after their lines (an issued invoice takes no new line)."""
    from tierslieux.billing.models import Customer
    from tierslieux.members.models import Product, Subscription

    places = world["places"]
    Product.objects.bulk_create(
        Product(
            place=p,
            kind=kind,
            name=kind,
            price_net=Decimal(20),
            tax_code="vat_20",
            period="month" if kind == "plan" else "",
            validity_days=None if kind == "plan" else 1,
        )
        for p in places
        for kind in ("plan", "pass")
    )
    products = {(r.place_id, r.kind): r for r in Product.objects.all()}
    Customer.objects.bulk_create(
        Customer(place=p, name="Membres", kind=kind)
        for p in places
        for kind in ("individual", "public_body")
    )
    customers = {(c.place_id, c.kind): c for c in Customer.objects.all()}
    world["pass"] = {p.pk: products[(p.pk, "pass")] for p in places}
    world["sub"] = lambda place, person, first, end: Subscription(
        place=place, product=products[(place.pk, "plan")], person=person, start=first,
        end=end, price_net=Decimal(20), customer=customers[(place.pk, "individual")],
    )  # fmt: skip
    world["customers"] = customers


def invoices(world: dict[str, Any], rng: random.Random) -> None:
    from tierslieux.billing.models import Invoice, InvoiceLine

    customers = world["customers"]
    todo = world.pop("invoices")
    for chunk in range(0, len(todo), 10000):
        part = todo[chunk : chunk + 10000]
        made = Invoice.objects.bulk_create(
            Invoice(place=place, customer=customers[(place.pk, rng.choice(KINDS))],
                    issue_date=day, due_date=day, total_net=Decimal(net), total_gross=Decimal(net))
            for place, day, net in part
        )  # fmt: skip
        InvoiceLine.objects.bulk_create(
            InvoiceLine(invoice=i, position=1, description="Ligne", quantity=1,
                        unit_price_net=i.total_net, tax_code="exempt_261_7_1b", tax_rate=0,
                        net=i.total_net, family=rng.choice(FAMILIES))
            for i in made
        )  # fmt: skip
    issued = datetime(2026, 1, 5, tzinfo=UTC)
    from django.db.models import CharField, F, Value
    from django.db.models.functions import Cast, Concat

    Invoice.objects.update(
        status="issued", sequence_number=F("pk"), issued_at=issued, hash="0" * 64,
        number=Concat(Value("F"), Cast("pk", CharField())),
    )  # fmt: skip


def surveys(world: dict[str, Any], rng: random.Random) -> None:
    """A satisfaction and a mobility survey a place and year, 6 anonymous answers each."""
    from tierslieux.surveys.mobility import Mode
    from tierslieux.surveys.models import Answer, Response, Survey, SurveyVersion
    from tierslieux.surveys.templates_builtin import DISTANCE, MOBILITY_DAYS

    made = Survey.objects.bulk_create(
        Survey(place=p, title="Enquête", template=t, anonymous=True, status="published",
               public_key=f"k{p.pk}-{t}-{y}")
        for p in world["places"]
        for t in ("satisfaction", "mobility")
        for y in YEARS
    )  # fmt: skip
    versions = SurveyVersion.objects.bulk_create(
        SurveyVersion(survey=s, number=1, definition={}) for s in made
    )
    responses = Response.objects.bulk_create(
        (
            Response(survey=s, version=v, anonymous=True, submitted_on=date(YEARS[n % 3], 6, 1 + k))
            for n, (s, v) in enumerate(zip(made, versions, strict=True))
            for k in range(6)
        ),
        batch_size=5000,
    )
    car, bike = MOBILITY_DAYS[Mode.CAR], MOBILITY_DAYS[Mode.BIKE]
    rows = []
    for r in responses:
        template = r.survey.template
        values = (
            {"satisfaction": rng.randint(1, 5)}
            if template == "satisfaction"
            else {car: rng.randint(0, 5), bike: rng.randint(0, 3), DISTANCE: rng.randint(1, 30)}
        )
        rows.extend(
            Answer(response=r, survey_id=r.survey_id, version_id=r.version_id, question=key,
                   number=Decimal(value))
            for key, value in values.items()
        )  # fmt: skip
    Answer.objects.bulk_create(rows, batch_size=5000)


def seed(count: int, rng: random.Random) -> dict[str, int]:
    from tierslieux.places.models import Space

    world = places_and_people(count, rng)
    spaces: dict[int, list[Any]] = {}
    for space in Space.objects.order_by("place", "-units"):
        spaces.setdefault(space.place_id, []).append(space)
    world["spaces"] = {pk: (found[1], found[0]) for pk, found in spaces.items()}  # room, desk
    world["events"], world["invoices"] = [], []
    money_and_members(world)
    from tierslieux.activity.models import DailyCount
    from tierslieux.billing.models import Funding
    from tierslieux.bookings.models import Booking
    from tierslieux.members.models import Pass, Subscription

    batch = Batch()
    for n, place in enumerate(world["places"]):
        for year in YEARS:
            year_of(place, year, world, rng, batch)
        if n % 100 == 99:
            batch.flush(Booking, Subscription, Pass, Funding, DailyCount)
    batch.flush(Booking, Subscription, Pass, Funding, DailyCount)
    events(world, rng)
    invoices(world, rng)
    surveys(world, rng)
    return {"places": count}


def profile(work: Any) -> dict[str, Any]:
    """Where one run spends its time: the slowest statements, the busiest Python functions."""
    import cProfile
    import io
    import pstats

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    profiler = cProfile.Profile()
    with CaptureQueriesContext(connection) as captured:
        profiler.enable()
        work()
        profiler.disable()
    slowest = sorted(captured.captured_queries, key=lambda q: -float(q["time"]))[:8]
    text = io.StringIO()
    pstats.Stats(profiler, stream=text).sort_stats("cumulative").print_stats(25)
    print(text.getvalue()[-6000:], file=sys.stderr)
    for query in slowest:
        print(query["time"], query["sql"][:200], file=sys.stderr)
    return {"slowest": [(q["time"], q["sql"][:200]) for q in slowest]}


def run(args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    from django.db import connection

    from tierslieux.bookings.models import Booking
    from tierslieux.core import clock
    from tierslieux.events.models import Attendance
    from tierslieux.impact.indicators import compute
    from tierslieux.impact.periods import Period
    from tierslieux.places.models import Place

    began = time.perf_counter()
    seed(args.places, rng)
    analyse()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM")
    seeded = time.perf_counter() - began
    print(
        f"seeded {Place.objects.count()} places, {Booking.objects.count()} bookings, "
        f"{Attendance.objects.count()} check-ins in {seeded:.0f} s on {connection.vendor}",
        file=sys.stderr,
        flush=True,
    )
    clock.freeze(datetime(2026, 6, 1, 12, tzinfo=UTC))
    period = Period(2025)
    everyone = Place.objects.all()
    one = Place.objects.filter(pk=Place.objects.order_by("pk").values_list("pk", flat=True)[0])
    found: dict[str, Any] = {}

    def every(_n: int) -> None:
        found["a"] = compute(everyone, period)

    def single(_n: int) -> None:
        found["b"] = compute(one, period)

    from tierslieux.activity import queries

    listed = list(everyone.only("pk", "timezone", "country"))

    def occupancy(_n: int) -> None:
        queries.occupancy(listed, period.last, period.months)

    results: dict[str, Any] = {
        "a": timed(every, args.runs),
        "b": timed(single, args.runs),
        "c": timed(occupancy, args.runs),
    }
    results["profile"] = profile(lambda: every(0))
    results.update(network_side(found["a"], rng, args.runs, YEARS))
    assert len(found["a"]) == args.places
    sample = next(iter(found["a"].values()))
    results["seed_s"] = round(seeded)
    results["check"] = {
        "places": len(found["a"]),
        "recorded": sum(v.recorded for values in found["a"].values() for v in values.values()),
        "sample": {key: str(value.amount)[:60] for key, value in sample.items()},
    }
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="in a throwaway PG cluster")
    parser.add_argument("--runs", type=int, default=5, help="timed runs per measure")
    parser.add_argument("--places", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results, vendor = in_throwaway_database(
        args.postgres, "tl-impact-bench.", lambda: run(args, rng)
    )
    print(f"\n| measure ({vendor}) | median | p95 | min | CPU median | queries | target |")
    print("|---|---|---|---|---|---|---|")
    labels = {
        "a": f"(a) every indicator, {args.places} places, 2025",
        "b": "(b) one place",
        "c": "(c) occupancy alone (activity.queries.occupancy), as in (a)",
        "d": f"(d) the network's matrix, {args.places} places × 8 impacts, 2025",
        "e": f"(e) the network's indicators, {args.places} places (frozen figures)",
    }
    for key, label in labels.items():
        r = results[key]
        print(
            f"| {label} | {r['median_ms']} ms | {r['p95_ms']} ms | {r['min_ms']} ms "
            f"| {r['cpu_median_ms']} ms | {r['queries']} | ≤ {TARGETS[key]:.0f} ms |"
        )
    print(f"seeded in {results['seed_s']} s; load average: {os.getloadavg()}")
    print(f"\ncheck: {results['check']}")
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"impact-{vendor}.json"
    path.write_text(json.dumps({"machine": machine(), **results}, indent=2, default=str))
    print(f"written {path}")


if __name__ == "__main__":
    main()
