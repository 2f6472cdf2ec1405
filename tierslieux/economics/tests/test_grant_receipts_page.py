"""The grants page with what was received of each: agreed, received so far, remaining, the
months; a funding received linked or unlinked by a POST with an `action`; bad input answered
422 naming the field, with nothing written; a received total above the agreed one told."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import transaction
from django.test import Client

from tierslieux.billing import services as billing
from tierslieux.billing.models import Funding
from tierslieux.billing.tests import factories as bf
from tierslieux.economics import services_actuals
from tierslieux.economics.models import Grant, GrantReceipt
from tierslieux.places.tests import factories as pf

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def _world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        place, other = bf.place(), bf.place()
        coordinator, elsewhere = pf.coordinator(place), pf.coordinator(other)

        def funding(who: Any, where: Any, amount: str, day: date, funder: str) -> Funding:
            return billing.record_funding(
                actor=who, place=where, funder=funder, amount=amount, received_on=day
            )

        built = {
            "place": place, "coordinator": coordinator, "staff": pf.staff(place),
            "grant": services_actuals.add_grant(
                actor=coordinator, place=place, funder_kind="region", funder="Région Occitanie",
                amount="12000", first_month=date(2027, 1, 1), last_month=date(2027, 12, 1)),
            "january": funding(coordinator, place, "6000.00", date(2027, 1, 15), "Région"),
            "july": funding(coordinator, place, "7000.00", date(2027, 7, 10), "Région"),
            "sponsor": funding(coordinator, place, "500.00", date(2027, 3, 20), "Mécène Dupont"),
            "foreign": funding(elsewhere, other, "50.00", date(2027, 1, 2), "Ailleurs"),
        }  # fmt: skip
        yield {name: (type(row), row.pk) for name, row in built.items()}
        transaction.set_rollback(True)


@pytest.fixture
def w(_world: Any) -> dict[str, Any]:
    return {name: model.objects.get(pk=pk) for name, (model, pk) in _world.items()}


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(w: dict[str, Any]) -> str:
    return f"/manage/{w['place'].slug}/economics/grants/"


def link(client: Client, w: dict[str, Any], funding: Any, grant: Any = None) -> Any:
    grant = w["grant"].pk if grant is None else grant
    return client.post(url(w), {"action": "link", "grant": grant, "funding": funding})


def test_the_coordinator_links_fundings_and_sees_received_and_remaining(
    w: dict[str, Any],
) -> None:
    coordinator = client_for(w["coordinator"])
    page = coordinator.get(url(w))
    assert page.status_code == 200
    offered = [str(label) for _value, label in page.context["link"].fields["funding"].choices]
    # The place's fundings not paying a grant yet, newest first: date, funder, amount.
    assert offered[1:] == [
        f"10/07/2027 · Région · 7{NBSP}000,00{NBSP}€",
        f"20/03/2027 · Mécène Dupont · 500,00{NBSP}€",
        f"15/01/2027 · Région · 6{NBSP}000,00{NBSP}€",
    ]
    assert link(coordinator, w, w["january"].pk).status_code == 302
    html = coordinator.get(url(w)).content.decode()
    # Agreed 12 000, received 6 000, remaining 6 000, over January to December 2027.
    for column, figure in (("Accordé", "12"), ("Reçu à ce jour", "6"), ("Reste à recevoir", "6")):
        assert f'"{column}">{figure}{NBSP}000,00{NBSP}€<' in html
    assert "janvier 2027 – décembre 2027" in html and "Détacher" in html
    again = coordinator.get(url(w)).context["link"].fields["funding"].queryset
    assert w["january"] not in again and w["foreign"] not in again
    # A second one takes the received total above the agreement: allowed, and told.
    assert link(coordinator, w, w["july"].pk).status_code == 302
    html = coordinator.get(url(w)).content.decode()
    assert f"Reçu 13{NBSP}000,00{NBSP}€ pour 12{NBSP}000,00{NBSP}€ accordés" in html
    assert f'"Reste à recevoir">0,00{NBSP}€<' in html  # nothing remaining, not below 0
    answer = coordinator.post(url(w), {"action": "unlink", "funding": w["july"].pk})
    assert answer.status_code == 302
    assert list(GrantReceipt.objects.values_list("funding_id", flat=True)) == [w["january"].pk]
    assert "€ accordés" not in coordinator.get(url(w)).content.decode()


def test_bad_links_answer_422_naming_the_field_and_write_nothing(w: dict[str, Any]) -> None:
    coordinator = client_for(w["coordinator"])
    services_actuals.link_funding(actor=w["coordinator"], grant=w["grant"], funding=w["july"])
    foreign = link(coordinator, w, w["foreign"].pk)  # another place's
    assert foreign.status_code == 422 and "funding" in foreign.context["link"].errors
    assert "pas encore rattachés à une subvention" in foreign.content.decode()
    taken = link(coordinator, w, w["july"].pk)  # already paying the grant
    assert taken.status_code == 422 and "funding" in taken.context["link"].errors
    for bad in ("", "abc", "99999999999999999999", "-1"):
        answer = link(coordinator, w, bad)
        assert answer.status_code == 422 and "funding" in answer.context["link"].errors, bad
        answer = link(coordinator, w, w["sponsor"].pk, grant=bad)
        assert answer.status_code == 422 and "grant" in answer.context["link"].errors, bad
        answer = coordinator.post(url(w), {"action": "unlink", "funding": bad})
        assert answer.status_code == 422 and "funding" in answer.context["unlink"].errors, bad
    # Unlinking a funding that pays no grant is refused on the page too.
    answer = coordinator.post(url(w), {"action": "unlink", "funding": w["sponsor"].pk})
    assert answer.status_code == 422 and "rattaché à aucune subvention" in answer.content.decode()
    assert list(GrantReceipt.objects.values_list("funding_id", flat=True)) == [w["july"].pk]


def test_only_the_finance_team_links_and_adding_a_grant_still_works(w: dict[str, Any]) -> None:
    staff = client_for(w["staff"])
    assert link(staff, w, w["sponsor"].pk).status_code == 403
    assert not GrantReceipt.objects.exists()
    answer = client_for(w["coordinator"]).post(
        url(w), {"funder_kind": "town", "funder": "Mairie", "amount": "800",
                 "first_month": "2027-01", "last_month": "2027-06"},
    )  # fmt: skip
    assert answer.status_code == 302 and Grant.objects.filter(funder="Mairie").exists()
