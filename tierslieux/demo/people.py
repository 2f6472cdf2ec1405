"""The people, organisations and logins of the demo network, generated deterministically.

Pure functions, no ORM: the same call always returns the same lists (``random.Random(2026)``
over fixed lists of French names), so the loader can upsert them by natural key. Legal
identifiers are made up but valid: Luhn-valid SIRETs and well-formed RNA numbers, given only to
organisations of French places (a Belgian or Spanish association has no RNA, nor SIRET). Every
organisation has a postal address in its place's commune: invoices to it need one. Addresses
and the associations' SIRETs come from a generator of their own (seeded by the organisation's
name), so adding them left every other draw, hence every name, as it was.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.text import slugify

from tierslieux.core.validators import LA_POSTE_SIREN, luhn_ok

PASSWORD = "demo-tierslieux"
DOMAIN = "demo.tierslieux.fr"
SEED = 2026

# fmt: off
FIRST_NAMES = [
    "Camille", "Léa", "Manon", "Chloé", "Inès", "Sarah", "Jeanne", "Louise", "Alice", "Zoé",
    "Claire", "Margaux", "Nadia", "Sophie", "Élise", "Yasmine", "Lucas", "Hugo", "Louis",
    "Nathan", "Gabriel", "Arthur", "Jules", "Théo", "Raphaël", "Mathis", "Karim", "Antoine",
    "Maxime", "Thomas", "Julien", "Bastien", "Malik", "Pierre", "Rémi", "Yann",
]
LAST_NAMES = [
    "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy",
    "Moreau", "Simon", "Laurent", "Lefebvre", "Michel", "Garcia", "David", "Bertrand", "Roux",
    "Vincent", "Fournier", "Morel", "Girard", "André", "Mercier", "Dupont", "Lambert", "Bonnet",
    "François", "Martinez", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin",
    "Muller", "Henry", "Roussel", "Nicolas", "Perrin", "Morin", "Mathieu",
]
# fmt: on
ASSOCIATION_NAMES = [
    "Repair café de {commune}",
    "Les Jardins partagés de {commune}",
    "Compagnie théâtrale La Fabrique ({commune})",
    "Association Numérique pour tous ({commune})",
    "Les Amis du vélo de {commune}",
    "Collectif Terre et Cuisine ({commune})",
]
COMPANY_NAMES = [
    ("company", "Atelier {last} Design ({commune})"),
    ("company", "{last} Conseil ({commune})"),
    ("company", "Studio {last} Graphisme ({commune})"),
    ("cooperative", "SCOP Les Bâtisseurs ({commune})"),
    ("cooperative", "Coopérative d'activités {last} ({commune})"),
]

STREETS = [
    "rue de la République", "avenue Jean-Jaurès", "place du Marché", "rue Victor-Hugo",
    "chemin des Écoles", "rue Pasteur", "boulevard Gambetta", "rue des Tanneurs",
]  # fmt: skip
STREETS_ES = ["calle Mayor", "avenida de la Constitución", "plaza del Mercado", "calle Real"]

# Staff, members and volunteers of every place: what the roles look like in a real one.
PERSON_ROLES = ["staff", "member", "member", "volunteer"]


@dataclass(frozen=True)
class PersonSpec:
    first_name: str
    last_name: str
    email: str
    place_slug: str
    role: str
    since: date


@dataclass(frozen=True)
class OrganisationSpec:
    name: str
    kind: str
    siret: str
    rna: str
    email: str
    place_slug: str
    role: str
    since: date
    contact_email: str  # a PersonSpec of the same place, linked to the organisation
    address: str = ""
    postcode: str = ""
    city: str = ""
    country: str = "FR"


@dataclass(frozen=True)
class LoginSpec:
    email: str
    first_name: str
    last_name: str
    role_label: str
    place_slug: str | None  # None: the whole network
    place_role: str | None
    network_admin: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def logins(mille_lieux_slugs: list[str], micro_centre_slug: str) -> list[LoginSpec]:
    """The demo logins, in the order the command prints them; all share `PASSWORD`."""
    coordinators = [
        ("Sylvie", "Marchal"),
        ("Bram", "Peeters"),
        ("Océane", "Arnaud"),
        ("Franck", "Klein"),
        ("Gwenaëlle", "Le Goff"),
        ("Mathilde", "Chabrol"),
        ("Jordi", "Puig"),
        ("Romain", "Chevalier"),
    ]
    specs = [
        LoginSpec(
            f"reseau@{DOMAIN}",
            "Hélène",
            "Marchand",
            "Administration du réseau",
            None,
            None,
            network_admin=True,
        ),
        LoginSpec(
            f"coordination@{DOMAIN}",
            "Julien",
            "Roche",
            "Coordination",
            micro_centre_slug,
            "coordinator",
        ),
        LoginSpec(f"membre@{DOMAIN}", "Aïcha", "Benali", "Membre", micro_centre_slug, "member"),
    ]
    for slug, (first, last) in zip(mille_lieux_slugs, coordinators, strict=True):
        specs.append(
            LoginSpec(
                f"coordination.{slug}@{DOMAIN}", first, last, "Coordination", slug, "coordinator"
            )
        )
    return specs


def _check_digit(payload: str) -> str:
    return next(str(d) for d in range(10) if luhn_ok(f"{payload}{d}"))


def siret(rng: random.Random) -> str:
    """A made-up SIRET: a Luhn-valid SIREN, then a Luhn-valid establishment number."""
    while True:
        head = str(rng.randint(1, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(7))
        siren = head + _check_digit(head)
        if siren != LA_POSTE_SIREN:
            break
    body = siren + f"{rng.randint(1, 99):04d}"
    return body + _check_digit(body)


def rna(rng: random.Random, postcode: str) -> str:
    """A made-up RNA number: W, the département of the postcode, seven digits."""
    return f"W{postcode[:2]}{rng.randint(0, 9_999_999):07d}"


def _since(rng: random.Random, opening: str | None) -> date:
    start = max(date.fromisoformat(opening), date(2019, 1, 1)) if opening else date(2025, 1, 1)
    end = date(2025, 12, 31)
    return start + timedelta(days=rng.randint(0, (end - start).days))


def people_and_organisations(
    places: list[dict],
) -> tuple[list[PersonSpec], list[OrganisationSpec]]:
    """About four people and two organisations per place, always the same ones."""
    rng = random.Random(SEED)
    used: set[tuple[str, str]] = set()
    used_org_names: set[str] = set()
    people: list[PersonSpec] = []
    organisations: list[OrganisationSpec] = []
    for place in places:
        here: list[PersonSpec] = []
        for role in PERSON_ROLES:
            while True:
                first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                if (first, last) not in used:
                    used.add((first, last))
                    break
            email = f"{slugify(first)}.{slugify(last)}@example.org"
            here.append(
                PersonSpec(
                    first, last, email, place["slug"], role, _since(rng, place["opening_date"])
                )
            )
        people.extend(here)
        french = place["country"] == "FR"
        commune = place["commune"]
        association = _unique_name(rng.choice(ASSOCIATION_NAMES), rng, commune, used_org_names)
        organisations.append(
            OrganisationSpec(
                name=association,
                kind="association",
                siret=siret(random.Random(f"{SEED}:{association}")) if french else "",
                rna=rna(rng, place["postcode"]) if french else "",
                email=_contact(association),
                place_slug=place["slug"],
                role=rng.choice(["member", "resident_organisation"]),
                since=_since(rng, place["opening_date"]),
                contact_email=here[1].email,
                **_address(association, place),
            )
        )
        kind, template = rng.choice(COMPANY_NAMES)
        company = _unique_name(template, rng, commune, used_org_names)
        organisations.append(
            OrganisationSpec(
                name=company,
                kind=kind,
                siret=siret(rng) if french else "",
                rna="",
                email=_contact(company),
                place_slug=place["slug"],
                role="resident_organisation",
                since=_since(rng, place["opening_date"]),
                contact_email=here[2].email,
                **_address(company, place),
            )
        )
    return people, organisations


def _address(name: str, place: dict) -> dict[str, str]:
    """A made-up street address in the place's commune (its own generator: see the top)."""
    rng = random.Random(f"{SEED}:address:{name}")
    streets = STREETS_ES if place["country"] == "ES" else STREETS
    street = rng.choice(streets)
    number = rng.randint(1, 120)
    line = f"{street} {number}" if place["country"] == "ES" else f"{number} {street}"
    return {
        "address": line,
        "postcode": place["postcode"],
        "city": place["commune"],
        "country": place["country"],
    }


def _unique_name(template: str, rng: random.Random, commune: str, used: set[str]) -> str:
    base = name = template.format(commune=commune, last=rng.choice(LAST_NAMES))
    n = 1
    while name in used:
        n += 1
        name = f"{base} {n}"
    used.add(name)
    return name


def _contact(name: str) -> str:
    return f"contact.{slugify(name)[:40].strip('-')}@example.org"
