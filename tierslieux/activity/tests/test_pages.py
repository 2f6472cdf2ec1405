"""The Activité tab and its API: who sees them, what they show, bad input."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tierslieux.accounts.services import create_api_token
from tierslieux.activity.models import DailyCount
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import PARIS, at, open_every_day
from tierslieux.places.tests import factories as pf


@pytest.fixture
def figures(clock, place):
    """Open every day 08:00–20:00; a room booked 6 h on 2 March 2026, checked in; 3 days
    of footfall. March: 31 days × 12 h = 372 h open."""
    clock.set(datetime(2026, 3, 20, 12, tzinfo=PARIS))
    open_every_day(place)
    room = pf.space(place, name="Salle Jaune", slug="jaune")
    Booking.objects.create(
        place=place,
        space=room,
        start=at("2026-03-02", 9),
        end=at("2026-03-02", 15),
        status="done",
        checked_in_at=at("2026-03-02", 9, 5),
    )
    for n, count in enumerate((10, 20, 30), start=2):
        DailyCount.objects.create(place=place, day=date(2026, 3, n), count=count)
    return place


def url(place, name="overview"):
    return reverse(f"activity_manage:{name}", args=[place.slug])


def test_the_coordinator_sees_the_month_and_its_definitions(client, figures, coordinator):
    client.force_login(coordinator)
    response = client.get(url(figures), {"year": 2026, "month": 3})
    assert response.status_code == 200
    page = response.content.decode()
    assert "1,6\u00a0%" in page  # 6 h / 372 h, in French
    assert "Taux d’occupation" in page and "Visites par réservation" in page
    assert 'id="def-occupancy"' in page and 'id="def-footfall"' in page
    march = next(r for r in response.context["report"].months if r.month.first.month == 3)
    assert (march.footfall, march.days_counted, march.checkins) == (60, 3, 1)
    assert str(march.occupancy) == "1.6"


def test_a_member_is_refused_and_a_bad_month_answers_422(client, figures, member, coordinator):
    client.force_login(member)
    assert client.get(url(figures)).status_code == 403
    client.force_login(coordinator)
    assert client.get(url(figures), {"year": "abc", "month": 13}).status_code == 422


def test_a_day_counted_from_the_page(client, figures, staff):
    client.force_login(staff)
    assert client.get(url(figures, "count")).status_code == 200
    response = client.post(url(figures, "count"), {"day": "2026-03-19", "count": "12"})
    assert response.status_code == 302
    assert DailyCount.objects.get(day=date(2026, 3, 19)).count == 12
    response = client.post(url(figures, "count"), {"day": "2026-03-21", "count": "12"})
    assert response.status_code == 422
    assert not DailyCount.objects.filter(day=date(2026, 3, 21)).exists()


def test_import_previews_then_writes(client, figures, coordinator):
    client.force_login(coordinator)
    csv = "jour;entrées\n02/03/2026;11\n05/03/2026;7\n".encode()
    upload = SimpleUploadedFile("compteur.csv", csv, content_type="text/csv")
    preview = client.post(url(figures, "import"), {"file": upload})
    assert preview.status_code == 200
    assert [r["before"] for r in preview.context["preview"]] == [10, None]
    assert DailyCount.objects.get(day=date(2026, 3, 2)).count == 10  # nothing written yet
    content = preview.context["confirm"].initial["content"]
    assert client.post(url(figures, "import"), {"content": content}).status_code == 302
    assert DailyCount.objects.get(day=date(2026, 3, 2)).count == 11
    assert DailyCount.objects.filter(place=figures).count() == 4


def test_a_bad_file_names_its_lines_and_writes_nothing(client, figures, coordinator):
    client.force_login(coordinator)
    upload = SimpleUploadedFile("c.csv", b"date,count\n2026-03-06,4\n2026-03-07,x\n")
    response = client.post(url(figures, "import"), {"file": upload})
    assert response.status_code == 422
    assert "Ligne 3" in response.content.decode() or "Line 3" in response.content.decode()
    refused = client.post(url(figures, "import"), {"content": "date,count\n2026-03-40,1\n"})
    assert refused.status_code == 422
    assert not DailyCount.objects.filter(day=date(2026, 3, 6)).exists()


def test_the_api_gives_the_same_figures(client, figures, coordinator, member):
    path = reverse("api-v1:place_activity", args=[figures.slug])
    assert client.get(path).status_code == 401
    raw = create_api_token(user=coordinator, name="tableau")[1]
    response = client.get(path, {"year": 2026, "month": 3}, HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.status_code == 200
    data = response.json()
    march = data["months"][-1]
    assert march["month"] == "2026-03"
    assert (march["occupancy"], march["target"]) == ("1.6", "below")
    assert (march["footfall"], march["checkins"], march["open_hours"]) == (60, 1, "372.0")
    assert data["spaces"][0]["slug"] == "jaune"
    assert set(data["definitions"]) == {"occupancy", "footfall", "checkins"}
    assert client.get(path, {"month": 13}, HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 422
    client.force_login(member)
    assert client.get(path).status_code == 404  # outsiders learn nothing
