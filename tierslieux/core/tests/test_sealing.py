"""Sealed task arguments (`core.sealing`): unreadable at rest, opened by the instance's keys."""

from __future__ import annotations

import pytest

from tierslieux.core import sealing

SECRET_LINK = "https://tiers.example/join/invitation/Zx81-secret-token/"


def test_a_sealed_value_opens_back_and_shows_nothing_of_itself():
    value = {"to": ["ada@example.org"], "body": f"Votre lien : {SECRET_LINK}"}
    sealed = sealing.seal(value)
    assert sealing.unseal(sealed) == value
    for clue in ("ada", "example.org", "secret-token", "lien"):
        assert clue not in sealed


def test_a_rotated_key_still_opens_what_it_sealed(settings):
    sealed = sealing.seal(["before the rotation"])
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-brand-new-key-" + "x" * 50
    assert sealing.unseal(sealed) == ["before the rotation"]


def test_another_instance_or_an_altered_value_cannot_open_it(settings):
    sealed = sealing.seal("private")
    altered = sealed[:-6] + ("A" if sealed[-6] != "A" else "B") + sealed[-5:]
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(altered)
    settings.SECRET_KEY = "another-instance-" + "y" * 50
    with pytest.raises(sealing.Unreadable):
        sealing.unseal(sealed)
    with pytest.raises(sealing.Unreadable):
        sealing.unseal("é not even ascii")
