"""Yearly assessments written straight to the database for the matrix's tests (the assessment's
services are another part of the app): a confirmed or draft `YearAssessment` with its
judgements, and a testimony."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from tierslieux.activity.models import DailyCount
from tierslieux.impact import figures
from tierslieux.impact.indicator_defs import Value
from tierslieux.impact.models import Judgement, Testimony, YearAssessment
from tierslieux.places.models import NetworkMembership, Place
from tierslieux.places.tests import factories as pf

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


def testimony(
    place: Place, impact_key: str, quote: str, *, public: bool, **fields: Any
) -> Testimony:
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


KEYS = (
    "non_programmed_city",
    "trusted_third_party",
    "peer_learning",
    "local_sectors",
    "ecological_transition",
    "breaking_silos",
    "unlikely_connections",
    "pride_and_influence",
)
YES, NO, NOB = "yes", "no", "not_observed"
PUBLIC_QUOTE = "Ici on apprend des autres, et on transmet à son tour."
PRIVATE_QUOTE = "Je ne veux pas que mon nom circule, mais ce lieu m'a sauvé."


def small_network() -> dict[str, Any]:
    """The matrix tests' network (counts worked out by hand in `test_matrix`): Épicerie and
    Bliida confirmed for 2025, la Coopérative's a draft, Zèbre's is for 2024 (and it counted
    80 people in March 2025); Ailleurs, of another network, counted in this one's census."""
    network = pf.network(name="Réseau des Hauts", slug="hauts")
    epicerie = pf.place(network=network, name="Épicerie des Tanneurs", slug="epicerie")
    bliida = pf.place(network=network, name="Bliida", slug="bliida")
    coop = pf.place(network=network, name="la Coopérative", slug="coop")
    zebre = pf.place(network=network, name="Zèbre", slug="zebre")
    verdicts_e = dict(zip(KEYS, (YES, NO, YES, NOB, NO, YES, YES, NO), strict=True))
    verdicts_e["peer_learning"] = (YES, ["peer_to_peer", "common_spaces"])
    assessment(
        epicerie,
        2025,
        verdicts_e,
        public=True,
        values={"footfall": Value(1200, basis=200), "occupancy": Value(Decimal("45.5"))},
        notes={"peer_learning": "Des ateliers chaque mardi."},
    )
    # Bliida: ecological transition undecided, pride not judged at all.
    verdicts_b = dict(zip(KEYS[:7], (NO, YES, YES, YES, "", NOB, YES), strict=True))
    assessment(bliida, 2025, verdicts_b, values={"occupancy": Value(Decimal("60"))})
    assessment(coop, 2025, dict.fromkeys(KEYS, YES), confirmed=False)  # a draft
    assessment(zebre, 2024, dict.fromkeys(KEYS, YES))  # another year
    DailyCount.objects.bulk_create(
        DailyCount(place=zebre, day=date(2025, 3, d), count=n) for d, n in ((3, 30), (4, 50))
    )
    elsewhere = pf.place(name="Ailleurs", slug="ailleurs")  # another network
    assessment(elsewhere, 2025, dict.fromkeys(KEYS, YES))
    NetworkMembership.objects.create(network=network, place=elsewhere, source="team")
    testimony(epicerie, "peer_learning", PUBLIC_QUOTE, public=True)
    testimony(epicerie, "peer_learning", PRIVATE_QUOTE, public=False)
    return {"network": network, "elsewhere": elsewhere, "epicerie": epicerie}
