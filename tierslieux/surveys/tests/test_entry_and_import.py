"""The team's pages: a paper form typed in (dated the day it was filled in), and a CSV import
checked line by line as the answer form checks, imported whole or not at all."""

from __future__ import annotations

from datetime import date

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tierslieux.places.tests import factories as pf
from tierslieux.surveys.models import Answer, Response, Survey
from tierslieux.surveys.tests import factories as f

pytestmark = [
    pytest.mark.usefixtures("english", "english_pages"),
]

NEEDS = {
    "sections": [
        {
            "key": "needs",
            "title": "Vos besoins",
            "questions": [
                {
                    "key": "uses",
                    "kind": "multiple",
                    "label": "Ce que vous feriez au lieu",
                    "required": True,
                    "other": True,
                    "choices": [
                        {"key": "cowork", "label": "Coworking"},
                        {"key": "fablab", "label": "Fablab"},
                        {"key": "cafe", "label": "Café"},
                    ],
                },
                {
                    "key": "order",
                    "kind": "ranking",
                    "label": "Classez ces fonctions",
                    "choices": [
                        {"key": "food", "label": "Alimentation"},
                        {"key": "culture", "label": "Culture"},
                    ],
                },
                {"key": "since", "kind": "date", "label": "Depuis quand ?"},
                {"key": "town", "kind": "commune", "label": "Votre commune"},
                {"key": "note", "kind": "text", "label": "Remarque", "max_length": 20},
            ],
        }
    ]
}
HEADER = "uses;uses.other;order.food;order.culture;since;town;note"


@pytest.fixture
def english_pages(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"


def url(survey: Survey, name: str) -> str:
    if survey.place_id:
        return reverse(f"surveys_manage:{name}", args=[survey.place.slug, survey.pk])
    return reverse(f"surveys_network:{name}", args=[survey.network.slug, survey.pk])


def upload(text: str | bytes, name: str = "answers.csv") -> SimpleUploadedFile:
    data = text.encode() if isinstance(text, str) else text
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_a_paper_form_is_typed_in_with_its_day(client, place, coordinator):
    survey = f.survey(place, actor=coordinator, anonymous=True)
    client.force_login(coordinator)
    page = client.get(url(survey, "entry"))
    assert page.status_code == 200 and 'name="filled_on"' in page.content.decode()
    sent = client.post(url(survey, "entry"), {"filled_on": "2026-03-02", "mode": "bike"})
    assert sent.status_code == 302
    response = Response.objects.get()
    assert (response.channel, response.submitted_on) == ("team", date(2026, 3, 2))
    assert response.entered_by == coordinator and response.person is None


def test_a_typed_form_is_refused_like_any_answer(client, place, coordinator):
    survey = f.survey(place, actor=coordinator)
    client.force_login(coordinator)
    page = client.post(url(survey, "entry"), {"filled_on": "2026-03-02", "km": "3"})
    assert page.status_code == 422 and "This question is required." in page.content.decode()
    page = client.post(url(survey, "entry"), {"filled_on": "2999-01-01", "mode": "car"})
    assert page.status_code == 422 and "This day has not come yet." in page.content.decode()
    assert not Response.objects.exists()


def test_the_team_pages_are_the_owners(client, place, other_coordinator, network_admin):
    survey = f.survey(place)
    assert client.get(url(survey, "entry")).status_code == 302  # to the login page
    client.force_login(other_coordinator)
    for name in ("entry", "import", "import_template"):
        assert client.get(url(survey, name)).status_code == 403
    client.force_login(pf.member(place))
    assert client.get(url(survey, "import")).status_code == 403
    network_survey = f.survey(place.network, actor=network_admin)
    client.force_login(network_admin)
    assert client.get(url(network_survey, "entry")).status_code == 200
    other = reverse("surveys_network:entry", args=[place.network.slug, survey.pk])
    assert client.get(other).status_code == 404  # a place's survey is not the network's


def test_the_template_gives_the_columns(client, place, coordinator):
    survey = f.survey(place, actor=coordinator, definition=NEEDS)
    client.force_login(coordinator)
    template = client.get(url(survey, "import_template"))
    assert template["Content-Type"].startswith("text/csv")
    assert template.content.decode("utf-8-sig").strip() == HEADER


def test_a_dry_run_reports_each_line_and_imports_nothing(client, place, coordinator):
    survey = f.survey(place, actor=coordinator, definition=NEEDS)
    client.force_login(coordinator)
    text = (
        f"{HEADER}\n"
        '"cowork;Fablab";;1;2;2025-09-01;23000 Guéret;Très bien\n'
        ";;1;1;2025-13-01;Nulle-part;\n"
    )
    page = client.post(url(survey, "import"), {"file": upload(text), "action": "check"})
    body = page.content.decode()
    assert page.status_code == 422
    assert "1 line kept" in body and "1 line refused" in body and "Nothing was imported." in body
    assert "This question is required." in body and "Two answers have the rank 1." in body
    assert "Enter a date (YYYY-MM-DD)." in body and "This commune is not known" in body
    page = client.post(url(survey, "import"), {"file": upload(text), "action": "import"})
    assert page.status_code == 422  # a refused line: nothing imported unless asked
    assert not Response.objects.exists()
    page = client.post(
        url(survey, "import"), {"file": upload(text), "action": "import", "skip_refused": "on"}
    )
    assert page.status_code == 200 and "1 answer imported." in page.content.decode()
    response = Response.objects.get()
    assert (response.channel, response.entered_by) == ("import", coordinator)
    rows = {
        (a.question, a.choice, a.rank, a.text, a.commune, a.date)
        for a in Answer.objects.filter(response=response)
    }
    assert rows == {
        ("uses", "cowork", None, "", "", None),
        ("uses", "fablab", None, "", "", None),  # given by its label
        ("order", "food", 1, "", "", None),
        ("order", "culture", 2, "", "", None),
        ("since", "", None, "", "", date(2025, 9, 1)),
        ("town", "", None, "Guéret", "23096", None),
        ("note", "", None, "Très bien", "", None),
    }


def test_a_valid_file_is_imported_whole_comma_separated_too(client, place, coordinator):
    survey = f.survey(place, actor=coordinator, definition=NEEDS)
    client.force_login(coordinator)
    text = "uses,uses.other,note,\ncafe,,,\nother,Jardin partagé,ok,\n"  # a trailing comma
    page = client.post(url(survey, "import"), {"file": upload(text), "action": "import"})
    assert page.status_code == 200 and "2 answers imported." in page.content.decode()
    assert Response.objects.filter(channel="import").count() == 2
    assert Answer.objects.get(choice="other").text == "Jardin partagé"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"uses;nope\ncafe;1\n", "Unknown columns: “nope”"),
        ("uses;note\ncafé;é\n".encode("latin-1"), "not in UTF-8"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a CSV file"),
        (b"", "empty"),
        (b"uses;note\ncafe\n", "Line 2 has 1 fields where the header has 2."),
        (b"uses;note\n" + b"cafe;" + b"x" * (10 * 1024 * 1024) + b"\n", "larger than 10 MB"),
    ],
)
def test_a_bad_file_is_refused_whole(client, place, coordinator, data, message):
    survey = f.survey(place, actor=coordinator, definition=NEEDS)
    client.force_login(coordinator)
    page = client.post(url(survey, "import"), {"file": upload(data), "action": "import"})
    assert page.status_code == 422 and message in page.content.decode()
    assert not Response.objects.exists()
