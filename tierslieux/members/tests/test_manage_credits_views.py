"""The members' credits in the back office: everybody's balances in a fixed number of
queries, one person's ledger, and adjustments that need a note and never overdraw."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from tierslieux.members.models import CreditEntry
from tierslieux.members.tests import factories as f


def url(place, name, *args):
    return reverse(f"members_manage:{name}", args=[place.slug, *args])


@pytest.fixture
def coordinator(client, coordinator):
    """The root persona, logged in."""
    client.force_login(coordinator)
    return coordinator


def test_the_credit_list_shows_balances_in_a_fixed_number_of_queries(
    client, place, coordinator, django_assert_max_num_queries
):
    def grant(person, quantity):
        CreditEntry.objects.create(
            place=place,
            person=person,
            wallet="room_hours",
            quantity=Decimal(quantity),
            reason="adjust",
        )

    people = [f.member(place).person for _ in range(3)]
    grant(people[0], "4")
    grant(people[0], "-1.5")
    client.get(url(place, "credits"))  # warm the session and access caches
    with django_assert_max_num_queries(8):
        response = client.get(url(place, "credits"))
    for _ in range(5):
        grant(f.member(place).person, "2")
    with django_assert_max_num_queries(8):
        client.get(url(place, "credits"))
    rows = {row["person"].pk: row["balances"] for row in response.context["rows"]}
    assert rows[people[0].pk][0] == Decimal("2.5") and rows[people[1].pk][0] == 0
    assert "2,5" in response.content.decode()


def test_an_adjustment_needs_a_note_and_cannot_overdraw(client, place, coordinator):
    person = f.member(place).person
    target = url(place, "person_credits", person.pk)
    no_note = client.post(target, {"wallet": "desk_days", "quantity": "3", "note": ""})
    assert no_note.status_code == 422 and "Ce champ est obligatoire" in " ".join(
        no_note.context["form"].errors["note"]
    )
    assert not CreditEntry.objects.exists()
    assert (
        client.post(target, {"wallet": "desk_days", "quantity": "3", "note": "Geste"}).status_code
        == 302
    )
    too_much = client.post(target, {"wallet": "desk_days", "quantity": "-5", "note": "Erreur"})
    assert too_much.status_code == 422 and "quantity" in too_much.context["form"].errors
    entry = CreditEntry.objects.get()
    assert (entry.quantity, entry.note, entry.created_by) == (Decimal("3.00"), "Geste", coordinator)
    page = client.get(target)
    assert page.context["balances"][2][1] == Decimal("3")
    assert "Geste" in page.content.decode()
