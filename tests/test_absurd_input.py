"""Absurd input never crashes a page: every field of every form of the back office, as the
place's coordinator, gets values no person should type (a number beyond any float, thirty
nines and their negative, -1, the years 1 and 9999, a control character), one field at a
time; every answer is a page with a message (200, 302 or 422), never a 500.

The forms are discovered from the pages themselves (the URLs of the access walk, GET as the
owner, then each `<form method="post">` with its inputs as the page fills them), so a form
added later is walked too.

The values are picked by the form fields behind the input, seen as the page renders them.
Django's number and date fields refuse what they cannot parse before any code of the project
sees it, so one unparseable value (the control character) stands for all the others: a number
gets the numeric values, a date or a time the years 1 and 9999 and two that parse as none.
A text field of Django's kinds that no code of the project reads (no `clean_<name>`, no
`clean()` of its form or model, no validator of the project's) takes every word alike: it
gets the control character and an over-long string. Every other input (the project's own
kinds of field, a text field the project checks, an input no form field rendered) gets every
value and the over-long string.

The walk runs in the PostgreSQL pass only: PostgreSQL is the stricter engine (it refuses a NUL
character in a text, where SQLite stores it), so what passes there passes on SQLite, and the
walk is one of the suite's longest tests.
"""

from __future__ import annotations

import contextlib
import re
from html.parser import HTMLParser

import pytest
from django import forms
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.forms.boundfield import BoundField
from django.test import Client

from tests.test_access_walk import fill, furnished_target, manage_patterns

ABSURD = ["1e309", "9" * 30, "-" + "9" * 30, "-1", "0001-01-01", "9999-12-31", "a\x00b"]
pytestmark = pytest.mark.postgres_only
SKIPPED_TYPES = {"hidden", "submit", "button", "checkbox", "radio", "file", "reset"}
LONG = "x" * 5_000
# Django's own parsing fields: a value they cannot parse never reaches the project's code (the
# field refuses it before any `clean` method sees it), so one such value stands for them all.
NUMBER_FIELDS = {forms.IntegerField, forms.DecimalField, forms.FloatField}
NUMBERS = ["1e309", "9" * 30, "-" + "9" * 30, "-1", "a\x00b"]
DATE_FIELDS = {forms.DateField, forms.TimeField, forms.DateTimeField}
DATES = ["0001-01-01", "9999-12-31", "9" * 30, "a\x00b"]
# Django's own text fields take any word alike, unless the project's code reads them.
TEXT_FIELDS = {forms.CharField, forms.EmailField, forms.URLField, forms.SlugField}
TEXT = ["a\x00b", LONG]


def _own(thing: object) -> bool:
    """Whether a method or a validator is the project's (not Django's)."""
    return not getattr(thing, "__module__", "django").startswith("django.")


def _plain_text(bound: BoundField) -> bool:
    """Whether no code of the project reads this text field: no `clean_<name>`, no `clean()`
    of its form or of its form's model, no validator of the project's."""
    form, name, field = bound.form, bound.name, bound.field
    if hasattr(form, f"clean_{name}") or _own(type(form).clean):
        return False
    validators = list(field.validators)
    model = getattr(getattr(form, "_meta", None), "model", None)
    if model is not None:
        if _own(model.clean):
            return False
        with contextlib.suppress(FieldDoesNotExist):
            validators += model._meta.get_field(name).validators
    return not any(_own(v) for v in validators)


def absurd(fields: list[BoundField]) -> list[str]:
    """The absurd values for an input, by the form fields its page rendered under its name:
    every one of them (and an over-long string) but where the field's kind says otherwise."""
    picked: set[str] = set()
    for bound in fields or [None]:
        kind = type(bound.field) if bound is not None else None
        if kind in NUMBER_FIELDS:
            picked.update(NUMBERS)
        elif kind in DATE_FIELDS:
            picked.update(DATES)
        elif kind in TEXT_FIELDS and bound is not None and _plain_text(bound):
            picked.update(TEXT)
        else:
            picked.update([*ABSURD, LONG])
    return [v for v in [*ABSURD, LONG] if v in picked]


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


def test_no_field_of_the_back_office_crashes_on_absurd_input(target, monkeypatch, plain_rendering):
    # The walk reads status codes only: Django's own rendering (see `plain_rendering`).
    # The form fields behind the inputs, by name, as the GET of each page renders them.
    rendered: dict[str, list[BoundField]] | None = None
    as_widget = BoundField.as_widget

    def seen(bound: BoundField, *args, **kwargs):
        if rendered is not None:
            rendered.setdefault(bound.html_name, []).append(bound)
        return as_widget(bound, *args, **kwargs)

    monkeypatch.setattr(BoundField, "as_widget", seen)
    client = Client(raise_request_exception=False)
    client.force_login(target["owner"])
    wrong, walked = [], 0
    for route in manage_patterns():
        url = fill(route, target["values"])
        rendered = fields = {}
        page = client.get(url)
        rendered = None
        if page.status_code != 200 or "html" not in page.get("Content-Type", ""):
            continue
        parser = Forms()
        parser.feed(page.content.decode())
        for form in parser.forms:
            action = form["action"] or url
            if re.search(r"delete|remove|revoke|archive|logout", action):
                continue
            for field in form["fields"]:
                for value in absurd(fields.get(field, [])):
                    walked += 1
                    response = client.post(action, {**form["data"], field: value})
                    if response.status_code not in (200, 302, 422):  # a 500 above all
                        wrong.append((response.status_code, action, field, value[:40]))
    assert walked > 200, walked  # the walk found the forms
    assert wrong == [], "\n".join(map(repr, wrong))
