"""The booking rules pages of the back office: the team sees which rules each space follows
and where they come from; the coordinators give a space its own rules, set the place's
defaults per kind of space, go back to the defaults (after a confirmation), and set the grace
period; every change is audited; bad values answer 422 with the field named and write
nothing."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.urls import reverse

from tierslieux.bookings.models import BookingRules, BookingSettings, KindRules, rules_of
from tierslieux.bookings.rules import defaults_for
from tierslieux.bookings.tests import factories as bf
from tierslieux.core.models import AuditEntry
from tierslieux.members.tests import factories as mf
from tierslieux.places.models import Space

pytestmark = pytest.mark.usefixtures("english", "english_pages")

VALID = {
    "audience": "public",
    "min_minutes": "30",
    "max_minutes": "240",
    "granularity_minutes": "30",
    "notice_minutes": "60",
    "horizon_days": "90",
    "buffer_minutes": "15",
    "cancellation_deadline_hours": "48",
    "auto_release_minutes": "",
    "approval_required": "on",
}


@pytest.fixture
def english_pages(client):
    """Pages read in their English source strings (the client's language cookie)."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


@pytest.fixture
def room(place):
    return bf.room(place, name="Salle Jaune", slug="salle-jaune")


def url(place, name="rules", *args):
    return reverse(f"bookings_manage:{name}", args=[place.slug, *args])


def kind_url(place, name="rules_kind", kind="meeting_room"):
    return f"{url(place, name)}?kind={kind}"


def test_the_overview_says_where_each_space_s_rules_come_from(client, place, coordinator, room):
    own = bf.room(place, name="Salle Bleue", slug="salle-bleue")
    bf.rules(own, max_minutes=120)
    KindRules.objects.create(place=place, kind=Space.Kind.WORKSHOP, max_minutes=300)
    bf.room(place, name="Atelier bois", slug="atelier-bois", kind=Space.Kind.WORKSHOP)
    client.force_login(coordinator)
    page = client.get(url(place))
    assert page.status_code == 200
    sources = {row["space"].slug: row["source"] for row in page.context["rows"]}
    assert sources == {
        "salle-bleue": "own",
        "atelier-bois": "place_kind",
        "salle-jaune": "built_in",
    }
    html = page.content.decode()
    assert "Its own rules" in html and "The place's defaults for the kind" in html
    assert "The built-in defaults for the kind" in html
    assert url(place, "rules_space_reset", "salle-bleue") in html  # only where it has its own
    assert url(place, "rules_space_reset", "salle-jaune") not in html
    kinds = {k["kind"]: k for k in page.context["kinds"]}
    assert kinds["workshop"]["set_here"] and kinds["workshop"]["rules"].max_minutes == 300
    assert not kinds["meeting_room"]["set_here"]


def test_an_open_space_priced_for_members_only_is_pointed_out(client, place, coordinator, room):
    bf.rules(room, audience="public")
    mf.room_rate(room, "member", "hour", "30.00")
    client.force_login(coordinator)
    assert "non-members book it free of charge" in client.get(url(place)).content.decode()
    mf.room_rate(room, "non_member", "hour", "40.00")
    assert "non-members book it free of charge" not in client.get(url(place)).content.decode()


def test_the_coordinator_gives_a_space_its_own_rules_audited(client, place, coordinator, room):
    client.force_login(coordinator)
    form = client.get(url(place, "rules_space", room.slug))
    assert form.status_code == 200
    assert form.context["form"].initial["max_minutes"] == defaults_for(room.kind).max_minutes
    response = client.post(url(place, "rules_space", room.slug), {**VALID, "max_minutes": "180"})
    assert response.status_code == 302 and response["Location"] == url(place)
    row = BookingRules.objects.get(space=room)
    assert (row.max_minutes, row.audience, row.approval_required) == (180, "public", True)
    entry = AuditEntry.objects.get(action="booking_rules.save")
    assert entry.place_id == place.pk and entry.actor == coordinator
    assert entry.changes["max_minutes"] == 180 and "min_minutes" not in entry.changes


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("max_minutes", "20", "cannot be shorter than the minimum"),
        ("granularity_minutes", "25", "must divide a day"),
        ("min_minutes", "45", "multiple of the slot granularity"),
        ("horizon_days", "1e309", "whole number"),
        ("notice_minutes", "9" * 30, "less than or equal to"),
        ("cancellation_deadline_hours", "-1", "greater than or equal to"),
        ("auto_release_minutes", "2", "greater than or equal to 5"),
        ("audience", "everyone", "Select a valid choice"),
    ],
)
def test_bad_values_answer_422_with_the_field_named(
    client, place, coordinator, room, field, value, message
):
    client.force_login(coordinator)
    response = client.post(url(place, "rules_space", room.slug), {**VALID, field: value})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert list(errors) == [field] and message in " ".join(errors[field])
    assert not BookingRules.objects.exists() and not AuditEntry.objects.exists()


def test_going_back_to_the_defaults_asks_first(client, place, coordinator, room):
    bf.rules(room, max_minutes=120)
    KindRules.objects.create(place=place, kind=room.kind, max_minutes=180)
    client.force_login(coordinator)
    confirm = client.get(url(place, "rules_space_reset", room.slug))
    assert confirm.status_code == 200 and BookingRules.objects.filter(space=room).exists()
    assert confirm.context["rules"].max_minutes == 180  # what it will follow: the place's
    assert confirm.context["source"] == "place_kind"
    response = client.post(url(place, "rules_space_reset", room.slug))
    assert response.status_code == 302
    assert not BookingRules.objects.filter(space=room).exists()
    assert rules_of(Space.objects.get(pk=room.pk)).max_minutes == 180
    entry = AuditEntry.objects.get(action="booking_rules.reset")
    assert entry.changes["removed"]["max_minutes"] == 120


def test_the_place_s_defaults_for_a_kind_are_set_and_removed(client, place, coordinator, room):
    client.force_login(coordinator)
    assert client.get(kind_url(place)).status_code == 200
    response = client.post(kind_url(place), {**VALID, "max_minutes": "180"})
    assert response.status_code == 302
    assert KindRules.objects.get(place=place, kind="meeting_room").max_minutes == 180
    assert rules_of(Space.objects.get(pk=room.pk)).max_minutes == 180
    assert AuditEntry.objects.filter(action="kind_rules.save").count() == 1
    assert client.get(kind_url(place, "rules_kind_reset")).status_code == 200
    assert client.post(kind_url(place, "rules_kind_reset")).status_code == 302
    assert not KindRules.objects.exists()
    assert rules_of(Space.objects.get(pk=room.pk)) == defaults_for("meeting_room")
    assert AuditEntry.objects.filter(action="kind_rules.reset").count() == 1


def test_an_unknown_kind_or_space_is_404(client, place, coordinator, other_place):
    elsewhere = bf.room(other_place, name="Ailleurs", slug="ailleurs")
    client.force_login(coordinator)
    assert client.get(kind_url(place, kind="castle")).status_code == 404
    assert client.post(kind_url(place, kind="")).status_code == 404
    assert client.get(url(place, "rules_space", elsewhere.slug)).status_code == 404


def test_the_grace_period_is_a_place_setting(client, place, coordinator):
    client.force_login(coordinator)
    page = client.get(url(place))
    assert page.context["grace_form"].initial == {"grace_minutes": 15}
    assert client.post(url(place), {"grace_minutes": "30"}).status_code == 302
    assert BookingSettings.objects.get(place=place).grace_minutes == 30
    entry = AuditEntry.objects.get(action="booking_settings.save")
    assert entry.changes == {"grace_minutes": 30}
    for bad in ("121", "-5", "1e309", "quinze"):
        response = client.post(url(place), {"grace_minutes": bad})
        assert response.status_code == 422 and "grace_minutes" in response.context["form"].errors
    assert BookingSettings.objects.get(place=place).grace_minutes == 30


def test_the_staff_sees_the_rules_but_does_not_change_them(client, place, staff, room):
    client.force_login(staff)
    page = client.get(url(place))
    assert page.status_code == 200 and 'name="grace_minutes"' not in page.content.decode()
    assert client.get(url(place, "rules_space", room.slug)).status_code == 200
    for target in (
        url(place),
        url(place, "rules_space", room.slug),
        url(place, "rules_space_reset", room.slug),
        kind_url(place),
        kind_url(place, "rules_kind_reset"),
    ):
        assert client.post(target, {**VALID, "grace_minutes": "5"}).status_code == 403
    assert not BookingRules.objects.exists() and not KindRules.objects.exists()
    assert not BookingSettings.objects.exists()


def test_a_member_or_another_coordinator_gets_403(client, place, member, other_coordinator):
    for user in (member, other_coordinator):
        client.force_login(user)
        assert client.get(url(place)).status_code == 403


def test_the_rules_have_their_own_tab(client, place, coordinator, room):
    client.force_login(coordinator)
    html = client.get(url(place, "rules_space", room.slug)).content.decode()
    tab = f'href="{url(place)}" aria-current="page"'
    assert tab in html or f'aria-current="page" href="{url(place)}"' in html
    board = client.get(reverse("bookings_manage:board", args=[place.slug])).content.decode()
    assert tab not in board
