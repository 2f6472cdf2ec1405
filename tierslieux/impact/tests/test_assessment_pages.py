"""The indicators page and the yearly assessment's pages: who opens what, the period chooser,
the forms' 422 naming the field, the team's figures labelled without a method, the flow
open → decide → confirm → reopen, and the CSV and JSON downloads parsed and checked."""

from __future__ import annotations

import csv
import io
import json
from datetime import date
from decimal import Decimal as D

import pytest
from django.urls import reverse

from tierslieux.activity.models import DailyCount
from tierslieux.impact import services
from tierslieux.impact import services_assessment as sa
from tierslieux.impact.models import Judgement, YearAssessment
from tierslieux.places.models import TeamMember

pytestmark = pytest.mark.urls("tierslieux.impact.tests.urls")


def _url(name: str, place, *args) -> str:
    return reverse(f"impact_manage:{name}", args=[place.slug, *args])


@pytest.fixture
def year(place, coordinator, clock):
    """2025 of La Fabrique: two days counted (65 people), a team of 1.5 FTE, a private
    testimony; the assessment opened."""
    clock.set(date(2026, 3, 1))
    DailyCount.objects.create(place=place, day=date(2025, 3, 3), count=40)
    DailyCount.objects.create(place=place, day=date(2025, 3, 4), count=25)
    TeamMember.objects.create(place=place, role="Coordination", people=2, fte=D("1.50"))
    services.save_testimony(
        coordinator, place,
        {"quote": "Un secret bien gardé.", "author_role": "Voisine",
         "said_on": date(2025, 5, 1), "impact_key": "trusted_third_party"},
    )  # fmt: skip
    return sa.open_assessment(coordinator, place, 2025)


def test_who_opens_what(client, place, year, coordinator, staff, member, other_coordinator,
                        network_admin):  # fmt: skip
    reads = [
        _url("indicators", place),
        _url("indicators_csv", place),
        _url("indicators_json", place),
        _url("assessments", place),
        _url("assessment", place, 2025),
    ]
    edits = [_url("assessment_confirm", place, 2025), _url("assessment_reopen", place, 2025),
             _url("team_figure_new", place, 2025, "peer_learning")]  # fmt: skip
    client.force_login(staff)  # the coordinator opens them all in the tests below
    for url in reads + edits:
        assert client.get(url).status_code == 200, url
    for user in (member, other_coordinator):
        client.force_login(user)
        for url in reads + edits:
            assert client.get(url).status_code == 403, (user, url)
    client.force_login(coordinator)
    for missing in (_url("assessment", place, 2024), _url("assessment", place, 99999),
                    _url("team_figure_new", place, 2025, "nope")):  # fmt: skip
        assert client.get(missing).status_code == 404, missing
    # A network reads the figures and the verdicts, not the private evidence, and changes none.
    client.force_login(network_admin)
    page = client.get(_url("assessment", place, 2025))
    assert page.status_code == 200 and "Un secret bien gardé" not in page.text
    assert client.post(_url("assessments", place), {"year": 2024}).status_code == 403
    assert client.get(edits[0]).status_code == 403
    client.force_login(coordinator)
    page = client.get(_url("assessment", place, 2025)).text
    assert "Un secret bien gardé" in page and "privé" in page
    client.logout()
    assert client.get(reads[0]).status_code == 302


def test_the_period_chooser(client, place, year, coordinator):
    client.force_login(coordinator)
    page = client.get(_url("indicators", place), {"period": "2025-Q1"})
    assert page.status_code == 200 and page.context["period"].code() == "2025-Q1"
    assert "Personnes comptées (fréquentation)" in page.text
    assert page.context["families"][0][1][0].value.basis == 2  # two days counted
    for absurd in ("2025-Q9", "lundi", "2999", "1" * 400, "1899"):
        page = client.get(_url("indicators", place), {"period": absurd})
        assert page.status_code == 200, absurd
        assert page.context["period"].code() == "2026"
        assert "n’est pas une période" in page.text
    assert "non renseigné" in client.get(_url("indicators", place)).text


def test_the_forms_answer_422_naming_the_field(client, place, year, coordinator):
    client.force_login(coordinator)
    response = client.post(_url("assessments", place), {"year": "2099"})
    assert response.status_code == 422 and response.context["form"].errors["year"]
    assert client.post(_url("assessments", place), {"year": "x"}).status_code == 422
    judgement = year.judgements.get(impact_key="trusted_third_party")
    assert judgement.suggested == "not_observed"  # a private testimony, figures below
    post = {"impact": "trusted_third_party", "trusted_third_party-verdict": "yes"}
    response = client.post(_url("assessment", place, 2025), post)
    assert response.status_code == 422
    form = next(p.form for p in response.context["pages"] if p.key == "trusted_third_party")
    assert "Dites pourquoi vous vous écartez" in form.errors["reason"][0]
    response = client.post(
        _url("assessment", place, 2025), {**post, "trusted_third_party-axis_keys": "x"}
    )
    assert response.status_code == 422
    response = client.post(_url("assessment_confirm", place, 2025), {"method": "Réunion"})
    assert response.status_code == 422 and "Tranchez chaque impact" in response.text
    response = client.post(_url("assessment_confirm", place, 2025), {})
    assert response.status_code == 422 and response.context["form"].errors["method"]
    response = client.post(_url("team_figure_new", place, 2025, "peer_learning"),
                           {"label": "Heures", "value": "beaucoup"})  # fmt: skip
    assert response.status_code == 422 and response.context["form"].errors["value"]
    response = client.post(_url("assessment_reopen", place, 2025), {"reason": "x"})
    assert response.status_code == 422  # a draft is not reopened
    assert not YearAssessment.objects.get(pk=year.pk).confirmed


def test_open_decide_confirm_reopen(client, place, year, coordinator):
    client.force_login(coordinator)
    response = client.post(_url("assessments", place), {"year": "2026"})
    assert response.status_code == 302 and response.url.endswith("/assessments/2026/")
    figure = _url("team_figure_new", place, 2025, "peer_learning")
    assert client.post(figure, {"label": "Heures de tutorat", "value": "40"}).status_code == 302
    page = client.get(_url("assessment", place, 2025)).text
    assert "Heures de tutorat" in page and "méthode non précisée" in page
    for j in year.judgements.exclude(impact_key__in=("local_sectors", "peer_learning")):
        sa.decide(coordinator, j, j.suggested)  # the pages decide the last two
    decisions = (
        {"impact": "peer_learning", "peer_learning-verdict": "not_observed"},
        {"impact": "local_sectors", "local_sectors-verdict": "yes",
         "local_sectors-reason": "Artisans.", "local_sectors-axis_keys": "sector_synergies"},
    )  # fmt: skip
    for post in decisions:
        response = client.post(_url("assessment", place, 2025), post)
        assert response.status_code == 302 and response.url.endswith(f"#impact-{post['impact']}")
    decided = Judgement.objects.get(assessment=year, impact_key="local_sectors")
    assert decided.overridden and decided.axis_keys == ["sector_synergies"]
    assert "Confirmer l’évaluation" in client.get(_url("assessment", place, 2025)).text
    response = client.post(_url("assessment_confirm", place, 2025), {"method": "Réunion."})
    assert response.status_code == 302
    year.refresh_from_db()
    assert year.confirmed and year.figures["footfall"]["amount"] == 65
    page = client.get(_url("assessment", place, 2025)).text
    assert "Confirmée" in page and "Enregistrer le verdict" not in page
    before = Judgement.objects.get(assessment=year, impact_key="local_sectors")
    post = {"impact": "local_sectors", "local_sectors-verdict": "no"}
    response = client.post(_url("assessment", place, 2025), post, follow=True)
    assert "rouvrez-la" in response.text  # refused: a confirmed year changes nothing
    assert Judgement.objects.get(pk=before.pk).verdict == before.verdict == "yes"
    response = client.post(_url("assessment_reopen", place, 2025), {"reason": "Oubli."})
    assert response.status_code == 302
    year.refresh_from_db()
    assert not year.confirmed


def test_the_downloads(client, place, year, coordinator):
    client.force_login(coordinator)
    response = client.get(_url("indicators_csv", place), {"period": "2025"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.startswith("\ufeff".encode())
    assert "indicators-2025.csv" in response["Content-Disposition"]
    lines = response.content.decode("utf-8-sig").split("\r\n")
    rows = list(csv.DictReader(io.StringIO("\r\n".join(lines[: lines.index("")])), delimiter=";"))
    by_key = {(r["key"], r["part"]): r for r in rows}
    footfall = by_key[("footfall", "")]
    assert (footfall["amount"], footfall["unit"], footfall["basis"]) == ("65", "people", "2")
    assert D(by_key[("jobs_fte", "")]["amount"].replace(",", ".")) == D("1.5")
    assert by_key[("members", "")]["amount"] == "" and by_key[("members", "")]["not_recorded"]
    assert by_key[("volunteer_hours", "")]["not_recorded"]
    assert "2025" in lines[-2]
    response = client.get(_url("indicators_json", place), {"period": "2025-Q1"})
    document = json.loads(response.content)
    assert (document["place"], document["period"]) == (place.slug, "2025-Q1")
    figures = {(f["key"], f["part"]): f for f in document["figures"]}
    assert figures[("footfall", "")]["amount"] == 65 and figures[("jobs_fte", "")]["amount"] == 1.5
    assert figures[("members", "")]["amount"] is None
    assert document["definitions"]["footfall"]["sources"] == ["activity.DailyCount (day, count)"]
    # An absurd period is the current year here too, never an error.
    assert (
        json.loads(client.get(_url("indicators_json", place), {"period": "x"}).content)["period"]
        == "2026"
    )
