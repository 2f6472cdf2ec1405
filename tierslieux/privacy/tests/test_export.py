"""The export: everything for the person, only the place's rows for its coordinator, nobody
else's data for anyone."""

import json

import pytest
from django.urls import reverse

from tierslieux.accounts.models import ApiToken, hash_token
from tierslieux.billing.tests import factories as bf
from tierslieux.places.tests import factories as pf


@pytest.fixture
def held(place, other_place, member, coordinator):
    """The member has a customer and an invoice in both places and an API token."""
    pf.with_role(member, other_place, "member")
    here = bf.customer(place, person=member.person, name="Prénom Ici", email="ici@example.org")
    there = bf.customer(other_place, person=member.person, name="Prénom Là")
    bf.issued(coordinator, here)
    bf.issued(pf.coordinator(other_place), there)
    raw = ApiToken.generate()
    ApiToken.objects.create(user=member, name="script", prefix=raw[:8], digest=hash_token(raw))
    return here, there, raw


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment;")
    return response, json.loads(response.content)


def test_a_person_downloads_everything_of_theirs_and_no_secret(client, member, held):
    here, there, raw = held
    client.force_login(member)
    response, data = download(client, reverse("privacy:export"))
    assert data["accounts.Person"]["email"] == member.email
    assert "password" not in data["accounts.User"]
    assert {c["id"] for c in data["billing.Customer"]} == {here.pk, there.pk}
    assert len(data["billing.Invoice"]) == 2 and data["billing.Invoice"][0]["number"]
    assert len(data["places.PlaceRole"]) == 2
    assert [t["name"] for t in data["accounts.ApiToken"]] == ["script"]
    assert "digest" not in data["accounts.ApiToken"][0]
    assert raw not in response.content.decode() and hash_token(raw) not in response.content.decode()


def test_the_coordinator_downloads_only_what_the_place_holds(
    client, place, member, coordinator, held
):
    here, _there, _raw = held
    client.force_login(coordinator)
    url = reverse("privacy_manage:export", args=[place.slug, member.person.pk])
    _response, data = download(client, url)
    assert data["place"] == place.slug
    assert [c["id"] for c in data["billing.Customer"]] == [here.pk]
    assert [i["customer_id"] for i in data["billing.Invoice"]] == [here.pk]
    assert [r["place_id"] for r in data["places.PlaceRole"]] == [place.pk]
    assert data["accounts.ApiToken"] == [] and "accounts.User" not in data
    assert data["places.NetworkRole"] == []
    people = client.get(reverse("places:manage_people", args=[place.slug]))
    assert url in people.content.decode()


def test_nobody_else_gets_a_person_s_data(client, place, other_place, member, staff, held):
    url = reverse("privacy_manage:export", args=[place.slug, member.person.pk])
    assert client.get(url).status_code == 302  # to the login page
    client.force_login(staff)
    assert client.get(url).status_code == 403
    client.force_login(pf.member(place))
    assert client.get(url).status_code == 403
    third = bf.place(name="Un Troisième Lieu")
    client.force_login(pf.coordinator(third))
    elsewhere = reverse("privacy_manage:export", args=[third.slug, member.person.pk])
    assert client.get(elsewhere).status_code == 404


def test_the_profile_offers_the_download(client, member):
    client.force_login(member)
    page = client.get(reverse("joining:profile")).content.decode()
    assert reverse("privacy:export") in page and reverse("privacy:erase") in page
