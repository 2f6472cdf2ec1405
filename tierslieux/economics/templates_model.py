"""The micro-centre pilot as ready-made scenarios (seed `000_6d729c841a80c6de.txt`, "Modèle
économique"), with every number's source written next to it: `seed` when the figure (or
the middle of its range) is the seed's, `project` when it is this project's assumption.

- `low`, `typical`, `high`: the size of the place along the seed's ranges (the low end of
  every range, their middle, their high end), not pessimism or optimism: uncertainty is the
  Monte Carlo's job (`sensitivity`).
- Context variants of the typical place: `rural`, `small-town`, `urban`, `public-host` (a
  place hosted by a public service), each listing what it changes and why.

The seed's own inconsistency, kept visible: it heads its fixed costs "4–6 k€/month" but its
items add up to 6.0–8.5 k€ (rent 1,800–3,000 + staff 3,500–4,500 + insurance/maintenance
500–700 + subscriptions 200–300). The templates use the items.
"""

from __future__ import annotations

import copy
from typing import Any

from django.utils.functional import Promise
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from tierslieux.economics import scenario as s

SEED = "seed"
PROJECT = "project"
SIZES = ("low", "typical", "high")
CONTEXTS = ("rural", "small-town", "urban", "public-host")

# The seed's figures (low, high), quoted from "Modèle économique" and "Modèle de viabilité".
RANGES: dict[str, tuple[float, float]] = {
    "investment": (50_000, 80_000),
    "fit_out": (30_000, 50_000),
    "equipment": (10_000, 15_000),
    "furniture": (7_000, 10_000),
    "it": (3_000, 5_000),
    "fixed_costs_headline": (4_000, 6_000),
    "rent": (1_800, 3_000),
    "staff_1_5_fte": (3_500, 4_500),
    "insurance_maintenance": (500, 700),
    "subscriptions": (200, 300),
    "facilitators": (500, 1_000),
    "communication": (300, 500),
    "consumables": (200, 400),
    "coworking_month": (100, 200),
    "individual_membership_year": (50, 150),
    "organisation_membership_year": (200, 500),
    "room_day": (100, 300),
    "project_support": (500, 2_000),
    "training_person_day": (50, 200),
    "event": (300, 1_000),
    "authority_agreement_year": (5_000, 20_000),
    "sponsorship_year": (2_000, 10_000),
    "institution_day": (300, 1_000),
    "food_margin": (50, 70),
    "desks": (5, 10),
    "members_people": (100, 150),
    "members_organisations": (10, 15),
    "break_even_months": (18, 24),
    "occupancy": (60, 70),
}
# The revenue mix's targets by family, percent (seed: "Sources de revenus").
MIX_TARGETS = {
    s.MEMBERSHIPS: (40.0, 50.0),
    s.SERVICES: (20.0, 30.0),
    s.PARTNERSHIPS: (20.0, 30.0),
    s.SIDE: (5.0, 10.0),
}
PUBLIC_MAX = 30.0  # "Max 30% de financements publics pour assurer l'autonomie"


def _pick(key: str, size: str) -> float:
    low, high = RANGES[key]
    return {"low": low, "typical": (low + high) / 2, "high": high}[size]


def micro_centre(
    size: str = "typical",
) -> tuple[dict[str, Any], dict[str, tuple[str, str | Promise]]]:
    """The scenario's data (as `scenario.parse` reads it) and, by field path, (source, reason)."""
    p = lambda key: _pick(key, size)  # noqa: E731
    desks = round(p("desks"))
    why: dict[str, tuple[str, str | Promise]] = {
        "horizon": (
            PROJECT,
            _(
                "60 months: the seed's 18–24-month break-even and a 3-year programme's "
                "end both fall inside"
            ),
        ),
        "investments": (SEED, _("the four lines of 'Investissement initial (50-80K€)'")),
        "fundings": (
            PROJECT,
            _(
                "grants of the investment from the Region (40 %), the Département (20 %); "
                "the rest own funds and a loan"
            ),
        ),
        "loans[0]": (
            PROJECT,
            _(
                "a 60-month bank loan of 40,000 € (yearly rate 4.5 %), 12 months' deferral: it"
                " carries the losses of the ramp-up"
            ),
        ),
        "fixed_costs[0].monthly": (SEED, _("'Loyer/charges: 1800-3000€ (selon localisation)'")),
        "staff": (
            SEED,
            _("'Personnel (1,5 ETP): 3500-4500€', coordinator 1 FTE and assistant 0.5 FTE"),
        ),
        "fixed_costs[1].monthly": (SEED, _("half of 'Assurances/maintenance: 500-700€'")),
        "fixed_costs[2].monthly": (SEED, _("half of 'Assurances/maintenance: 500-700€'")),
        "fixed_costs[3].monthly": (SEED, _("'Abonnements/licences: 200-300€'")),
        "variable_costs": (
            SEED,
            _("'Animations/intervenants', 'Communication', 'Consommables' by month"),
        ),
        "revenue[0]": (
            SEED,
            format_lazy(
                _(
                    "'5-10 postes de travail' ({desks}), 'Abonnement coworking: 100-200€/mois'; "
                    "occupancy from 'Taux d'occupation minimal: 60-70%'; a 12-month S ramp-up "
                    "is the project's"
                ),
                desks=desks,
            ),
        ),
        "revenue[1]": (
            PROJECT,
            _("day passes ('Formules flexibles') on 4 desks × 21 days at 20 €, used at 60 %"),
        ),
        "revenue[2]": (
            SEED,
            _(
                "'Location d'espaces: 100-300€/jour'; 20 days a month, a quarter hired: "
                "the project's"
            ),
        ),
        "revenue[3]": (
            SEED,
            _(
                "'Formations: 50-200€/personne/jour'; 16 person-days a month, filled "
                "at 60 %: the project's"
            ),
        ),
        "revenue[4]": (
            SEED,
            _("'Événements: 300-1000€/événement'; 2 a month, half held: the project's"),
        ),
        "revenue[5]": (
            SEED,
            _(
                "'Accompagnement de projets: 500-2000€/projet'; one a month, signed at 30 %:"
                " the project's"
            ),
        ),
        "revenue[6]": (
            SEED,
            _(
                "'Prestations institutions: 300-1000€/jour'; 2 days a month, half sold: "
                "the project's"
            ),
        ),
        "memberships[0]": (
            SEED,
            _(
                "'100-150 individuels', 'Adhésion annuelle individuelle: 50-150€/an'; an "
                "18-month ramp-up is the project's"
            ),
        ),
        "memberships[1]": (SEED, _("'10-15 structures', 'Adhésion structure: 200-500€/an'")),
        "grants[0]": (
            SEED,
            _("'Conventions collectivités: 5-20K€/an', a standing agreement with the town"),
        ),
        "grants[1]": (SEED, _("'Mécénat entreprises: 2-10K€/an'")),
        "grants[2]": (
            PROJECT,
            _("a Region start-up programme of 10,000 €/year that stops after 3 years"),
        ),
        "side_activities[0]": (
            SEED,
            _("'Petite restauration: marge 50-70%'; 700 €/month of sales is the project's"),
        ),
        "side_activities[1]": (
            PROJECT,
            _("printing and scanning ('Services numériques'): 150 €/month of sales, margin 80 %"),
        ),
        "in_kind[0]": (
            SEED,
            _(
                "'Implication bénévole de la communauté'; 30 hours a month valued at 15 "
                "€/h: the project's"
            ),
        ),
    }
    investment = p("investment")
    data: dict[str, Any] = {
        "name": f"Micro-centre ({size})",
        "horizon": 60,
        "start": "2027-01",
        "vat": "franchise",
        "investments": [
            {"category": "fit_out", "amount": p("fit_out")},
            {"category": "equipment", "amount": p("equipment")},
            {"category": "furniture", "amount": p("furniture")},
            {"category": "it", "amount": p("it")},
        ],
        "fundings": [
            {"source": "region", "amount": round(0.4 * investment)},
            {"source": "departement", "amount": round(0.2 * investment)},
            {"source": "own_funds", "amount": 15_000},
        ],
        "loans": [
            {"amount": 40_000, "rate": 4.5, "months": 60, "deferral": 12, "lender": "Banque"}
        ],
        "fixed_costs": [
            {"category": "rent", "monthly": p("rent")},
            {"category": "insurance", "monthly": p("insurance_maintenance") / 2},
            {"category": "maintenance", "monthly": p("insurance_maintenance") / 2},
            {"category": "subscriptions", "monthly": p("subscriptions")},
        ],
        "staff": [
            {"role": "Coordination", "fte": 1.0, "monthly_cost": p("staff_1_5_fte") / 1.5},
            {"role": "Accueil", "fte": 0.5, "monthly_cost": p("staff_1_5_fte") / 1.5},
        ],
        "variable_costs": [
            {"label": "Animations", "monthly": p("facilitators")},
            {"label": "Communication", "monthly": p("communication")},
            {"label": "Consommables", "monthly": p("consumables")},
        ],
        "revenue": [
            _line("Coworking", s.MEMBERSHIPS, desks, 70, p("coworking_month"), 12, "s"),
            _line("Pass jour", s.MEMBERSHIPS, 84, 60, 20, 12, "s"),
            _line("Location de salle", s.SERVICES, 20, 25, p("room_day"), 12, "linear"),
            _line("Formations", s.SERVICES, 16, 60, p("training_person_day"), 12, "linear"),
            _line("Événements", s.SERVICES, 2, 50, p("event"), 6, "linear"),
            _line("Accompagnement", s.SERVICES, 1, 30, p("project_support"), 12, "linear"),
            _line(
                "Prestations institutions",
                s.PARTNERSHIPS,
                2,
                50,
                p("institution_day"),
                12,
                "linear",
            ),
        ],
        "memberships": [
            {
                "label": "Adhésions individuelles",
                "kind": "people",
                "count": p("members_people"),
                "fee": p("individual_membership_year"),
                "period": "year",
                "ramp": {"months": 18, "shape": "linear"},
            },
            {
                "label": "Adhésions structures",
                "kind": "organisations",
                "count": p("members_organisations"),
                "fee": p("organisation_membership_year"),
                "period": "year",
                "ramp": {"months": 18, "shape": "linear"},
            },
        ],
        "grants": [
            {
                "label": "Convention",
                "funder": "Commune",
                "funder_kind": "town",
                "per_year": p("authority_agreement_year"),
                "start": 1,
                "end": 60,
            },
            {
                "label": "Mécénat",
                "funder": "Entreprises locales",
                "funder_kind": "private",
                "per_year": p("sponsorship_year"),
                "start": 1,
                "end": 60,
            },
            {
                "label": "Programme de démarrage",
                "funder": "Région",
                "funder_kind": "region",
                "per_year": 10_000,
                "start": 1,
                "end": 36,
            },
        ],
        "side_activities": [
            {
                "label": "Petite restauration",
                "monthly_sales": 700,
                "margin": p("food_margin"),
                "ramp": {"months": 6, "shape": "linear"},
            },
            {"label": "Impression", "monthly_sales": 150, "margin": 80},
        ],
        "in_kind": [{"label": "Bénévolat", "hours_per_month": 30, "rate": 15}],
    }
    return data, why


def _line(label: str, family: str, capacity: float, occupancy: float, price: float,
          months: int, shape: str) -> dict[str, Any]:  # fmt: skip
    return {
        "label": label, "family": family, "capacity": capacity, "occupancy": occupancy,
        "price": price, "ramp": {"months": months, "shape": shape},
    }  # fmt: skip


def context(name: str) -> tuple[dict[str, Any], dict[str, tuple[str, str | Promise]]]:
    """The typical micro-centre adapted to a context: every change and its reason."""
    data, why = micro_centre("typical")
    data = copy.deepcopy(data)
    data["name"] = f"Micro-centre ({name})"
    rev = {line["label"]: line for line in data["revenue"]}
    if name == "rural":
        data["fixed_costs"][0]["monthly"] = RANGES["rent"][0]
        why["fixed_costs[0].monthly"] = (
            SEED,
            _("low end of 'Loyer/charges' ('selon localisation')"),
        )
        rev["Coworking"]["occupancy"] = 60
        rev["Coworking"]["ramp"]["months"] = 18
        why["revenue[0]"] = (
            PROJECT,
            _("fewer remote workers nearby: 60 % (the seed's floor), 18 months to fill"),
        )
        data["grants"][0]["per_year"] = 15_000
        why["grants[0]"] = (
            PROJECT,
            _(
                "a town that keeps a service in its village pays more, within 'Conventions"
                " collectivités: 5-20K€/an'"
            ),
        )
    elif name == "urban":
        data["fixed_costs"][0]["monthly"] = RANGES["rent"][1]
        why["fixed_costs[0].monthly"] = (
            SEED,
            _("high end of 'Loyer/charges' ('selon localisation')"),
        )
        rev["Coworking"]["price"] = RANGES["coworking_month"][1]
        rev["Location de salle"]["price"] = RANGES["room_day"][1]
        why["revenue[0]"] = (SEED, _("high end of 'Abonnement coworking: 100-200€/mois'"))
        why["revenue[2]"] = (SEED, _("high end of 'Location d'espaces: 100-300€/jour'"))
        data["grants"][0]["per_year"] = RANGES["authority_agreement_year"][0]
        why["grants[0]"] = (
            PROJECT,
            _("a city with other places funds less: low end of 'Conventions collectivités'"),
        )
    elif name == "public-host":
        rent = data["fixed_costs"][0]["monthly"]
        data["fixed_costs"][0]["monthly"] = 0
        data["in_kind"].append({"label": "Locaux mis à disposition", "monthly_value": rent})
        why["fixed_costs[0].monthly"] = (
            PROJECT,
            _("premises lent by the public service: no rent, their value shown in kind"),
        )
        why["in_kind[1]"] = (
            PROJECT,
            _("the rent the place would pay, the seed's middle of 'Loyer/charges'"),
        )
        data["grants"][0]["per_year"] = RANGES["authority_agreement_year"][1]
        why["grants[0]"] = (
            SEED,
            _("high end of 'Conventions collectivités: 5-20K€/an': the host is the town"),
        )
    elif name != "small-town":
        raise KeyError(name)
    if name == "small-town":
        why["name"] = (
            PROJECT,
            _("the typical micro-centre: the seed's middles describe a small town"),
        )
    return data, why


def template(spec: str) -> tuple[dict[str, Any], dict[str, tuple[str, str | Promise]]]:
    """`micro-centre:typical`, `micro-centre:rural`… → (data, reasons); KeyError if unknown."""
    kind, _colon, variant = spec.partition(":")
    if kind != "micro-centre":
        raise KeyError(spec)
    variant = variant or "typical"
    if variant in SIZES:
        return micro_centre(variant)
    return context(variant)


NAMES = tuple(f"micro-centre:{v}" for v in (*SIZES, *CONTEXTS))
