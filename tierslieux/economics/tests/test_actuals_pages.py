"""The actuals and ledger pages: who opens them (a coordinator; not the staff, a member or
another place's coordinator), bad input answered 422 naming the field with nothing written,
removal asking first, the import read before it writes, the gaps told on the page."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import Client

from tierslieux.economics import services, services_actuals
from tierslieux.economics.models import Expense, Grant, Scenario
from tierslieux.places.tests import factories as pf


@pytest.fixture(scope="module")
def _world(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        place, other = pf.place(), pf.place()
        coordinator = pf.coordinator(place)
        scenario = services.create_from_template(
            actor=coordinator, place=place, template="micro-centre:typical", name="Plan A"
        )
        Scenario.objects.filter(pk=scenario.pk).update(data=scenario.data | {"start": "2026-09"})
        built = {
            "place": place, "coordinator": coordinator, "scenario": scenario,
            "staff": pf.staff(place), "member": pf.member(place),
            "other_coordinator": pf.coordinator(other),
            "expense": services_actuals.add_expense(
                actor=coordinator, place=place, date=date(2026, 10, 3), category="rent",
                label="Loyer octobre", amount="450.00"),
            "grant": services_actuals.add_grant(
                actor=coordinator, place=place, funder_kind="region", funder="Région",
                amount="3000", first_month=date(2026, 9, 1), last_month=date(2027, 8, 1)),
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


def pages(w: dict[str, Any]) -> list[str]:
    base = f"/manage/{w['place'].slug}/economics/"
    return [
        f"{base}{w['scenario'].pk}/actuals/", f"{base}expenses/", f"{base}expenses/import/",
        f"{base}expenses/{w['expense'].pk}/remove/", f"{base}grants/",
        f"{base}grants/{w['grant'].pk}/remove/",
    ]  # fmt: skip


def test_only_the_place_s_finance_team_opens_the_actuals_and_the_ledger(
    w: dict[str, Any], clock: Any
) -> None:
    clock.set(date(2026, 12, 5))
    coordinator = client_for(w["coordinator"])
    for page in pages(w):
        assert coordinator.get(page).status_code == 200, page
    for who in ("staff", "member", "other_coordinator"):
        client = client_for(w[who])
        for page in pages(w):
            assert client.get(page).status_code == 403, (who, page)
    assert Client().get(pages(w)[0]).status_code == 302
    other_base = f"/manage/{pf.place().slug}/economics/"
    assert client_for(w["other_coordinator"]).get(other_base + "expenses/").status_code == 403


def test_the_actuals_page_sets_the_months_over_against_the_plan(
    w: dict[str, Any], clock: Any
) -> None:
    clock.set(date(2026, 12, 5))
    page = client_for(w["coordinator"]).get(pages(w)[0]).content.decode()
    # September to November: three months over; December is not.
    assert "novembre 2026" in page and "décembre 2026" not in page
    assert "sous le plan depuis 3\u00a0mois" in page
    assert "<svg" in page and "250\u00a0€" in page  # 3 000 € over twelve months


def test_bad_input_answers_422_naming_the_field_and_writes_nothing(w: dict[str, Any]) -> None:
    coordinator = client_for(w["coordinator"])
    _actuals, expenses, import_, _e, grants, _g = pages(w)
    answer = coordinator.post(
        expenses, {"date": "2026-10-04", "category": "rent", "label": "X", "amount": "-3"}
    )
    assert answer.status_code == 422 and "amount" in answer.context["form"].errors
    answer = coordinator.post(
        grants, {"funder_kind": "town", "funder": "Mairie", "amount": "100",
                 "first_month": "2027-03", "last_month": "2027-01"},
    )  # fmt: skip
    assert answer.status_code == 422 and "last_month" in answer.context["form"].errors
    assert "il ne peut précéder le premier mois" in answer.content.decode()
    bad = "31/01/2027;Loyer;100,00;rent\n32/01/2027;Loyer;100,00;rent\n"
    answer = coordinator.post(import_, {"file": SimpleUploadedFile("export.csv", bad.encode())})
    assert answer.status_code == 422 and "file" in answer.context["form"].errors
    assert "Ligne 2" in answer.content.decode()
    picture = SimpleUploadedFile("photo.png", b"\x89PNG\r\n\x1a\n\x81\x8d\x90")
    answer = coordinator.post(import_, {"file": picture})
    assert answer.status_code == 422
    assert "Ce fichier n’est pas du texte" in str(answer.context["form"].errors["file"])
    assert Expense.objects.count() == 1 and Grant.objects.count() == 1


def test_an_import_is_read_then_confirmed_and_a_removal_asks_first(w: dict[str, Any]) -> None:
    coordinator = client_for(w["coordinator"])
    _actuals, _expenses, import_, remove, _grants, _g = pages(w)
    good = "date;libellé;montant;catégorie\n31/10/2026;Assurance;120,00;Assurances\n"
    answer = coordinator.post(import_, {"file": SimpleUploadedFile("e.csv", good.encode())})
    assert answer.status_code == 200 and Expense.objects.count() == 1  # read, not written
    answer = coordinator.post(import_, {"text": good, "confirm": "True"})
    assert answer.status_code == 302 and Expense.objects.count() == 2
    again = coordinator.post(import_, {"file": SimpleUploadedFile("e.csv", good.encode())})
    assert "Ligne 2 correspond à une dépense déjà enregistrée" in again.content.decode()
    assert coordinator.get(remove).status_code == 200 and Expense.objects.count() == 2
    assert coordinator.post(remove).status_code == 302
    assert not Expense.objects.filter(pk=w["expense"].pk).exists()
