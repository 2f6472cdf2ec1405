"""The yearly report's content on a small fixture: the three versions (team, funder, public),
private evidence and private figures kept where they belong, the draft for the team only,
the count of verdicts, the commitments' progress, the timeline, the method and the
territory's partner and similar places."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tierslieux.accounts.models import Organisation
from tierslieux.impact import report as reports
from tierslieux.impact.report import PRIVATE_INDICATORS, build_report
from tierslieux.impact.tests import report_factories as rf
from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as pf

YEAR = 2025
PRIVATE_QUOTE = "Je n'ai pas donné mon accord."
PUBLIC_QUOTE = "Ici j'ai retrouvé du travail."


@pytest.fixture
def year(place, coordinator):
    assessment = rf.assessment(place, YEAR, by=coordinator)
    rf.testimony(place, PUBLIC_QUOTE, public=True, said_on=date(YEAR, 3, 1), impact="local_sectors")
    rf.testimony(
        place, PRIVATE_QUOTE, public=False, said_on=date(YEAR, 4, 1), impact="local_sectors"
    )
    rf.testimony(
        place, "L'an passé.", public=True, said_on=date(YEAR - 1, 4, 1), impact="local_sectors"
    )
    rf.story(
        place, "Récit public", public=True, told_on=date(YEAR, 5, 1), impacts=["peer_learning"]
    )
    rf.story(
        place, "Récit privé", public=False, told_on=date(YEAR, 6, 1), impacts=["peer_learning"]
    )
    return assessment


def _quotes(report) -> list[str]:
    return [t.quote for s in report.impacts for t in s.testimonies]


def _figure_keys(report) -> set[str]:
    return {
        f.key
        for f in [
            *report.key_figures,
            *report.other_figures,
            *(f for s in report.impacts for f in s.figures),
        ]
    }


def test_the_count_of_verdicts_and_the_overrides(place, year) -> None:
    report = build_report(place, YEAR, public=False)
    assert report.available and not report.draft
    assert report.counts == reports.Counts(yes=4, no=1, not_observed=3, undecided=0)
    assert [s.key for s in report.impacts][:2] == ["non_programmed_city", "trusted_third_party"]
    peer = next(s for s in report.impacts if s.key == "peer_learning")
    assert (peer.verdict, peer.overridden, peer.suggested_label) == ("yes", True, "Non observé")
    overrides = {title: reason for title, _v, _s, reason in report.method.overrides}
    assert len(overrides) == 2
    assert "Des ateliers entre pairs chaque semaine." in overrides.values()


def test_private_evidence_is_the_teams_only(place, year) -> None:
    team = build_report(place, YEAR, public=False, team=True)
    assert PRIVATE_QUOTE in _quotes(team) and PUBLIC_QUOTE in _quotes(team)
    assert next(t for s in team.impacts for t in s.testimonies if t.quote == PRIVATE_QUOTE).private
    peer = next(s for s in team.impacts if s.key == "peer_learning")
    assert {(st.title, st.private) for st in peer.stories} == {
        ("Récit public", False),
        ("Récit privé", True),
    }
    assert "L'an passé." not in _quotes(team)  # another year
    year.public = True
    year.save()
    for other in (build_report(place, YEAR, public=False), build_report(place, YEAR, public=True)):
        assert _quotes(other) == [PUBLIC_QUOTE]
        peer = next(s for s in other.impacts if s.key == "peer_learning")
        assert [st.title for st in peer.stories] == ["Récit public"]
        assert other.lead_testimony is not None and other.lead_testimony.quote == PUBLIC_QUOTE


def test_the_public_version_hides_the_money(place, year) -> None:
    assert not build_report(place, YEAR, public=True).available  # not made public
    year.public = True
    year.save()
    funder = build_report(place, YEAR, public=False)
    public = build_report(place, YEAR, public=True)
    assert {"revenue_total", "revenue_mix", "public_funding_share"} <= _figure_keys(funder)
    assert not PRIVATE_INDICATORS & _figure_keys(public)
    assert "revenue_mix" in funder.charts and "revenue_mix" not in public.charts
    assert "modal_split" in public.charts
    assert funder.method.confirmed_by and not public.method.confirmed_by
    assert not any("billing" in source for source in public.method.sources)


def test_a_draft_is_a_preview_for_the_team_only(place, clock) -> None:
    clock.set(date(YEAR + 1, 1, 10))
    rf.assessment(place, YEAR, confirmed=False)
    team = build_report(place, YEAR, public=False, team=True)
    assert team.available and team.draft
    assert team.counts == reports.Counts(0, 0, 0, 8)
    assert {s.verdict_label for s in team.impacts} == {"À décider"}
    assert team.impacts[0].figures  # computed today, not frozen
    assert not build_report(place, YEAR, public=False).available
    assert not build_report(place, YEAR, public=True).available
    assert not build_report(place, YEAR + 1, public=False, team=True).available


def test_figures_keep_their_method_or_say_they_have_none(place, year) -> None:
    report = build_report(place, YEAR, public=False)
    figures = {
        f.key: f for f in [*report.other_figures, *(f for s in report.impacts for f in s.figures)]
    }
    assert not figures["retired_indicator"].has_method
    assert figures["participants"].text == "1\xa0234"
    assert figures["participants"].definition and figures["participants"].limits
    assert (
        figures["satisfaction_mean"].text == "4,3\xa0/\xa05"
        and figures["satisfaction_mean"].basis == 25
    )
    footfall = figures["footfall"]
    assert not footfall.recorded and footfall.reason
    mix = figures["revenue_mix"].parts
    assert [label for label, _t, _n in mix] == [
        "Adhésions et abonnements",
        "Prestations de services",
    ]
    assert [f.key for f in report.key_figures] == [
        "unique_users",
        "events_held",
        "participants",
        "satisfaction_mean",
        "revenue_total",
    ]


def test_commitments_progress_and_the_timeline(place, year) -> None:
    rf.commitments(place, date(YEAR - 1, 6, 1), {"openness": 1, "territory": 2})
    rf.commitments(place, date(YEAR, 6, 1), {"openness": 3, "territory": 2, "accessibility": 1})
    rf.commitments(place, date(YEAR + 1, 3, 1), {"openness": 4})  # after the year: not shown
    rf.milestone(place, date(2019, 9, 1), "Ouverture", rf.Milestone.Kind.OPENING)
    rf.milestone(place, date(YEAR + 1, 2, 1), "Plus tard")
    report = build_report(place, YEAR, public=False)
    rows = {c.title: (c.level, c.previous, c.progress) for c in report.commitments}
    assert report.commitments_on == date(YEAR, 6, 1)
    assert report.commitments_before == date(YEAR - 1, 6, 1)
    assert sorted(rows.values(), key=str) == sorted(
        [(3, 1, 2), (2, 2, 0), (1, None, None)], key=str
    )
    assert "commitments" in report.charts
    assert [m.title for m in report.timeline] == ["Ouverture"]


def test_the_territory_lists_partners_and_similar_places(place, year) -> None:
    place.latitude, place.longitude = Decimal("43.184000"), Decimal("3.004000")  # Narbonne
    place.save()
    org = Organisation.objects.create(name="Coop Voisine")
    PlaceRole.objects.create(
        place=place, organisation=org, role=PlaceRole.Role.RESIDENT_ORGANISATION
    )
    partner = pf.place(
        name="Partenaire",
        categories=("fablab",),
        latitude=Decimal("43.2"),
        longitude=Decimal("3.1"),
    )
    PlaceRole.objects.create(place=partner, organisation=org, role=PlaceRole.Role.MEMBER)
    pf.place(name="Semblable", latitude=Decimal("43.1"), longitude=Decimal("2.95"))  # coworking
    pf.place(
        name="Sans lien",
        categories=("fablab",),
        latitude=Decimal("43.19"),
        longitude=Decimal("3.0"),
    )
    pf.place(name="Trop loin", latitude=Decimal("43.6"), longitude=Decimal("3.9"))  # Montpellier
    report = build_report(place, YEAR, public=False)
    listed = [(n.place.name, n.place.partners, n.place.kinds) for n in report.territory.neighbours]
    assert listed == [("Partenaire", ("Coop Voisine",), ()), ("Semblable", (), ("Coworking",))]
    assert "territory" in report.charts and "/places/" in str(report.charts["territory"])


def test_no_coordinates_no_map(place, year) -> None:
    report = build_report(place, YEAR, public=False)
    assert not report.territory.located and "territory" not in report.charts
