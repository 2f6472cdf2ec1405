"""`places.owners`: the pages written once for a place and a network find their owner (404,
403), its rows (404 for another owner's or an absurd id) and answer 422 on a bad form."""

from __future__ import annotations

from typing import Any

import pytest
from django import forms
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.test import RequestFactory
from django.urls import reverse

from tierslieux.places import owners
from tierslieux.places.access import Perm
from tierslieux.places.membership_models import NetworkMembership
from tierslieux.places.tests import factories as f


class Owner(owners.Owner[NetworkMembership]):
    """An app's owner, as the surveys and economics write theirs."""

    model, perm = NetworkMembership, Perm.MANAGE_BILLING
    namespaces = ("surveys_manage", "surveys_network")  # two real ones, for `url`
    frames = ("backoffice/base.html", "base.html")


class NameForm(forms.Form):
    name = forms.CharField()


@pytest.fixture
def place() -> Any:
    return f.place()


def _request(user: Any) -> HttpRequest:
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_team_with_the_permission_gets_its_place(place):
    owner = Owner.resolve(_request(f.coordinator(place)), slug=place.slug)
    assert (owner.place, owner.network, owner.name, owner.slug) == (
        place,
        None,
        place.name,
        place.slug,
    )
    assert (owner.namespace, owner.frame) == ("surveys_manage", "backoffice/base.html")
    assert owner.url("detail", 7) == reverse("surveys_manage:detail", args=[place.slug, 7])
    assert list(owner.owned()) == list(NetworkMembership.objects.filter(place=place))


@pytest.mark.parametrize("who", ["staff", "member", "network_admin", "stranger"])
def test_who_lacks_the_permission_on_the_place_gets_403(place, who):
    user = {
        "staff": lambda: f.staff(place),
        "member": lambda: f.member(place),
        "network_admin": lambda: f.network_admin(place.network),
        "stranger": f.user,
    }[who]()
    with pytest.raises(PermissionDenied):
        Owner.resolve(_request(user), slug=place.slug)


def test_a_network_admin_reads_a_place_that_grants_it(place):
    f.network_grant(place)
    owner = Owner.resolve(_request(f.network_admin(place.network)), slug=place.slug)
    assert owner.place == place


def test_a_network_admin_gets_the_network_and_a_stranger_403(place):
    network = place.network
    other = f.place(network=network)
    owner = Owner.resolve(_request(f.network_admin(network)), network_slug=network.slug)
    assert (owner.place, owner.network, owner.name) == (None, network, network.name)
    assert (owner.namespace, owner.frame) == ("surveys_network", "base.html")
    assert owner.url("list") == reverse("surveys_network:list", args=[network.slug])
    assert {m.place for m in owner.owned()} == {place, other}
    for stranger in (f.user(), f.coordinator(place), f.network_admin(f.network())):
        with pytest.raises(PermissionDenied):
            Owner.resolve(_request(stranger), network_slug=network.slug)


def test_an_unknown_slug_or_none_is_404(place):
    request = _request(f.coordinator(place))
    for slugs in ({"slug": "nowhere"}, {"network_slug": "nowhere"}, {}):
        with pytest.raises(Http404):
            Owner.resolve(request, **slugs)


def test_a_row_is_found_only_by_its_owner_and_an_absurd_id_is_404(place):
    mine = NetworkMembership.objects.get(place=place)
    theirs = NetworkMembership.objects.get(place=f.place())
    owner = Owner(place, None)
    assert owner.one(mine.pk) == mine
    for pk in (theirs.pk, 0, -1, 2**63, 10**30):
        with pytest.raises(Http404):
            owner.one(pk)


def test_an_owner_is_a_place_or_a_network_exactly(place):
    for fields in ((None, None), (place, place.network)):
        with pytest.raises(ValueError):
            Owner(*fields)


def test_owner_view_asks_for_login_then_hands_the_owner(place):
    seen = []

    @owners.owner_view(Owner)
    def page(request: HttpRequest, owner: Owner, extra: int) -> HttpResponse:
        seen.append((owner, extra))
        return HttpResponse("ok")

    assert page(_request(AnonymousUser()), slug=place.slug, extra=1).status_code == 302
    assert page(_request(f.coordinator(place)), slug=place.slug, extra=2).status_code == 200
    with pytest.raises(PermissionDenied):
        page(_request(f.staff(place)), slug=place.slug, extra=3)
    assert seen == [(Owner(place, None), 2)]


def test_render_gives_the_frame_and_capabilities_and_422_on_a_bad_form(place):
    request = _request(f.coordinator(place))
    owner = Owner(place, None)
    context = owner.context(request)
    assert context["place"] == place and context["can"]["manage_billing"]
    ok = owners.render(request, owner, owner.frame, {}, NameForm(), None)
    bad = owners.render(request, owner, owner.frame, {}, NameForm({"name": ""}))
    assert (ok.status_code, bad.status_code) == (200, 422)
    network = Owner(None, place.network)
    assert "can" not in network.context(request)
    answer = owners.render(request, network, network.frame, {}, NameForm({"name": "x"}))
    assert answer.status_code == 200
