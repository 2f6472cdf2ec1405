"""Rows for the report's tests, written with the ORM (a test factory may): a year's
assessment with its judgements and frozen figures, evidence, commitments and milestones.
The assessment's own services are another module's; these only lay the rows down."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from tierslieux.impact import figures
from tierslieux.impact.indicator_defs import Value, missing
from tierslieux.impact.models import (
    CommitmentAssessment,
    CommitmentScore,
    Judgement,
    Milestone,
    Story,
    Testimony,
    Verdict,
    YearAssessment,
)
from tierslieux.places.models import Place

YES, NO, NOT_OBSERVED = Verdict.YES, Verdict.NO, Verdict.NOT_OBSERVED

# impact key: (suggested, verdict, reason) — two overrides, one of them with its reason.
VERDICTS: dict[str, tuple[str, str, str]] = {
    "non_programmed_city": (YES, YES, ""),
    "trusted_third_party": (YES, YES, ""),
    "peer_learning": (NOT_OBSERVED, YES, "Des ateliers entre pairs chaque semaine."),
    "local_sectors": (YES, YES, ""),
    "ecological_transition": (NO, NO, ""),
    "breaking_silos": (NOT_OBSERVED, NOT_OBSERVED, ""),
    "unlikely_connections": (YES, NOT_OBSERVED, "Les liens restent à documenter."),
    "pride_and_influence": (NOT_OBSERVED, NOT_OBSERVED, ""),
}


def values() -> dict[str, Value]:
    """A year's figures: counts, money (private), a score, a split, one not recorded."""
    return {
        "participants": Value(1234),
        "events_held": Value(48),
        "unique_users": Value(321),
        "revenue_total": Value(Decimal("45678.50")),
        "revenue_mix": Value(
            {
                "memberships": {"amount": Decimal("30000.00"), "share": Decimal("65.7")},
                "services": {"amount": Decimal("15678.50"), "share": Decimal("34.3")},
                "partnerships": {"amount": Decimal("0"), "share": Decimal("0.0")},
                "side_activities": {"amount": Decimal("0"), "share": Decimal("0.0")},
            }
        ),
        "public_funding_share": Value(Decimal("12.5")),
        "satisfaction_mean": Value(Decimal("4.3"), basis=25),
        "modal_split": Value({"car": Decimal("40.0"), "bike": Decimal("60.0")}, basis=10),
        "footfall": missing("No day was counted in the period."),
        "retired_indicator": Value(7),  # frozen once, its definition since removed
    }


def assessment(
    place: Place,
    year: int,
    *,
    confirmed: bool = True,
    public: bool = False,
    verdicts: Mapping[str, tuple[str, str, str]] = VERDICTS,
    frozen: Mapping[str, Value] | None = None,
    method: str = "Réunion d'équipe du 15 janvier, avec deux membres.",
    by: Any = None,
) -> YearAssessment:
    row = YearAssessment.objects.create(
        place=place,
        year=year,
        method=method,
        public=public,
        figures=figures.freeze(frozen if frozen is not None else values()) if confirmed else {},
        confirmed_at=datetime(year + 1, 1, 20, 10, 0).astimezone() if confirmed else None,
        confirmed_by=by if confirmed else None,
    )
    Judgement.objects.bulk_create(
        Judgement(
            assessment=row,
            impact_key=key,
            suggested=suggested,
            verdict=verdict if confirmed else "",
            reason=reason if confirmed else "",
            axis_keys=[],
            note=f"Note de l'équipe sur {key}.",
        )
        for key, (suggested, verdict, reason) in verdicts.items()
    )
    return row


def testimony(place: Place, quote: str, *, public: bool, said_on: date, impact: str) -> Testimony:
    return Testimony.objects.create(
        place=place,
        quote=quote,
        author_role="Habitante du quartier",
        said_on=said_on,
        consent=public,
        consent_how="Accord écrit" if public else "",
        public=public,
        impact_key=impact,
    )


def story(place: Place, title: str, *, public: bool, told_on: date, impacts: list[str]) -> Story:
    return Story.objects.create(
        place=place,
        title=title,
        text="Un récit.",
        told_on=told_on,
        impact_keys=impacts,
        consent=public,
        public=public,
    )


def commitments(place: Place, on: date, levels: Mapping[str, int]) -> CommitmentAssessment:
    row = CommitmentAssessment.objects.create(place=place, assessed_on=on)
    CommitmentScore.objects.bulk_create(
        CommitmentScore(assessment=row, commitment_key=key, level=level)
        for key, level in levels.items()
    )
    return row


def milestone(place: Place, on: date, title: str, kind: str = Milestone.Kind.OPENING) -> Milestone:
    return Milestone.objects.create(place=place, happened_on=on, kind=kind, title=title)
