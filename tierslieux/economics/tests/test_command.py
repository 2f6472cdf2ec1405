"""`tierslieux simulate`: the verdict and key figures printed, the SVG charts written, bad
input refused with its fields named and exit code 2."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.pure

EXAMPLE = Path(__file__).resolve().parents[3] / "docs" / "examples" / "micro-centre.toml"


def simulate(*args: str) -> str:
    out = StringIO()
    call_command("simulate", *args, "--draws", "500", stdout=out)
    return out.getvalue()


def test_the_example_prints_its_verdict_and_writes_three_charts(tmp_path: Path) -> None:
    text = simulate(str(EXAMPLE), "--out", str(tmp_path), "--language", "en")
    assert "verdict: FRAGILE" in text
    assert "Operating break-even: month 10 (October 2027)" in text
    assert "Public funding share: 17\u00a0%" in text
    assert "break-even within 24 months" in text
    for name in ("cash.svg", "mix.svg", "tornado.svg"):
        svg = (tmp_path / name).read_text(encoding="utf-8")
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
    assert "Cumulative cash" in (tmp_path / "cash.svg").read_text(encoding="utf-8")


def test_a_file_changes_the_template(tmp_path: Path) -> None:
    scenario = tmp_path / "rent.toml"
    scenario.write_text(
        'name = "Loyer cher"\n[[fixed_costs]]\ncategory = "rent"\nmonthly = 6000\n',
        encoding="utf-8",
    )
    text = simulate(str(scenario), "--template", "micro-centre:typical", "--language", "fr")
    assert "Loyer cher" in text
    assert "NE TIENT PAS" in text


def test_bad_input_names_its_fields_and_exits_with_2(tmp_path: Path) -> None:
    scenario = tmp_path / "bad.toml"
    scenario.write_text(
        'horizon = 60\nstart = "2027-01"\n'
        '[[revenue]]\nlabel = "Coworking"\nfamily = "memberships"\n'
        "capacity = 8\noccupancy = 130\nprice = -1\n"
        "[[loans]]\namount = 1000\nrate = 3\nmonths = 84\n",
        encoding="utf-8",
    )
    with pytest.raises(CommandError) as refused:
        simulate(str(scenario), "--language", "en")
    assert refused.value.returncode == 2
    message = str(refused.value)
    assert "3 error(s)" in message
    for path in ("revenue[0].occupancy", "revenue[0].price", "loans[0].months"):
        assert path in message


@pytest.mark.parametrize(
    ("content", "options", "expected"),
    [
        ("horizon = = 3", (), "not a TOML file"),
        ("horizon = nan\nstart = '2027-01'", (), "horizon: expected a whole number"),
        (None, ("--template", "micro-centre:moon"), "unknown template"),
        (None, (), "Give a scenario file or --template."),
    ],
)
def test_other_bad_input_exits_with_2(
    tmp_path: Path, content: str | None, options: tuple[str, ...], expected: str
) -> None:
    args = list(options)
    if content is not None:
        path = tmp_path / "s.toml"
        path.write_text(content, encoding="utf-8")
        args.insert(0, str(path))
    with pytest.raises(CommandError) as refused:
        simulate(*args, "--language", "en")
    assert refused.value.returncode == 2
    assert expected in str(refused.value)


def test_a_missing_file_exits_with_2(tmp_path: Path) -> None:
    with pytest.raises(CommandError) as refused:
        simulate(str(tmp_path / "nowhere.toml"), "--language", "en")
    assert refused.value.returncode == 2
    assert "cannot be read" in str(refused.value)


def test_the_example_is_the_typical_template() -> None:
    import tomllib

    from tierslieux.economics import scenario, templates_model

    example = scenario.parse(tomllib.loads(EXAMPLE.read_text(encoding="utf-8")))
    assert example == scenario.parse(templates_model.template("micro-centre:typical")[0])
