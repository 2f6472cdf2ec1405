"""Reference data of the demo's money, upserted by natural key through the loader's writer and
``full_clean``-ed: the place's fictitious SIRET (only when it has none), its billing profile, the
catalogue (products by name, room-hire rates by space, audience and unit), a town hall as a
public-body customer, SEPA mandates on a few customers.
"""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from tierslieux.billing.models import BillingProfile, Customer
from tierslieux.demo import people
from tierslieux.demo.money.identifiers import BIC, creditor_id, iban, vat_number
from tierslieux.members.models import Product, RoomRate
from tierslieux.places.models import Place, Space

# (kind, name, price excluding tax, tax rule, other fields): the same catalogue everywhere.
CATALOGUE: list[tuple[str, str, str, str, dict[str, Any]]] = [
    (
        "membership",
        "Adhésion individuelle",
        "50.00",
        "exempt_261_7_1b",
        {
            "period": "year",
            "audience": "individual",
            "min_price_net": Decimal("10.00"),
            "account": "756000",
            "family": "memberships",
            "description": "Adhésion annuelle à l'association. Prix solidaire à partir de 10 €.",
        },
    ),
    (
        "membership",
        "Adhésion structure",
        "250.00",
        "exempt_261_7_1b",
        {
            "period": "year",
            "audience": "organisation",
            "account": "756000",
            "family": "memberships",
            "description": "Adhésion annuelle d'une association, d'une entreprise ou d'une collectivité.",  # noqa: E501
        },
    ),
    (
        "plan",
        "Coworking résident",
        "160.00",
        "vat_20",
        {
            "period": "month",
            "family": "memberships",
            "wallet": "room_hours",
            "credits": Decimal("10"),
            "notice_days": 30,
            "description": "Poste fixe, accès 7 j/7 et 10 heures de salle de réunion par mois.",
        },
    ),
    (
        "plan",
        "Coworking nomade",
        "90.00",
        "vat_20",
        {
            "period": "month",
            "family": "memberships",
            "notice_days": 30,
            "description": "Un poste libre aux heures d'ouverture.",
        },
    ),
    ("pass", "Pass journée", "15.00", "vat_20", {"family": "memberships", "validity_days": 1}),
    ("pass", "Pass semaine", "60.00", "vat_20", {"family": "memberships", "validity_days": 7}),
    ("pass", "Pass mois", "180.00", "vat_20", {"family": "memberships", "validity_days": 30}),
    (
        "pack",
        "Carnet de 10 journées",
        "130.00",
        "vat_20",
        {"wallet": "desk_days", "credits": Decimal("10"), "validity_days": 180},
    ),
    (
        "pack",
        "Pack 10 h machines",
        "80.00",
        "vat_20",
        {"wallet": "machine_hours", "credits": Decimal("10"), "validity_days": 365},
    ),
    ("ticket", "Billet événement", "8.00", "vat_5_5", {"family": "services"}),
    (
        "service",
        "Repas à la cantine",
        "12.00",
        "vat_10",
        {"family": "side_activities", "description": "Activité annexe : la cantine du lieu."},
    ),
]
PRODUCT_DEFAULTS: dict[str, Any] = {
    "description": "",
    "active": True,
    "audience": "anyone",
    "min_price_net": None,
    "account": "706000",
    "family": "services",
    "period": "",
    "wallet": "",
    "credits": None,
    "validity_days": None,
    "notice_days": 0,
}
# Room hire, € excluding tax a day by audience (the hour and the half-day follow).
ROOM_KINDS: dict[str, int] = {
    Space.Kind.MEETING_ROOM: 150,
    Space.Kind.MULTIPURPOSE_ROOM: 220,
    Space.Kind.WORKSHOP: 180,  # a workshop hired whole, for a training or a shoot
}
AUDIENCE_FACTOR = {
    "member": Decimal("0.70"),
    "association": Decimal("0.80"),
    "non_member": Decimal("1.00"),
    "public_body": Decimal("1.00"),
    "company": Decimal("1.25"),
}


class Writer(Protocol):
    """What the loader's writer offers (its upserts, and the counters)."""

    created: int
    updated: int

    def upsert(self, model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> Any: ...

    def upsert_many(
        self, model: Any, scope: dict[str, Any], key: str, rows: list[dict[str, Any]]
    ) -> dict[Any, Any]: ...


def _rng(place: Place, purpose: str) -> random.Random:
    """One generator per place and purpose: a value does not depend on what came before."""
    return random.Random(f"{people.SEED}:money:{place.slug}:{purpose}")


def profile(w: Writer, place: Place) -> None:
    rng = _rng(place, "profile")
    if not place.siret:
        # Fictitious, Luhn-valid: the demo places have no real registration.
        w.upsert(Place, {"pk": place.pk}, {"siret": people.siret(rng)})
        place.refresh_from_db(fields=["siret"])
    existing = BillingProfile.objects.filter(place=place).first()
    values = {
        "iban": existing.iban if existing and existing.iban else iban(rng),
        "bic": BIC,
        "sepa_creditor_id": (
            existing.sepa_creditor_id
            if existing and existing.sepa_creditor_id
            else creditor_id(rng)
        ),
        "vat_number": vat_number(place.siret[:9]) if place.country == "FR" else "",
    }
    w.upsert(BillingProfile, {"place": place}, values)


def catalogue(w: Writer, place: Place) -> dict[str, Product]:
    """The place's products by name (compared in one query, the missing inserted in one), then
    its room rates."""
    rows = [
        {
            **PRODUCT_DEFAULTS,
            **fields,
            "name": name,
            "kind": kind,
            "price_net": Decimal(price),
            "tax_code": tax_code,
            "position": position,
        }
        for position, (kind, name, price, tax_code, fields) in enumerate(CATALOGUE)
    ]
    products = w.upsert_many(Product, {"place": place}, "name", rows)
    rate_card(w, place)
    return products


def rate_card(w: Writer, place: Place) -> None:
    """Every room's rates, compared in one query and inserted in one: a rate passes its
    field checks here, and the database's constraints (one rate per space, audience and unit;
    known units and audiences) on insert, as the demo bookings do (decision 0002)."""
    existing = {(r.space_id, r.audience, r.unit): r for r in RoomRate.objects.filter(place=place)}
    missing = []
    for space in place.spaces.filter(kind__in=list(ROOM_KINDS)).order_by("slug"):
        for audience, factor in AUDIENCE_FACTOR.items():
            for unit, price in room_prices(ROOM_KINDS[space.kind], factor).items():
                rate = existing.get((space.pk, audience, unit))
                if rate is None:
                    rate = RoomRate(
                        place=place,
                        space=space,
                        audience=audience,
                        unit=unit,
                        price_net=price,
                        tax_code="vat_20",
                    )
                    rate.full_clean(validate_unique=False, validate_constraints=False)
                    missing.append(rate)
                elif rate.price_net != price or rate.tax_code != "vat_20":
                    w.upsert(RoomRate, {"pk": rate.pk}, {"price_net": price, "tax_code": "vat_20"})
    RoomRate.objects.bulk_create(missing)
    w.created += len(missing)


def room_prices(day: int, factor: Decimal) -> dict[str, Decimal]:
    """The day, half-day (60 % of a day) and hour (a sixth of a day) for an audience, to the
    euro."""
    whole = (Decimal(day) * factor).quantize(Decimal(1))
    return {
        "day": whole,
        "half_day": (whole * Decimal("0.6")).quantize(Decimal(1)),
        "hour": (whole / 6).quantize(Decimal(1)),
    }


def town_hall(w: Writer, place: Place) -> Customer:
    siren = people.siret(_rng(place, "town-hall"))[:9]  # fictitious, Luhn-valid
    name = f"Mairie de {place.commune}"
    return w.upsert(
        Customer,
        {"place": place, "name": name},
        {
            "kind": Customer.Kind.PUBLIC_BODY,
            "siren": siren,
            "address": "Place de la Mairie",
            "postcode": place.postcode,
            "city": place.commune,
            "country": place.country,
            "email": f"accueil@mairie-{place.slug[:20]}.example.org",
        },
    )


def mandate(w: Writer, customer: Customer, since: date) -> None:
    """A SEPA direct-debit mandate, signed when the subscriptions started (kept once set)."""
    if customer.sepa_mandate_reference:
        return
    rng = _rng(customer.place, f"mandate:{customer.pk}")
    w.upsert(
        Customer,
        {"pk": customer.pk},
        {
            "iban": iban(rng),
            "bic": BIC,
            "sepa_mandate_reference": f"DEMO-{customer.place.slug[:20]}-{customer.pk}",
            "sepa_mandate_date": since,
        },
    )
