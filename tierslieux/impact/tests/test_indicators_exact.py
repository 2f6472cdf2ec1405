"""Learner-hours summed in SQL stay exact to the microsecond on every engine (SQLite reads the
lengths from the stored text): 180 s of training round half up to 0.1 h, a microsecond less
to 0.0 h, and a date across the summer-time night counts its elapsed time."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

from tierslieux.bookings.tests.factories import at, room
from tierslieux.events.models import Event
from tierslieux.impact.indicators import compute
from tierslieux.impact.periods import Period
from tierslieux.impact.tests.indicator_data import event, present, register, session
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as pf

MAY = at("2025-05-12", 10)


def _trained(length: timedelta, begins=MAY, ends=None) -> Place:
    place = pf.place()
    course = event(place, kind=Event.Kind.TRAINING)
    date_ = session(course, room(place), begins, ends or begins + length)
    present(date_, register(course, None, 1, session=date_), 1)
    return place


def test_learner_hours_to_the_microsecond(db):
    half = _trained(timedelta(seconds=180))
    less = _trained(timedelta(seconds=180, microseconds=-1))
    fraction = _trained(timedelta(hours=1, microseconds=250_000))
    night = _trained(timedelta(0), at("2025-03-30", 1), at("2025-03-30", 4))  # 2 h elapsed
    found = compute(
        Place.objects.filter(pk__in=[half.pk, less.pk, fraction.pk, night.pk]), Period(2025)
    )
    assert found[half.pk]["training_hours"].amount == D("0.1")
    assert found[less.pk]["training_hours"].amount == D("0.0")
    assert found[fraction.pk]["training_hours"].amount == D("1.0")
    assert found[night.pk]["training_hours"].amount == D("2.0")
