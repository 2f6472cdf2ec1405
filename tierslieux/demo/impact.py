"""The demo's impact: the Mille Lieux study's own findings on its eight places, written
through the impact services as each place's coordinator would.

- Testimonies: words the study quotes (seed `002`), published there, hence with consent.
- The timeline: each place's opening (its sheet's date).
- The yearly assessment of the year holding most of the demo's records: the study's recap
  table (« Récapitulatif »), each verdict confirmed with the axes the study observed at the
  place. Where the suggestion computed from the demo's records differs, the verdict is the
  study's and says so: that is what the override and its reason are for.
- The micro-centre assesses its commitments twice, six months apart, so progress shows.

A place that has its impact records already is left as it is (the demo writes once).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from tierslieux.accounts.models import User
from tierslieux.core import clock
from tierslieux.demo.events import coordinator_of
from tierslieux.impact import framework_defaults, services, services_assessment, services_report
from tierslieux.impact.models import CommitmentAssessment, Milestone, Testimony, YearAssessment
from tierslieux.places.models import Place

STUDY = "Entretien publié dans l'étude Mille Lieux"
METHOD = (
    "Verdicts repris du récapitulatif de l'étude Mille Lieux : visite du lieu et entretiens "
    "avec l'équipe, les résidents et les partenaires, confrontés aux chiffres que le lieu "
    "enregistre dans tierslieux."
)
STUDY_REASON = (
    "Verdict de l'étude Mille Lieux, établi sur place par entretiens : les chiffres "
    "enregistrés ne couvrent pas tout ce que l'étude a observé."
)

# The study's « Récapitulatif », as printed: one row per impact in the framework's order, one
# column per place in the study's order (y: oui, n: non, o: non observé).
STUDY_ORDER = (
    "espace-kenere-pontivy",
    "la-quincaillerie-gueret",
    "les-riverains-auxerre",
    "bliiida-metz",
    "iness-narbonne",
    "c-mine-genk",
    "coboi-sant-boi",
    "terralab-arles",
)
RECAP_ROWS = (
    "nyyynoyy",  # de nouvelles manières de faire la ville
    "nyyoyono",  # un rôle de tiers de confiance
    "yyyyynoy",  # de nouveaux lieux d'apprentissage
    "nnnyyyyo",  # un soutien de filières locales
    "onyooooy",  # des avancées en matière de transition écologique
    "nyyyynyy",  # un décloisonnement des rôles et des silos
    "yyyyyoyy",  # des connexions entre acteurs
    "nyyyyyno",  # un motif de fierté des habitants
)
VERDICTS = {"y": "yes", "n": "no", "o": "not_observed"}
# The study's names of the places in its axes' examples.
NAMES: dict[str, tuple[str, ...]] = {
    "espace-kenere-pontivy": ("Kenere",),
    "la-quincaillerie-gueret": ("Quincaillerie",),
    "les-riverains-auxerre": ("Riverains",),
    "bliiida-metz": ("Bliida", "Bliiida"),
    "iness-narbonne": ("IN'ESS",),
    "c-mine-genk": ("C-mine",),
    "coboi-sant-boi": ("Coboï",),
    "terralab-arles": ("TerraLab",),
}

# (place, impact, author's role, month, quote), quoted from the study; the demo dates them in
# the year it assesses.
TESTIMONIES: list[tuple[str, str, str, int, str]] = [
    (
        "iness-narbonne",
        "trusted_third_party",
        "Secrétaire d'accueil d'IN'ESS",
        4,
        "Tous ces sigles, c'est incompréhensible pour nos publics. J'aime que ça soit plus "
        "signifiant, qu'on utilise des mots que tout le monde peut comprendre, donc "
        "j'explique.",
    ),
    (
        "iness-narbonne",
        "breaking_silos",
        "Directeur de la pépinière Nucleum",
        4,
        "Dans l'équipe de direction d'IN'ESS il y a une vraie dynamique, elles sont très "
        "agiles même un peu barrées. On peut donner des idées, elles les retiennent !",
    ),
    (
        "les-riverains-auxerre",
        "unlikely_connections",
        "Fondateur des Riverains",
        5,
        "Avant l'arrivée du tiers-lieu, le monde associatif ne rencontrait pas le monde "
        "professionnel et entrepreneur.",
    ),
    (
        "la-quincaillerie-gueret",
        "pride_and_influence",
        "Cofondateur de la Quincaillerie",
        3,
        "Il y a pas de marketing territorial ici. Le problème des creusois, c'est qu'ils ont "
        "souvent honte de leur département et ils sont défaitistes.",
    ),
    (
        "bliiida-metz",
        "peer_learning",
        "Animateur du fablab",
        6,
        "Un Fablab, ce n'est pas que des machines, mais aussi une matière humaine et un "
        "contact. L'espace multimédia fait toujours salle comble.",
    ),
    (
        "coboi-sant-boi",
        "non_programmed_city",
        "Directeur de Coboï",
        7,
        "L'ADN de Coboï, c'est d'être un centre de services pour la ville et l'entreprise.",
    ),
]

# The micro-centre's two self-assessments: (months ago, {commitment: level}).
COMMITMENTS: list[tuple[int, dict[str, int]]] = [
    (8, {"openness": 2, "territory": 1, "accessibility": 2, "user_centred": 1}),
    (2, {"openness": 3, "territory": 2, "accessibility": 2, "user_centred": 2, "open_model": 1}),
]


def observed_axes(slug: str) -> dict[str, list[str]]:
    """{impact key: the axes the study observed at this place}, from the axes' examples."""
    names = NAMES.get(slug, ())
    return {
        impact.key: [a.key for a in impact.axes if any(n in a.example for n in names)]
        for impact in framework_defaults.IMPACTS
    }


def _evidence(actor: User, place: Place) -> int:
    written = 0
    for slug, impact_key, role, month, quote in TESTIMONIES:
        if slug != place.slug:
            continue
        services.save_testimony(
            actor,
            place,
            {
                "quote": quote,
                "author_role": role,
                "said_on": _said_on(month),
                "consent": True,
                "consent_how": STUDY,
                "public": True,
                "impact_key": impact_key,
            },
        )
        written += 1
    if place.opening_date:
        services.save_milestone(
            actor,
            place,
            {
                "happened_on": place.opening_date,
                "kind": Milestone.Kind.OPENING,
                "title": "Ouverture du lieu",
                "text": "",
            },
        )
        written += 1
    return written


def _commitments(actor: User, place: Place) -> None:
    today = place.today()
    for months, levels in COMMITMENTS:
        scores: dict[str, tuple[int, list[str]]] = {k: (v, []) for k, v in levels.items()}
        services.record_assessment(actor, place, today - timedelta(days=30 * months), scores)


# The place whose report the demo publishes (its public page is then there to see).
PUBLISHED = "la-quincaillerie-gueret"


def _assess(actor: User, place: Place, year: int) -> None:
    """The study's verdicts for the year, confirmed; where the suggestion differs, the
    study's verdict stands with its reason."""
    verdicts, axes = recap_verdicts(place.slug), observed_axes(place.slug)
    assessment = services_assessment.open_assessment(actor, place, year)
    for judgement in assessment.judgements.all():
        verdict = verdicts.get(judgement.impact_key, judgement.suggested)
        services_assessment.decide(
            actor,
            judgement,
            verdict,
            reason="" if verdict == judgement.suggested else STUDY_REASON,
            axis_keys=axes.get(judgement.impact_key, []) if verdict == "yes" else [],
        )
    assessment = services_assessment.confirm(actor, assessment, METHOD)
    if place.slug == PUBLISHED:
        services_report.set_public(actor, assessment, True)


def load_impact(places: dict[str, Place], micro_slug: str) -> int:
    """The demo's impact records; how many testimonies and milestones were written."""
    written = 0
    for place in places.values():
        actor = coordinator_of(place)
        done = Testimony.objects.filter(place=place).exists()
        if actor is None or done or Milestone.objects.filter(place=place).exists():
            continue
        written += _evidence(actor, place)
        year = assessed_year()
        if place.slug in STUDY_ORDER and not YearAssessment.objects.filter(place=place).exists():
            _assess(actor, place, year)
    micro = places.get(micro_slug)
    actor = coordinator_of(micro) if micro is not None else None
    if micro and actor and not CommitmentAssessment.objects.filter(place=micro).exists():
        _commitments(actor, micro)
        # The micro-centre's team has the year's assessment to do: a draft, suggested.
        services_assessment.open_assessment(actor, micro, assessed_year())
    return written


def assessed_year() -> int:
    """The year the demo assesses: the one holding most of its twelve months of records (the
    current year from July, else the last one)."""
    today = clock.today()
    return today.year if today.month >= 7 else today.year - 1


def _said_on(month: int) -> date:
    """A day of the assessed year, never after today."""
    return min(date(assessed_year(), month, 1), clock.today().replace(day=1))


def recap_verdicts(slug: str) -> dict[str, Any]:
    """{impact key: verdict} of the study's recap for this place ({} if not studied)."""
    if slug not in STUDY_ORDER:
        return {}
    column = STUDY_ORDER.index(slug)
    keys = [impact.key for impact in framework_defaults.IMPACTS]
    return {key: VERDICTS[row[column]] for key, row in zip(keys, RECAP_ROWS, strict=True)}
