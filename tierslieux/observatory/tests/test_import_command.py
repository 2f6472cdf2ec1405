"""`tierslieux import_census`: the dry run prints what it would do and writes nothing;
--confirm imports; refusals end with a message and exit code 1."""

from __future__ import annotations

from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from tierslieux.observatory.tests import census_files as cf
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as pf


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def census(tmp_path: Any) -> Any:
    path = tmp_path / "bdftl-2026-01-fiche-identite.csv"
    path.write_bytes(cf.csv_bytes([cf.line(1), cf.line(2), cf.line(3, NOM="")]))
    return path


def _call(*args: str) -> str:
    out = StringIO()
    call_command("import_census", *args, stdout=out)
    return out.getvalue()


def test_a_dry_run_then_the_import(census: Any) -> None:
    network = pf.network(slug="hauts")
    admin = pf.network_admin(network)
    args = [str(census), "--network", "hauts", "--source", "bdtfl-2026", "--as", admin.email]
    printed = _call(*args)
    assert "create=2" in printed and "reject=1" in printed
    assert "line 4: name missing" in printed  # the header is line 1
    assert not Place.objects.exists()
    assert "Imported" in _call(*args, "--confirm")
    assert Place.objects.filter(network=network).count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"--network": "nowhere"}, "No network"),
        ({"--as": "nobody@example.org"}, "No user"),
        ({"--source": "unknown-source"}, "Unknown source"),
    ],
)
def test_refusals_end_with_a_message(census: Any, change: dict, message: str) -> None:
    network = pf.network(slug="hauts")
    options = {
        "--network": network.slug,
        "--source": "bdtfl-2026",
        "--as": pf.network_admin(network).email,
    }
    options.update(change)
    args = [str(census)] + [x for pair in options.items() for x in pair]
    with pytest.raises(CommandError, match=message):
        _call(*args)
    assert not Place.objects.exists()


def test_only_an_administrator_imports(census: Any) -> None:
    network = pf.network(slug="hauts")
    outsider = pf.user()
    with pytest.raises(CommandError, match="does not administer"):
        _call(str(census), "--network", "hauts", "--source", "bdtfl-2026", "--as", outsider.email)
    assert network.places.count() == 0
