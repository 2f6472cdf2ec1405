"""A read-only link to a scenario: its team makes it for a town or a funder, who reads the
verdict, the figures and the summary without an account; withdrawn, it reads nothing."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from tierslieux.core.models import AuditEntry
from tierslieux.economics import services
from tierslieux.places.tests import factories as pf


@pytest.fixture
def plan(place: Any, coordinator: Any) -> Any:
    return services.create_from_template(
        actor=coordinator, place=place, template="micro-centre:typical", name="Plan A",
        start="2027-01",
    )  # fmt: skip


def test_a_link_is_made_read_and_withdrawn(plan: Any, place: Any, coordinator: Any) -> None:
    team = Client()
    team.force_login(coordinator)
    detail = f"/manage/{place.slug}/economics/{plan.pk}/"
    made = team.post(f"{detail}share/")
    assert made.status_code == 302 and made["Location"] == f"{detail}#share"
    plan.refresh_from_db()
    key = plan.share_key
    assert key and len(key) >= 32
    page = team.get(detail).content.decode()
    assert f"http://testserver/economics/shared/{key}/" in page
    # Whoever has the link reads, without an account, and is told whose it is.
    visitor = Client()
    shared = visitor.get(f"/economics/shared/{key}/")
    text = shared.content.decode()
    assert shared.status_code == 200
    assert "Plan A" in text and "Le lieu est fragile" in text and "mois 10 (octobre 2027)" in text
    assert place.name in text and coordinator.email not in text
    assert 'name="fixed_costs_0_monthly"' not in text and "Recalculer" not in text
    assert shared["X-Robots-Tag"] == "noindex, nofollow"
    assert shared["Referrer-Policy"] == "no-referrer"
    pdf = visitor.get(f"/economics/shared/{key}/summary.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # Asked again, the same link; withdrawn, nothing more to read.
    team.post(f"{detail}share/")
    plan.refresh_from_db()
    assert plan.share_key == key
    team.post(f"{detail}share/", {"action": "withdraw"})
    plan.refresh_from_db()
    assert plan.share_key is None
    assert visitor.get(f"/economics/shared/{key}/").status_code == 404
    assert visitor.get(f"/economics/shared/{key}/summary.pdf").status_code == 404
    actions = list(AuditEntry.objects.filter(action__startswith="economics.scenario.")
                   .values_list("action", flat=True).order_by("pk"))  # fmt: skip
    assert actions[-2:] == ["economics.scenario.share", "economics.scenario.unshare"]


def test_only_its_team_makes_a_link_and_a_wrong_key_reads_nothing(
    plan: Any, place: Any, staff: Any
) -> None:
    with pytest.raises(PermissionDenied):
        services.share(actor=staff, scenario=plan)
    other = Client()
    other.force_login(staff)
    assert other.post(f"/manage/{place.slug}/economics/{plan.pk}/share/").status_code == 403
    assert other.get(f"/manage/{place.slug}/economics/{plan.pk}/share/").status_code in (403, 405)
    anyone = Client()
    for key in ("nope", "x" * 41, "%00", plan.name):
        assert anyone.get(f"/economics/shared/{key}/").status_code == 404, key


def test_a_network_s_project_is_shared_the_same_way(place: Any) -> None:
    admin = pf.network_admin(place.network)
    project = services.create_from_template(
        actor=admin, network=place.network, template="micro-centre:rural", project="Felletin"
    )
    key = services.share(actor=admin, scenario=project)
    page = Client().get(f"/economics/shared/{key}/").content.decode()
    assert place.network.name in page and "Felletin" in page


def test_the_method_reads_in_french_with_its_percentages(plan: Any, coordinator: Any) -> None:
    key = services.share(actor=coordinator, scenario=plan)
    page = Client().get(f"/economics/shared/{key}/").content.decode()
    assert "occupation de 60 à 70\u00a0%, financements publics à 30\u00a0% au plus" in page
