"""Demo money: what each demo place sells, who subscribes, three months of billing.

Two kinds of writes, as in the rest of ``demo/`` (docs/decisions/0002-demo-loader.md):

- *reference data* is upserted by natural key through the loader's writer, ``full_clean``-ed:
  the place's fictitious SIRET (only when it has none), its billing profile, the catalogue
  (products by name, room-hire rates by space, audience and unit), a town hall as a
  public-body customer, SEPA mandates on a few customers;
- *money history* goes through the services, because invoices must be numbered, hash-chained
  and frozen the way the application does it: subscriptions (``subscriptions.subscribe``),
  room hire charges (``charges.record_charge``), the bill runs (``billrun.confirm``), sales
  (``sales.buy``) and payments (``record_payment``), each acting as the place's coordinator.

The history covers the three months before the current one (in each place's time zone). A
month is written whole or not at all: its charges, its confirmed bill run, the sales made in
it and the payments received, only when the place has no bill run for that month yet. So a
second load writes nothing, and a load in a later month adds the month that came into range.
Dates never go before the place's last issued invoice (numbers follow dates), so invoices made
in the application since the last load never block a new month. Fundings are written once,
on the first load. The current month is left for the coordinator to bill.

Every identifier here is made up: SIRETs and SIRENs pass the Luhn check, IBANs and the SEPA
creditor identifiers pass the mod-97 check, but none belongs to anybody.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, Protocol

from dateutil.relativedelta import relativedelta
from django.db.models import Max

from tierslieux.accounts.models import Organisation, Person, User
from tierslieux.billing import queries as billing_queries
from tierslieux.billing.exports.sepa import creditor_id_is_valid, iban_is_valid
from tierslieux.billing.models import BillingProfile, Customer, Funding, Invoice
from tierslieux.billing.services import record_payment
from tierslieux.billing.services.customers import customer_for_organisation, customer_for_person
from tierslieux.demo import data, people
from tierslieux.members.models import BillRun, Charge, Product, RoomRate, Subscription
from tierslieux.members.services import billrun, charges, credits, sales, subscriptions
from tierslieux.places.models import Place, PlaceRole, Space

MONTHS = 3
MEMBER_LOGIN = f"membre@{people.DOMAIN}"
BIC = "CCOPFRPPXXX"  # the shape of a French cooperative bank's BIC; the accounts are made up

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
    """What the loader's writer offers (its upsert, and the counters)."""

    created: int
    updated: int

    def upsert(self, model: Any, lookup: dict[str, Any], values: dict[str, Any]) -> Any: ...


@dataclass
class Cast:
    """Who takes part in a place's money: the coordinator acts; the others buy."""

    coordinator: User
    member_a: Person  # resident plan and membership, pays by direct debit
    member_b: Person  # nomade plan paid by their organisation, solidarity membership
    volunteer: Person  # membership, passes, tickets
    payer: Organisation  # pays member_b's plan
    association: Organisation  # holds the organisation membership, hires rooms
    login: Person | None  # the demo member login (the micro-centre only)


# --- Made-up identifiers ----------------------------------------------------------------------


def _mod97(code: str) -> int:
    return int("".join(str(int(char, 36)) for char in code)) % 97


def iban(rng: random.Random) -> str:
    """A fictitious French IBAN (FR76…) with a right RIB key and check digits."""
    bank, branch = "42559", f"{rng.randint(0, 99999):05d}"  # 42559: the cooperative's code
    account = f"{rng.randint(0, 10**11 - 1):011d}"
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{key:02d}"
    value = f"FR{98 - _mod97(bban + 'FR00'):02d}{bban}"
    assert iban_is_valid(value), value
    return value


def creditor_id(rng: random.Random) -> str:
    """A fictitious SEPA creditor identifier (ICS: FR, check digits, ZZZ, six digits)."""
    national = f"{rng.randint(100000, 999999)}"
    value = f"FR{98 - _mod97(national + 'FR00'):02d}ZZZ{national}"
    assert creditor_id_is_valid(value), value
    return value


def vat_number(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"


# --- Reference data (upserted) --------------------------------------------------------------


def _rng(place: Place, purpose: str) -> random.Random:
    """One generator per place and purpose: a value does not depend on what came before."""
    return random.Random(f"{people.SEED}:money:{place.slug}:{purpose}")


def _profile(w: Writer, place: Place) -> None:
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


def _catalogue(w: Writer, place: Place) -> dict[str, Product]:
    products = {}
    for position, (kind, name, price, tax_code, fields) in enumerate(CATALOGUE):
        values = {
            **PRODUCT_DEFAULTS,
            **fields,
            "kind": kind,
            "price_net": Decimal(price),
            "tax_code": tax_code,
            "position": position,
        }
        products[name] = w.upsert(Product, {"place": place, "name": name}, values)
    _rate_card(w, place)
    return products


def _rate_card(w: Writer, place: Place) -> None:
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


def _town_hall(w: Writer, place: Place) -> Customer:
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


def _mandate(w: Writer, customer: Customer, since: date) -> None:
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


# --- Who ------------------------------------------------------------------------------------


def _casts(places: dict[str, Place]) -> dict[str, Cast]:
    person_specs, organisation_specs = people.people_and_organisations(
        [*data.PLACES, data.MICRO_CENTRE]
    )
    persons = {p.email: p for p in Person.objects.filter(user=None)}
    organisations = {o.name: o for o in Organisation.objects.all()}
    coordinators: dict[int, User] = {}
    for role in (
        PlaceRole.objects.filter(
            place__in=places.values(), role=PlaceRole.Role.COORDINATOR, person__user__isnull=False
        )
        .select_related("person__user")
        .order_by("id")
    ):
        if role.person is not None and role.person.user is not None:
            coordinators.setdefault(role.place_id, role.person.user)
    login = Person.objects.filter(user__email=MEMBER_LOGIN).first()
    casts = {}
    for slug, place in places.items():
        here = [p for p in person_specs if p.place_slug == slug]
        orgs = [o for o in organisation_specs if o.place_slug == slug]
        association = next(o for o in orgs if o.kind == "association")
        company = next(o for o in orgs if o.kind != "association")
        # A business pays only with its SIREN on the invoice: abroad, the association pays.
        payer = company if company.siret else association
        members = [p.email for p in here if p.role == "member"]
        volunteers = [p.email for p in here if p.role == "volunteer"]
        if payer.contact_email not in members or not volunteers or place.pk not in coordinators:
            continue  # the data changed shape: no money for this place rather than a crash
        other = next(email for email in members if email != payer.contact_email)
        casts[slug] = Cast(
            coordinator=coordinators[place.pk],
            member_a=persons[other],
            member_b=persons[payer.contact_email],
            volunteer=persons[volunteers[0]],
            payer=organisations[payer.name],
            association=organisations[association.name],
            login=login if slug == data.MICRO_CENTRE["slug"] else None,
        )
    return casts


# --- History (through the services) ---------------------------------------------------------


class Clock:
    """Issue dates for one place: never before its last issued invoice (numbers follow
    dates), never after today."""

    def __init__(self, place: Place, today: date) -> None:
        last = Invoice.objects.filter(place=place, status=Invoice.Status.ISSUED).aggregate(
            last=Max("issue_date")
        )["last"]
        self.last = last or date.min
        self.today = today

    def on(self, day: date) -> date:
        self.last = max(day, self.last)
        return min(self.last, self.today)


def _subscribe(actor: User, product: Product, start: date, **holder: Any) -> Subscription | None:
    key = {k: v for k, v in holder.items() if k in ("person", "organisation")}
    if "organisation" in key and "person" in key:
        key = {"person": key["person"]}  # an organisation paying for one of its people
    if Subscription.objects.filter(product=product, **key).exists():
        return None
    return subscriptions.subscribe(actor=actor, product=product, start=start, **holder)


def _subscriptions(w: Writer, cast: Cast, products: dict[str, Product], start: date) -> None:
    actor = cast.coordinator
    membership = products["Adhésion individuelle"]
    wanted: list[tuple[Product, dict[str, Any]]] = [
        (membership, {"person": cast.member_a}),
        (products["Coworking résident"], {"person": cast.member_a}),
        (membership, {"person": cast.member_b, "price_net": Decimal("10.00")}),  # solidarity
        (products["Coworking nomade"], {"person": cast.member_b, "organisation": cast.payer}),
        (membership, {"person": cast.volunteer}),
        (products["Adhésion structure"], {"organisation": cast.association}),
    ]
    if cast.login is not None:
        wanted += [
            (membership, {"person": cast.login}),
            (products["Coworking résident"], {"person": cast.login}),
        ]
    for product, holder in wanted:
        if _subscribe(actor, product, start, **holder) is not None:
            w.created += 1
    place = membership.place
    _mandate(w, customer_for_person(place, cast.member_a), start)
    if cast.login is not None:
        _mandate(w, customer_for_person(place, cast.login), start)


def _room_hire(place: Place, cast: Cast, town_hall: Customer, month: date) -> None:
    """A public meeting the town hall holds, an association's workshop: billed by the run."""
    room = place.spaces.filter(kind__in=list(ROOM_KINDS)).order_by("-kind", "slug").first()
    if room is None:
        return
    rates = {(r.audience, r.unit): r for r in RoomRate.objects.filter(space=room)}
    association = customer_for_organisation(place, cast.association)
    for customer, audience, unit, day, what in (
        (town_hall, "public_body", "half_day", 7, "réunion publique"),
        (association, "association", "half_day", 12, "atelier"),
    ):
        rate = rates[audience, unit]
        source = f"demo:room:{month:%Y-%m}:{audience}"
        if Charge.objects.filter(place=place, source=source).exists():
            continue
        charges.record_charge(
            place=place,
            customer=customer,
            description=f"Location {room.name} ({rate.get_unit_display().lower()}) — {what}",
            quantity=Decimal(1),
            unit_price_net=rate.price_net,
            tax_code=rate.tax_code,
            service_date=month + timedelta(days=day),
            source=source,
            actor=cast.coordinator,
        )


def _pay_run(run: BillRun, cast: Cast, month: date, unpaid_every: int) -> int:
    """Most of the run's invoices are paid on the 10th (direct debit under a mandate)."""
    paid = 0
    for index, invoice in enumerate(run.invoices.select_related("customer").order_by("number")):
        if index % unpaid_every == unpaid_every - 1 or invoice.total_gross <= 0:
            continue
        customer = invoice.customer
        method = ("transfer", "card")[index % 2]
        if customer.sepa_mandate_reference:
            method = "sepa_debit"
        record_payment(
            actor=cast.coordinator,
            customer=customer,
            amount=invoice.total_gross,
            method=method,
            date=month + timedelta(days=9),
            reference=f"{run.month:%Y-%m}-{invoice.number}",
            allocations=[(invoice, invoice.total_gross)],
        )
        paid += 1
    return paid


def _sales(cast: Cast, products: dict[str, Product], month: date, clock: Clock, last: bool) -> int:
    """Passes, packs, tickets and meals sold over the counter during the month."""
    plan: list[tuple[int, str, Person, int, str | None]] = [
        (4, "Pass journée", cast.volunteer, 1, "card"),
        (11, "Pass semaine", cast.member_a, 1, None if last else "card"),
        (18, "Billet événement", cast.volunteer, 3, "cash"),
        (20, "Repas à la cantine", cast.member_b, 8, "cash"),
    ]
    if month.month % 3 == 0:
        plan.append((8, "Carnet de 10 journées", cast.member_b, 1, "transfer"))
    if last:
        plan.append((6, "Pack 10 h machines", cast.login or cast.member_a, 1, "card"))
        plan.append((14, "Pass mois", cast.volunteer, 1, None))
    for day, name, person, quantity, method in sorted(plan, key=lambda row: row[0]):
        when = clock.on(month + timedelta(days=day))
        sales.buy(
            actor=cast.coordinator,
            product=products[name],
            person=person,
            quantity=quantity,
            start=when,
            payment_method=method,
            issue_date=when,
        )
    return len(plan)


def _fundings(w: Writer, place: Place, months: list[date]) -> None:
    """A local authority's agreement, a regional grant and a sponsorship: written once."""
    if Funding.objects.filter(place=place).exists():
        return
    rows = [
        (f"Ville de {place.commune}", True, "Convention d'objectifs", "500.00", months[1], 14),
        ("Conseil régional", True, "Subvention de fonctionnement", "250.00", months[2], 9),
        ("Fondation des territoires", False, "Mécénat", "450.00", months[0], 19),
    ]
    for funder, public, description, amount, month, day in rows:
        w.upsert(
            Funding,
            {"place": place, "funder": funder, "description": description},
            {
                "public": public,
                "amount": Decimal(amount),
                "received_on": month + timedelta(days=day),
                "family": "partnerships",
            },
        )


def load_place_money(w: Writer, place: Place, cast: Cast | None) -> None:
    _profile(w, place)
    products = _catalogue(w, place)
    town_hall = _town_hall(w, place)
    if cast is None:
        return
    today = billing_queries.local_today(place)
    current = today.replace(day=1)
    months = [current - relativedelta(months=n) for n in range(MONTHS, 0, -1)]
    _subscriptions(w, cast, products, months[0])
    _fundings(w, place, months)
    clock = Clock(place, today)
    for month in months:
        if BillRun.objects.filter(place=place, month=month).exists():
            continue
        _room_hire(place, cast, town_hall, month)
        run = billrun.confirm(
            actor=cast.coordinator, place=place, month=month, issue_date=clock.on(month)
        )
        last = month == months[-1]
        w.created += 1 + run.invoice_count
        w.created += _pay_run(run, cast, month, unpaid_every=3 if last else 5)
        w.created += _sales(cast, products, month, clock, last)
    w.created += _current_allowances(place, current)
    w.created += credits.expire_due(today=today, place=place)


def _current_allowances(place: Place, month: date) -> int:
    """This month's plan allowances, as the month's bill run will grant them (`grant_cycle`
    is idempotent per cycle): the members can book with their hours before the run."""
    granted = 0
    rows = (
        Subscription.objects.filter(
            place=place, product__kind=Product.Kind.PLAN, person__isnull=False, start__lte=month
        )
        .exclude(product__wallet="")
        .exclude(end__lt=month)
        .select_related("product")
    )
    for subscription in rows:
        if not subscription.credits.filter(period_start=month).exists():
            end = month + relativedelta(months=1) - timedelta(days=1)
            if credits.grant_cycle(subscription=subscription, period_start=month, period_end=end):
                granted += 1
    return granted


def load_money(w: Writer, places: dict[str, Place]) -> None:
    """Billing profiles and catalogues of every demo place, and three months of billing."""
    casts = _casts(places)
    for slug, place in places.items():
        load_place_money(w, place, casts.get(slug))
