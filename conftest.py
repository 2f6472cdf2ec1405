"""Shared pytest setup: every test gets the database; personas come from factories."""

import pytest


@pytest.fixture(autouse=True)
def _db(db):
    """All tests here touch the database; say it once."""


@pytest.fixture(autouse=True)
def _french_by_default(settings):
    settings.LANGUAGE_CODE = "fr"
