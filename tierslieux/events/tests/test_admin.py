"""The admin shows events but never writes them: the services keep sessions and bookings
together."""

from __future__ import annotations

from django.urls import reverse

from tierslieux.accounts.tests import factories as af
from tierslieux.events.tests import factories as ef


def test_the_admin_reads_events_and_writes_none(client, place):
    admin = af.user(is_staff=True, is_superuser=True)
    client.force_login(admin)
    event = ef.event(place, title="Ciné-débat")
    listing = client.get(reverse("admin:events_event_changelist"))
    assert listing.status_code == 200
    assert "Ciné-débat" in listing.content.decode()
    assert client.get(reverse("admin:events_event_add")).status_code == 403
    change = reverse("admin:events_event_change", args=[event.pk])
    assert client.post(change, {"title": "Autre"}).status_code == 403
    assert client.get(reverse("admin:events_session_changelist")).status_code == 200
    assert client.get(reverse("admin:events_pricecategory_changelist")).status_code == 200
