"""Participation figures on a fixture counted by hand: dates held, seats registered, people
present (walk-ins included), no-shows (only where attendance was taken), per month, per
event, per audience, peer learning; the page and the API show them with their definitions.

The fixture (La Fabrique, open every day; figures read on 1 March 2027 at noon):
- Repair café (families, seniors), one registration per date, cancelled on 15 February:
  9 January: Ana 2, Bob 1, Cyd 3 seats (Dan's seat cancelled) → 6 registered; checked in:
  Ana 2, Cyd 1, walk-in Eve 2 → 5 present, 3 no-shows (Bob 1, Cyd 2).
  6 February: Ana 1, Fay 2 → 3 registered; nobody checked in (no list) → 0 present, 0 no-show.
  20 February: cancelled with the event → not held.
- Training (professionals, job seekers), one course of 18 and 19 January: Gus 1, Hal 2 →
  3 registered at each date; 18th: Gus 1, Hal 2 present; 19th: Hal 2 → 1 no-show.
- Peer-learning code workshop (young people): 10 February: Ivy 1, Jo 1 registered; Ivy 1,
  Jo 2 (a friend along), walk-in Kim 3 → 6 present, 0 no-show; 10 March: not held yet.
- A draft event's date, and another place's event: not counted.
January: 3 dates, 12 registered, 10 present, 4 no-shows. February: 2 dates, 5 registered,
6 present, 0 no-shows; peer learning 1 date, 6 present.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tierslieux.accounts.services import create_api_token
from tierslieux.activity import participation
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events import services
from tierslieux.events.models import Attendance, Event, Registration
from tierslieux.events.tests import factories as ef

NOW = at("2027-03-01", 12)
Source, Status = Registration.Source, Registration.Status


def _walk_in(event, session, name, seats):
    registration = Registration.objects.create(
        event=event,
        session=session,
        name=name,
        seats=seats,
        status=Status.CONFIRMED,
        source=Source.WALK_IN,
        confirmed_at=session.start,
    )
    Attendance.objects.create(session=session, registration=registration, seats=seats)


def _present(session, registration, seats):
    Attendance.objects.create(session=session, registration=registration, seats=seats)


@pytest.fixture
def fixture(clock, place, coordinator, other_place, other_coordinator):
    clock.set(at("2027-01-04", 8))
    bf.open_every_day(place)
    bf.open_every_day(other_place)
    room = bf.room(place, name="Salle Jaune")
    repair = ef.event(place, title="Repair café", kind="repair_cafe", capacity=10)
    repair.audiences = ["families", "seniors"]
    repair.save()
    r1 = ef.session(coordinator, repair, room, at("2027-01-09", 14), at("2027-01-09", 17))
    r2 = ef.session(coordinator, repair, room, at("2027-02-06", 14), at("2027-02-06", 17))
    ef.session(coordinator, repair, room, at("2027-02-20", 14), at("2027-02-20", 17))
    services.publish_event(actor=coordinator, event=repair)
    training = ef.event(
        place,
        title="Formation",
        kind="training",
        enrolment=Event.Enrolment.SERIES,
        audiences=["professionals", "job_seekers"],
    )
    t1 = ef.session(coordinator, training, room, at("2027-01-18", 9), at("2027-01-18", 17))
    t2 = ef.session(coordinator, training, room, at("2027-01-19", 9), at("2027-01-19", 17))
    services.publish_event(actor=coordinator, event=training)
    code = ef.event(place, title="Code", peer_learning=True, audiences=["young_people"])
    c1 = ef.session(coordinator, code, room, at("2027-02-10", 18), at("2027-02-10", 20))
    ef.session(coordinator, code, room, at("2027-03-10", 18), at("2027-03-10", 20))
    services.publish_event(actor=coordinator, event=code)
    draft = ef.event(place, title="Brouillon")
    ef.session(coordinator, draft, room, at("2027-01-20", 10), at("2027-01-20", 12))
    other_room = bf.room(other_place, name="Ailleurs")
    ef.published(
        other_coordinator, other_place, other_room, at("2027-01-09", 14), at("2027-01-09", 17)
    )
    for event in (repair, training, code):
        event.refresh_from_db()

    def reg(event, session, name, seats=1):
        return ef.visitor(event, session, name, seats=seats).registration

    ana, bob, cyd = reg(repair, r1, "Ana", 2), reg(repair, r1, "Bob"), reg(repair, r1, "Cyd", 3)
    dan = reg(repair, r1, "Dan")
    services.cancel_registration(registration=dan, actor=coordinator)
    reg(repair, r2, "Ana", 1), reg(repair, r2, "Fay", 2)
    gus, hal = reg(training, None, "Gus"), reg(training, None, "Hal", 2)
    ivy, jo = reg(code, c1, "Ivy"), reg(code, c1, "Jo")
    assert bob.status == Status.CONFIRMED
    _present(r1, ana, 2), _present(r1, cyd, 1), _walk_in(repair, r1, "Eve", 2)
    _present(t1, gus, 1), _present(t1, hal, 2), _present(t2, hal, 2)
    _present(c1, ivy, 1), _present(c1, jo, 2), _walk_in(code, c1, "Kim", 3)
    clock.set(at("2027-02-15", 9))
    services.cancel_event(actor=coordinator, event=repair, reason="Local inondé")
    clock.set(NOW)
    return place


def counts(c):
    return (c.sessions, c.registered, c.present, c.no_shows)


def test_participation_per_month_event_audience_and_peer_learning(
    fixture, django_assert_max_num_queries
):
    with django_assert_max_num_queries(4):
        figures = participation.place_participation(fixture, date(2027, 3, 1))
    by_month = {line.month.first: line for line in figures.months}
    assert len(figures.months) == 12 and figures.months[0].month.first == date(2026, 4, 1)
    assert counts(by_month[date(2027, 1, 1)].counts) == (3, 12, 10, 4)
    assert counts(by_month[date(2027, 2, 1)].counts) == (2, 5, 6, 0)
    assert counts(by_month[date(2027, 3, 1)].counts) == (0, 0, 0, 0)
    assert counts(by_month[date(2027, 1, 1)].peer) == (0, 0, 0, 0)
    assert counts(by_month[date(2027, 2, 1)].peer) == (1, 2, 6, 0)
    assert counts(figures.total) == (5, 17, 16, 4)
    assert counts(figures.peer) == (1, 2, 6, 0)
    assert [(e.title, counts(e.counts), e.first) for e in figures.events] == [
        ("Repair café", (2, 9, 5, 3), date(2027, 1, 9)),
        ("Formation", (2, 6, 5, 1), date(2027, 1, 18)),
        ("Code", (1, 2, 6, 0), date(2027, 2, 10)),
    ]
    audiences = {a.code: (a.events, a.sessions, a.participants) for a in figures.audiences}
    assert audiences == {
        "children": (0, 0, 0),
        "young_people": (1, 1, 6),
        "seniors": (1, 2, 5),
        "job_seekers": (1, 2, 5),
        "families": (1, 2, 5),
        "professionals": (1, 2, 5),
        "disabilities": (0, 0, 0),
    }


def test_a_period_without_events_counts_nothing(fixture):
    figures = participation.place_participation(fixture, date(2026, 6, 1))
    assert counts(figures.total) == (0, 0, 0, 0) and figures.events == []
    assert all(a.participants == 0 for a in figures.audiences)


def test_the_page_shows_the_figures_with_their_definitions(client, fixture, coordinator):
    client.force_login(coordinator)
    url = reverse("activity_manage:overview", args=[fixture.slug])
    response = client.get(url, {"year": 2027, "month": 3})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="participation-table"' in page and 'id="audiences-table"' in page
    assert 'id="events-table"' in page and "Repair café" in page
    for key in participation.DEFINITIONS:
        assert f'id="def-{key}"' in page
    # In French, with the definitions beside the figures.
    assert "Personnes présentes" in page and "Absences\u00a0: les places réservées" in page
    assert "Apprentissage entre pairs\u00a0:" in page
    assert response.context["participation"].total.present == 16
    detail = reverse("events_manage:detail", args=[fixture.slug, figures_event(fixture)])
    assert f'href="{detail}"' in page


def figures_event(place):
    return Event.objects.get(place=place, title="Repair café").pk


def test_the_api_gives_the_figures_and_keeps_the_others(client, fixture, coordinator):
    raw = create_api_token(user=coordinator, name="tableur")[1]
    path = reverse("api-v1:place_activity", args=[fixture.slug])
    response = client.get(path, {"year": 2027, "month": 3}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    data = response.json()
    assert {"months", "spaces", "target", "definitions"} <= set(data)
    part = data["participation"]
    january = next(m for m in part["months"] if m["month"] == "2027-01")
    assert (january["sessions"], january["registered"], january["present"]) == (3, 12, 10)
    assert january["no_shows"] == 4
    assert part["total"] == {"sessions": 5, "registered": 17, "present": 16, "no_shows": 4}
    assert part["peer_learning"] == {"sessions": 1, "registered": 2, "present": 6, "no_shows": 0}
    assert [e["title"] for e in part["events"]] == ["Repair café", "Formation", "Code"]
    assert part["events"][0]["audiences"] == ["families", "seniors"]
    seniors = next(a for a in part["audiences"] if a["code"] == "seniors")
    assert (seniors["events"], seniors["participants"]) == (1, 5)
    assert set(data["definitions"]) == {"occupancy", "footfall", "checkins"}
    assert set(part["definitions"]) == set(participation.DEFINITIONS)
