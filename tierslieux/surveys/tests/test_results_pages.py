"""The results pages: what the team reads (charts, tables in its language, the empty state),
the free texts searched and tagged, and who may read them."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tierslieux.surveys.models import Tag
from tierslieux.surveys.tests import results_data


@pytest.fixture(scope="module")
def data(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        yield results_data.build()
        transaction.set_rollback(True)


def _url(data: dict, name: str, survey: str = "survey", *args: Any) -> str:
    return reverse(f"surveys_manage:{name}", args=[data["place"].slug, data[survey].pk, *args])


def _client(user: Any, language: str = "en") -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def test_results_page_in_french(data: dict) -> None:
    page = _client(data["coordinator"], "fr").get(_url(data, "results"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "8 réponses" in html and "taux de réponse de 40\u00a0% sur 20" in html
    assert html.count("<svg") >= 6  # a chart per question with choices or values
    assert "37,5\u00a0%" in html  # car and bike
    assert "3,86" in html  # happiness's mean
    assert "janvier 2027" in html and "Guéret (23096)" in html


def test_filter_crosstab_and_bad_parameters(data: dict, english: None) -> None:
    client = _client(data["coordinator"])
    page = client.get(_url(data, "results"), {"where": "mode:car"})
    assert page.status_code == 200 and "3 responses" in page.content.decode()
    assert client.get(_url(data, "results"), {"where": "mode:plane"}).status_code == 400
    assert client.get(_url(data, "results"), {"version": "9"}).status_code == 400
    table = client.get(_url(data, "results_crosstab"), {"rows": "mode", "columns": "happy"})
    html = table.content.decode()
    assert table.status_code == 200 and "2 (66.7\u00a0%)" in html and "7 people answered" in html
    bad = client.get(_url(data, "results_crosstab"), {"rows": "mode", "columns": "words"})
    assert bad.status_code == 400 and "Only choice questions and scales" in bad.content.decode()


def test_anonymous_page_hides_small_groups(data: dict, english: None) -> None:
    client = _client(data["coordinator"])
    html = client.get(_url(data, "results", "anonymous")).content.decode()
    assert "fewer than 5" in html and "58.3\u00a0%" in html
    assert "Fewer than 5 answers: hidden to protect anonymity." in html  # km: 3 answers
    crossed = client.get(
        _url(data, "results_crosstab", "anonymous"), {"rows": "happy", "columns": "mode"}
    ).content.decode()
    assert "5 (100\u00a0%)" in crossed and "hidden to protect anonymity" in crossed
    texts = client.get(_url(data, "results_texts", "anonymous")).content.decode()
    assert "Merci à l’équipe" in texts and "April 1, 2027" in texts


def test_empty_state_for_a_network_survey(data: dict, english: None) -> None:
    url = reverse("surveys_network:results", args=[data["network"].slug, data["empty"].pk])
    page = _client(data["network_admin"]).get(url)
    assert page.status_code == 200 and "No answer yet" in page.content.decode()
    texts = reverse("surveys_network:results_texts", args=[data["network"].slug, data["empty"].pk])
    assert (
        "Nobody has written a text yet."
        in _client(data["network_admin"]).get(texts).content.decode()
    )


def test_texts_search_and_tags(data: dict, english: None) -> None:
    client = _client(data["coordinator"])
    url = _url(data, "results_texts")
    page = client.get(url).content.decode()
    assert "Alice Martin" in page and "Trottinette" in page  # not anonymous: who wrote it
    found = client.get(url, {"q": "cafe"}).content.decode()  # accents and case ignored
    assert "Le café est très bon" in found and "Plus de VÉLOS" not in found
    assert "Plus de VÉLOS" in client.get(url, {"q": "velos"}).content.decode()
    texts = list(
        data["survey"]
        .responses.filter(answers__question="words")
        .values_list("answers__pk", flat=True)
    )
    with transaction.atomic():
        done = client.post(url, {"answers": texts, "name": "  transport "})
        assert done.status_code == 302
        tag = Tag.objects.get(survey=data["survey"])
        assert tag.name == "transport" and tag.answers.count() == 2
        tagged = client.get(url, {"tag": "transport"}).content.decode()
        assert "Le café est très bon" in tagged and "Trottinette" not in tagged
        refused = client.post(url, {"answers": texts, "name": ""})
        assert refused.status_code == 422
        assert client.post(url, {"untag": f"{texts[0]}:{tag.pk}", "name": ""}).status_code == 302
        assert tag.answers.count() == 1
        assert client.post(url, {"untag": "x:y", "name": ""}).status_code == 422
        assert client.post(url, {"untag": f"{texts[1]}:{tag.pk}", "name": ""}).status_code == 302
        assert not Tag.objects.filter(pk=tag.pk).exists()  # on no answer any more: removed
        transaction.set_rollback(True)


def test_tag_refuses_another_surveys_answers(data: dict, english: None) -> None:
    client = _client(data["coordinator"])
    other = (
        data["anonymous"]
        .responses.filter(answers__question="words")
        .values_list("answers__pk", flat=True)
    )
    page = client.post(_url(data, "results_texts"), {"answers": list(other), "name": "x"})
    assert page.status_code == 422 and not Tag.objects.exists()


@pytest.mark.parametrize("name", ["results", "results_crosstab", "results_texts"])
def test_access(data: dict, name: str) -> None:
    assert _client(data["member"]).get(_url(data, name)).status_code == 403
    other = reverse(f"surveys_manage:{name}", args=[data["other_place"].slug, data["survey"].pk])
    assert _client(data["other_coordinator"]).get(other).status_code == 404
    assert Client().get(_url(data, name)).status_code == 302  # to the login page
