"""A space with a history (a booking, a rate…) is archived, never deleted; one without is
deleted. Every delete path (service, back-office form, API) answers with a message, never a
`ProtectedError` or a 500; the removal asks first; an archived space is restored."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.test import Client
from django.urls import reverse

from tierslieux.bookings.models import Booking
from tierslieux.core import clock as project_clock
from tierslieux.core.models import AuditEntry
from tierslieux.members.models import RoomRate
from tierslieux.places import forms, services
from tierslieux.places.models import OpeningException, PlaceRole, Space
from tierslieux.places.tests import factories as f
from tierslieux.places.tests.api_support import API, bearer, post


@pytest.fixture
def room(place):
    return f.space(place, name="Salle Verte", slug="salle-verte")


def a_booking(space, person):
    start = project_clock.now().replace(microsecond=0) + timedelta(days=3)
    return Booking.objects.create(
        place=space.place,
        space=space,
        person=person,
        start=start,
        end=start + timedelta(hours=1),
        status=Booking.Status.CONFIRMED,
        exclusive=True,
    )


def actions(space):
    return list(
        AuditEntry.objects.filter(object_type="places.space", object_id=str(space.pk))
        .order_by("id")
        .values_list("action", flat=True)
    )


# --- The service ----------------------------------------------------------------------------


def test_a_space_without_history_is_deleted(room, coordinator):
    assert services.space_history(room) == {}
    assert services.delete_space(actor=coordinator, space=room) is services.Removal.DELETED
    assert not Space.objects.filter(pk=room.pk).exists()
    assert actions(room) == ["space.delete"]


def test_a_space_with_a_booking_is_archived_and_keeps_it(room, coordinator, member):
    booking = a_booking(room, member.person)
    assert services.delete_space(actor=coordinator, space=room) is services.Removal.ARCHIVED
    room.refresh_from_db()
    assert room.archived and room.archived_at <= project_clock.now()
    assert Booking.objects.get(pk=booking.pk).space_id == room.pk
    assert list(Space.objects.active().filter(place=room.place)) == []
    assert list(Space.objects.archived()) == [room]
    assert actions(room) == ["space.archive"]


def test_a_space_with_a_rate_is_archived(place, room, coordinator):
    RoomRate.objects.create(
        place=place,
        space=room,
        audience="member",
        unit="hour",
        price_net=Decimal(10),
        tax_code=RoomRate._meta.get_field("tax_code").choices[0][0],
    )
    assert services.delete_space(actor=coordinator, space=room) is services.Removal.ARCHIVED
    assert Space.objects.get(pk=room.pk).archived


def test_a_booking_made_meanwhile_archives_instead_of_raising(room, coordinator, member):
    """The history is read, then a booking arrives before the delete: PROTECT answers, the
    service archives all the same (no ProtectedError)."""
    a_booking(room, member.person)
    with mock.patch.object(services, "space_history", return_value={}):
        done = services.delete_space(actor=coordinator, space=room)
    assert done is services.Removal.ARCHIVED
    assert Space.objects.get(pk=room.pk).archived
    assert actions(room) == ["space.archive"]


def test_restoring_brings_the_space_back(room, coordinator, member):
    a_booking(room, member.person)
    services.delete_space(actor=coordinator, space=room)
    services.restore_space(actor=coordinator, space=room)
    room.refresh_from_db()
    assert not room.archived
    assert list(Space.objects.active()) == [room]
    assert actions(room) == ["space.archive", "space.restore"]


def test_a_member_can_neither_archive_nor_restore(room, member):
    with pytest.raises(services.access.PermissionDenied):
        services.archive_space(actor=member, space=room)
    with pytest.raises(services.access.PermissionDenied):
        services.restore_space(actor=member, space=room)
    assert not Space.objects.get(pk=room.pk).archived


# --- The back office ------------------------------------------------------------------------


def test_the_removal_asks_first_then_archives_and_lists_the_space_apart(
    client, place, room, coordinator, member
):
    a_booking(room, member.person)
    client.force_login(coordinator)
    url = reverse("places:manage_space_delete", args=[place.slug, room.slug])
    listed = client.get(reverse("places:manage_spaces", args=[place.slug])).content.decode()
    assert f'href="{url}"' in listed  # a link to the question, not a one-click form

    asked = client.get(url)
    assert asked.status_code == 200
    assert asked.context["history"]
    assert not Space.objects.get(pk=room.pk).archived

    done = client.post(url, follow=True)
    assert done.status_code == 200
    assert Space.objects.get(pk=room.pk).archived
    text = " ".join(str(m) for m in done.context["messages"])
    assert "Salle Verte" in text
    assert done.context["archived"][0] == room
    assert list(done.context["spaces"]) == []
    restore = reverse("places:manage_space_restore", args=[place.slug, room.slug])
    assert restore in done.content.decode()

    client.post(restore)
    assert not Space.objects.get(pk=room.pk).archived


def test_the_removal_page_says_a_space_without_history_is_deleted(client, place, room, coordinator):
    client.force_login(coordinator)
    url = reverse("places:manage_space_delete", args=[place.slug, room.slug])
    assert client.get(url).context["history"] == {}
    assert client.post(url).status_code == 302
    assert not Space.objects.filter(pk=room.pk).exists()


def test_a_member_cannot_reach_the_removal(client, place, room, member):
    client.force_login(member)
    url = reverse("places:manage_space_delete", args=[place.slug, room.slug])
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403
    restore = reverse("places:manage_space_restore", args=[place.slug, room.slug])
    assert client.post(restore).status_code == 403
    assert Space.objects.filter(pk=room.pk, archived_at__isnull=True).exists()


def test_the_public_page_leaves_archived_spaces_out(client, place, room, coordinator, member):
    a_booking(room, member.person)
    f.space(place, name="Salle Bleue", slug="salle-bleue")
    services.archive_space(actor=coordinator, space=room)
    page = client.get(reverse("places:detail", args=[place.slug])).content.decode()
    assert "Salle Bleue" in page and "Salle Verte" not in page


def test_removing_an_exception_or_the_last_coordinator_never_answers_500(
    client, place, coordinator
):
    today = place.today()
    exception = OpeningException.objects.create(place=place, start_date=today, end_date=today)
    client.force_login(coordinator)
    gone = client.post(reverse("places:manage_exception_remove", args=[place.slug, exception.pk]))
    assert gone.status_code == 302
    again = client.post(reverse("places:manage_exception_remove", args=[place.slug, exception.pk]))
    assert again.status_code == 404
    role = PlaceRole.objects.get(place=place, person=coordinator.person)
    kept = client.post(
        reverse("places:manage_role_revoke", args=[place.slug, role.pk]), follow=True
    )
    assert kept.status_code == 200
    assert [m.level_tag for m in kept.context["messages"]][-1] == "error"
    assert PlaceRole.objects.filter(pk=role.pk).exists()


# --- The API --------------------------------------------------------------------------------


def test_the_api_deletes_or_archives_and_says_which(place, room, coordinator, member):
    a_booking(room, member.person)
    empty = f.space(place, name="Box", slug="box")
    auth = bearer(coordinator)
    client = Client()
    spaces = f"{API}/places/{place.slug}/spaces"

    archived = client.delete(f"{spaces}/{room.slug}", headers=auth)
    assert archived.status_code == 200
    assert archived["Content-Type"].startswith("application/json")
    assert archived.json()["result"] == "archived"
    assert "Salle Verte" in archived.json()["detail"]
    assert [s["slug"] for s in client.get(spaces).json()] == ["box"]
    assert client.get(f"{spaces}/{room.slug}").json()["archived_at"] is not None
    sheet = client.get(f"{API}/places/{place.slug}").json()
    assert [s["slug"] for s in sheet["spaces"]] == ["box"]

    again = client.delete(f"{spaces}/{room.slug}", headers=auth)
    assert (again.status_code, again.json()["result"]) == (200, "archived")

    deleted = client.delete(f"{spaces}/{empty.slug}", headers=auth)
    assert (deleted.status_code, deleted.json()["result"]) == (200, "deleted")
    assert client.get(f"{spaces}/{empty.slug}").status_code == 404

    restored = post(client, f"{spaces}/{room.slug}/restore", {}, **auth)
    assert restored.status_code == 200
    assert restored.json()["archived_at"] is None
    assert [s["slug"] for s in client.get(spaces).json()] == ["salle-verte"]


def test_the_api_refuses_removal_to_a_member_in_json(place, room, member):
    response = Client().delete(
        f"{API}/places/{place.slug}/spaces/{room.slug}", headers=bearer(member)
    )
    assert response.status_code == 403
    assert "detail" in response.json()
    assert Space.objects.filter(pk=room.pk).exists()


def test_an_archived_space_keeps_its_slug_and_says_so(client, place, room, coordinator, member):
    a_booking(room, member.person)
    services.archive_space(actor=coordinator, space=room)
    with pytest.raises(services.ValidationError) as refused:
        services.create_space(actor=coordinator, place=place, name="Salle Verte", kind="desk")
    assert "slug" in refused.value.message_dict
    client.force_login(coordinator)
    form = client.post(
        reverse("places:manage_space_new", args=[place.slug]),
        {"name": "Salle Verte", "kind": "desk", "capacity": 1, "units": 1},
    )
    assert form.status_code == 422
    assert "slug" in form.context["form"].errors


def test_an_archived_space_is_not_offered_as_a_room_to_stand_in(place, room, coordinator, member):
    machine = f.space(place, name="Imprimante", slug="imprimante", kind="machine")
    a_booking(room, member.person)
    services.archive_space(actor=coordinator, space=room)
    new = forms.SpaceForm(place=place)
    assert list(new.fields["inside"].queryset) == [machine]
    machine.inside = room
    machine.save()
    kept = forms.SpaceForm(instance=machine, place=place)
    assert list(kept.fields["inside"].queryset) == [room]
