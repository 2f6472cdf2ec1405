"""The server-side SVG charts: valid XML, one bar or slice per value, accessible titles."""

from decimal import Decimal
from xml.etree import ElementTree

import pytest
from django.utils import translation

from tierslieux.observatory import charts
from tierslieux.observatory.statistics import departement, median

pytestmark = pytest.mark.pure
SVG = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ElementTree.Element:
    return ElementTree.fromstring(markup)


def test_bar_chart_is_valid_svg_with_a_bar_per_value_longest_for_the_largest() -> None:
    with translation.override("fr"):
        svg = _parse(
            charts.bar_chart("Lieux <par> catégorie", [("Coworking", 1200), ("Fablab", 600)])
        )
    assert svg.tag == f"{SVG}svg"
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Lieux <par> catégorie"
    rects = svg.findall(f".//{SVG}g/{SVG}rect")
    assert len(rects) == 2
    assert float(rects[0].get("width")) == pytest.approx(2 * float(rects[1].get("width")))
    titles = [g.find(f"{SVG}title").text for g in svg.findall(f"{SVG}g")]
    assert titles == ["Coworking\u00a0: 1\u00a0200", "Fablab\u00a0: 600"]
    assert svg.find(f"{SVG}desc").text == "Coworking\u00a0: 1\u00a0200; Fablab\u00a0: 600"


def test_bar_chart_in_english_and_with_nothing_to_draw() -> None:
    with translation.override("en"):
        svg = _parse(charts.bar_chart("Places", [("Rural", Decimal("12.5"))]))
        empty = _parse(charts.bar_chart("Nothing", []))
    assert svg.find(f".//{SVG}g/{SVG}title").text == "Rural: 12.5"
    assert empty.findall(f".//{SVG}rect") == []


def test_donut_slices_share_the_circle() -> None:
    with translation.override("en"):
        svg = _parse(charts.donut_chart("Status", [("Open", 3), ("In project", 1)]))
    slices = svg.findall(f"{SVG}circle[@class='slice']")
    assert len(slices) == 2
    lengths = [float(s.get("stroke-dasharray").split()[0]) for s in slices]
    assert lengths[0] == pytest.approx(3 * lengths[1], rel=1e-3)
    assert slices[0].find(f"{SVG}title").text == "Open: 3 (75\u00a0%)"


def test_labels_are_escaped() -> None:
    markup = charts.bar_chart("<script>", [("a & b <i>", 1)])
    assert "<script>" not in markup
    assert _parse(markup).find(f".//{SVG}g/{SVG}title").text.startswith("a & b <i>")


@pytest.mark.parametrize(
    ("postcode", "country", "code"),
    [
        ("59000", "FR", "59"),
        ("01000", "FR", "01"),
        ("20000", "FR", "2A"),
        ("20167", "FR", "2A"),
        ("20200", "FR", "2B"),
        ("20600", "FR", "2B"),
        ("97400", "FR", "974"),
        ("97100", "FR", "971"),
        ("97600", "FR", "976"),
        ("1000", "BE", "BE"),
        ("08001", "ES", "ES"),
        ("", "FR", ""),
        ("ABCDE", "FR", ""),
    ],
)
def test_departement_from_the_postcode(postcode: str, country: str, code: str) -> None:
    assert departement(postcode, country) == code


def test_median_of_a_histogram() -> None:
    assert median([(100, 1), (300, 1), (200, 1), (500, 1)]) == Decimal("250.0")
    assert median([(1, 2), (5, 1)]) == Decimal("1.0")
    assert median([]) is None
