"""Who may see and act on the billing pages: 403/404 and nothing changes for anyone but the
place's coordinator."""

from __future__ import annotations

import pytest

from tierslieux.billing.tests import factories as f
from tierslieux.billing.tests.views.support import (
    every_get,
    every_post,
    page,
    snapshot,
    url,
)
from tierslieux.places.tests import factories as pf


def test_anonymous_visitors_are_sent_to_login(client, place, books, customer):
    for target in every_get(place, books, customer):
        response = client.get(target)
        assert response.status_code == 302, target
        assert response["Location"].startswith("/accounts/login/"), target


@pytest.mark.parametrize("persona", ["staff", "member", "outsider", "other_coordinator"])
def test_without_the_billing_permission_every_page_is_403_and_nothing_changes(
    client, place, books, customer, persona
):
    user = {
        "staff": lambda: pf.staff(place),
        "member": lambda: pf.member(place),
        "outsider": pf.user,
        "other_coordinator": lambda: pf.coordinator(f.place()),
    }[persona]()
    client.force_login(user)
    before = snapshot()
    for target in every_get(place, books, customer):
        assert client.get(target).status_code == 403, target
    for target, data in every_post(place, books, customer):
        assert client.post(target, data).status_code == 403, target
    assert snapshot() == before


def test_a_coordinator_of_another_place_finds_nothing_of_this_place_under_their_own(
    client, place, books, customer
):
    elsewhere = f.place()
    client.force_login(f.coordinator(elsewhere))
    before = snapshot()
    for name in ("invoice", "invoice_edit", "invoice_pdf", "invoice_credit_note"):
        assert client.get(url(name, elsewhere, books["issued"].pk)).status_code == 404, name
    assert client.get(url("customer", elsewhere, customer.pk)).status_code == 404
    assert client.post(url("invoice_delete", elsewhere, books["draft"].pk)).status_code == 404
    payment = {"amount": "5", "date": "2027-02-01", "method": "cash"}
    assert (
        client.post(url("invoice_payment", elsewhere, books["issued"].pk), payment).status_code
        == 404
    )
    listing = page(client.get(url("invoices", elsewhere)))
    assert "Association Les Amis" not in listing and books["issued"].number not in listing
    assert "Association Les Amis" not in page(client.get(url("customers", elsewhere)))
    assert snapshot() == before


def test_an_unknown_place_is_404(team):
    assert team.get("/manage/nowhere/billing/").status_code == 404


def test_the_coordinator_sees_every_page_and_get_never_writes(team, place, books, customer):
    before = snapshot()
    for target in every_get(place, books, customer):
        assert team.get(target).status_code == 200, target
    assert snapshot() == before
