"""The signed-in person's home: the places they manage, their roles elsewhere."""

from django.urls import reverse

from tierslieux.places.tests import factories as f


def test_the_dashboard_lists_managed_places(client):
    place = f.place(name="IN'ESS")
    client.force_login(f.coordinator(place))
    page = client.get(reverse("web:dashboard")).content.decode()
    assert "IN&#x27;ESS" in page or "IN'ESS" in page


def test_a_member_sees_their_roles_and_no_place_to_manage(client, place, member):
    client.force_login(member)
    page = client.get(reverse("web:dashboard")).content.decode()
    assert reverse("places:manage", args=[place.slug]) not in page
    assert reverse("portal:home", args=[place.slug]) in page


def test_the_dashboard_asks_anonymous_visitors_to_log_in(client):
    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
