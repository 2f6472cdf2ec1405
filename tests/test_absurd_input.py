"""Absurd input never crashes a page: every field of every form of the back office, as the
place's coordinator, gets values no person should type (a number beyond any float, thirty
nines and their negative, -1, the years 1 and 9999, a control character), one field at a
time; every answer is a page with a message (200, 302 or 422), never a 500.

The forms are discovered from the pages themselves (the URLs of the access walk, GET as the
owner, then each `<form method="post">` with its inputs as the page fills them), so a form
added later is walked too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.db import transaction
from django.test import Client

from tests.test_access_walk import fill, furnished_target, manage_patterns

ABSURD = ["1e309", "9" * 30, "-" + "9" * 30, "-1", "0001-01-01", "9999-12-31", "a\x00b"]
SKIPPED_TYPES = {"hidden", "submit", "button", "checkbox", "radio", "file", "reset"}


class Forms(HTMLParser):
    """The post forms of a page: their action and their fields as the page fills them."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []
        self._form: dict | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list) -> None:
        a = {k: (v or "") for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action", ""), "data": {}, "fields": []}
            self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            return
        name = a["name"]
        if tag == "input":
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio"):
                if "checked" in a:
                    self._form["data"][name] = a.get("value", "on")
                return
            self._form["data"].setdefault(name, a.get("value", ""))
            if kind not in SKIPPED_TYPES:
                self._form["fields"].append(name)
        elif tag == "select":
            self._select = name
            self._form["data"].setdefault(name, "")
        elif tag == "option" and self._select is not None:
            if "selected" in a or not self._form["data"].get(self._select):
                self._form["data"][self._select] = a.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self._form["data"].setdefault(name, "")
            self._form["fields"].append(name)

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea is not None:
            self._form["data"][self._textarea] += data


@pytest.fixture(scope="module")
def target(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        yield furnished_target()
        transaction.set_rollback(True)


def test_no_field_of_the_back_office_crashes_on_absurd_input(target, monkeypatch):
    # The walk reads status codes only: the test client's copy of every template context
    # (for `response.context`) was two thirds of its time.
    monkeypatch.setattr("django.test.client.store_rendered_templates", lambda *a, **k: None)
    client = Client(raise_request_exception=False)
    client.force_login(target["owner"])
    crashes, walked = [], 0
    for route in manage_patterns():
        url = fill(route, target["values"])
        page = client.get(url)
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(page.content.decode())
        for form in parser.forms:
            action = form["action"] or url
            if re.search(r"delete|remove|revoke|archive|logout", action):
                continue
            for field in form["fields"]:
                for value in ABSURD:
                    walked += 1
                    response = client.post(action, {**form["data"], field: value})
                    if response.status_code >= 500:
                        crashes.append((action, field, value))
    assert walked > 200, walked  # the walk found the forms
    assert crashes == [], "\n".join(map(repr, crashes))
