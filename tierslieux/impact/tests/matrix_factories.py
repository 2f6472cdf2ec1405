"""Yearly assessments written straight to the database for the matrix's tests (the assessment's
services are another part of the app): a confirmed or draft `YearAssessment` with its
judgements, and a testimony."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from tierslieux.impact import figures
from tierslieux.impact.indicator_defs import Value
from tierslieux.impact.models import Judgement, Testimony, YearAssessment
from tierslieux.places.models import Place

CONFIRMED_AT = datetime(2026, 1, 20, 10, 0, tzinfo=ZoneInfo("Europe/Paris"))


def assessment(
    place: Place,
    year: int,
    verdicts: Mapping[str, str | tuple[str, Sequence[str]]],
    *,
    confirmed: bool = True,
    public: bool = False,
    values: Mapping[str, Value] | None = None,
    method: str = "Atelier de l'équipe et des résidents, janvier.",
    notes: Mapping[str, str] | None = None,
) -> YearAssessment:
    """An assessment with a judgement per impact key: a verdict, or (verdict, axis keys); a
    verdict "" leaves the impact undecided. The suggestion is the verdict (no reason needed)."""
    made = YearAssessment.objects.create(
        place=place,
        year=year,
        method=method,
        public=public and confirmed,
        figures=figures.freeze(values or {}) if confirmed else {},
        confirmed_at=CONFIRMED_AT if confirmed else None,
    )
    rows = []
    for key, given in verdicts.items():
        verdict, axes = (given, ()) if isinstance(given, str) else given
        rows.append(
            Judgement(
                assessment=made,
                impact_key=key,
                suggested=verdict or "not_observed",
                verdict=verdict,
                axis_keys=list(axes),
                note=(notes or {}).get(key, ""),
                decided_at=CONFIRMED_AT if verdict else None,
            )
        )
    Judgement.objects.bulk_create(rows)
    return made


def testimony(place: Place, impact_key: str, quote: str, *, public: bool, **fields: Any) -> Testimony:
    """A testimony, published (consent and public) or kept private (no consent)."""
    fields.setdefault("author_role", "Habitante du quartier")
    fields.setdefault("said_on", date(2025, 6, 12))
    return Testimony.objects.create(
        place=place,
        impact_key=impact_key,
        quote=quote,
        consent=public,
        consent_how="Par écrit" if public else "",
        public=public,
        **fields,
    )
