"""The report's pages: who opens what in the back office, the draft for the team only, the
PDF as an attachment, the publication asked first and refused for a draft, and the public
version's 404s (not public, not confirmed, unknown place, impossible year). The PDF's
rendering itself is `test_report_pdf`'s: here a stub stands in for WeasyPrint."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tierslieux.core.models import AuditEntry
from tierslieux.impact import report_pdf
from tierslieux.impact.tests import report_factories as rf

pytestmark = pytest.mark.urls("tierslieux.impact.tests.urls")

YEAR = 2025
PRIVATE_QUOTE = "Pas pour le public, merci."
PUBLIC_QUOTE = "Ici je retrouve du travail."


@pytest.fixture(autouse=True)
def _stub_pdf(monkeypatch):
    monkeypatch.setattr(report_pdf, "render_pdf", lambda report, base_url: b"%PDF-stub")


@pytest.fixture
def confirmed(place, coordinator):
    assessment = rf.assessment(place, YEAR, by=coordinator)
    rf.testimony(place, PUBLIC_QUOTE, public=True, said_on=date(YEAR, 3, 1), impact="local_sectors")
    rf.testimony(
        place, PRIVATE_QUOTE, public=False, said_on=date(YEAR, 4, 1), impact="local_sectors"
    )
    return assessment


def _manage(name: str, place, year: int = YEAR) -> str:
    return reverse(f"impact_manage:{name}", args=[place.slug, year])


def _public(name: str, place, year: int = YEAR) -> str:
    return reverse(f"impact:{name}", args=[place.slug, year])


def test_who_opens_the_report(
    client, place, confirmed, staff, network_admin, member, other_coordinator
) -> None:
    page = _manage("report", place)
    client.force_login(staff)
    response = client.get(page)
    assert response.status_code == 200
    assert "Bilan d’impact 2025" in response.text and PRIVATE_QUOTE in response.text
    assert "Privé" in response.text
    client.force_login(network_admin)  # VIEW_FIGURES, not the team: publishable evidence only
    response = client.get(page)
    assert response.status_code == 200
    assert PUBLIC_QUOTE in response.text and PRIVATE_QUOTE not in response.text
    assert _manage("report_publish", place) not in response.text
    assert client.get(_manage("report_publish", place)).status_code == 403
    for user in (member, other_coordinator):
        client.force_login(user)
        assert client.get(page).status_code == 403
        assert client.get(_manage("report_pdf", place)).status_code == 403
    client.logout()
    assert client.get(page).status_code == 302


def test_the_pdf_is_an_attachment_of_a_confirmed_year(
    client, place, coordinator, confirmed
) -> None:
    client.force_login(coordinator)
    response = client.get(_manage("report_pdf", place))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="bilan-impact-{place.slug}-{YEAR}.pdf"'
    )
    assert response.content == b"%PDF-stub"
    assert client.get(_manage("report_pdf", place, YEAR - 1)).status_code == 404
    assert client.get(_manage("report", place, YEAR - 1)).status_code == 200  # says none yet
    assert client.get(_manage("report", place, 0)).status_code == 404
    assert client.get(_manage("report", place, 99999)).status_code == 404


def test_a_draft_is_shown_to_the_team_only(client, place, coordinator, network_admin) -> None:
    rf.assessment(place, YEAR, confirmed=False)
    rf.assessment(place, YEAR - 1, public=True)
    listing = reverse("impact_manage:reports", args=[place.slug])
    client.force_login(coordinator)
    response = client.get(listing)
    assert response.status_code == 200
    assert _manage("report", place) in response.text and "brouillon" in response.text
    assert _public("report", place, YEAR - 1) in response.text
    client.force_login(network_admin)
    response = client.get(listing)
    assert response.status_code == 200 and _manage("report", place) not in response.text
    assert _manage("report", place, YEAR - 1) in response.text
    client.force_login(coordinator)
    response = client.get(_manage("report", place))
    assert response.status_code == 200 and "Brouillon" in response.text
    assert _manage("report_pdf", place) not in response.text
    assert client.get(_manage("report_pdf", place)).status_code == 404
    client.force_login(network_admin)
    response = client.get(_manage("report", place))
    assert "Brouillon" not in response.text and "Aucun bilan confirmé pour 2025" in response.text


def test_publishing_asks_first_and_is_audited(client, place, staff, confirmed) -> None:
    client.force_login(staff)  # MANAGE_IMPACT
    url = _manage("report_publish", place)
    response = client.get(url)
    assert response.status_code == 200 and "Publier le bilan 2025\xa0?" in response.text
    assert not _reload(confirmed).public  # a GET changes nothing
    public = _public("report", place)
    assert client.get(public).status_code == 404
    assert client.post(url, {"public": "1"}).url == _manage("report", place)
    assert _reload(confirmed).public
    response = client.get(public)
    assert response.status_code == 200
    assert PUBLIC_QUOTE in response.text and PRIVATE_QUOTE not in response.text
    assert "Recettes" not in response.text and "45\xa0678" not in response.text
    pdf = client.get(_public("report_pdf", place))
    assert pdf.status_code == 200 and pdf["Content-Disposition"].startswith("attachment;")
    assert "Retirer la version publique" in client.get(url).text
    client.post(url, {"public": "0"})
    assert not _reload(confirmed).public
    assert client.get(public).status_code == 404
    assert list(
        AuditEntry.objects.filter(action__startswith="impact.report")
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["impact.report.publish", "impact.report.withdraw"]


def test_a_draft_cannot_be_published(client, place, coordinator) -> None:
    draft = rf.assessment(place, YEAR, confirmed=False)
    client.force_login(coordinator)
    url = _manage("report_publish", place)
    assert "Confirmez le bilan de l’année" in client.get(url).text
    response = client.post(url, {"public": "1"})
    assert response.status_code == 422 and "Confirmez le bilan de l’année" in response.text
    assert not _reload(draft).public
    assert client.get(_manage("report_publish", place, YEAR - 1)).status_code == 404


def test_the_public_versions_404s(client, place, confirmed) -> None:
    assert client.get(_public("report", place)).status_code == 404  # confirmed, not public
    confirmed.public = True
    confirmed.save()
    assert client.get(_public("report", place)).status_code == 200
    assert client.get(_public("report", place, YEAR - 1)).status_code == 404
    assert client.get(reverse("impact:report", args=["nulle-part", YEAR])).status_code == 404
    assert client.get(reverse("impact:report_pdf", args=["nulle-part", YEAR])).status_code == 404
    assert client.get(_public("report", place, 0)).status_code == 404
    assert client.get(_public("report_pdf", place, 99999)).status_code == 404


def _reload(assessment):
    assessment.refresh_from_db()
    return assessment
