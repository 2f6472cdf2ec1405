"""The demo's economic model, written through the economics services as the people would:

- the micro-centre's launch plan (the typical template) starting with the three months of
  billing the demo writes (`money`), its expenses for those months and its grants (linked to
  the fundings `money` records from the same funders, so that each is counted once), so its
  actuals page sets real figures against the plan and tells the gaps;
- the network's project for « Le Plateau partagé » (Felletin, the census's declaration of a
  place in project): the rural template opening next April (shared read-only: the link the
  network sent to the town), and a variant where the town lets the old station for 1,200 € a
  month, to compare side by side.

Scenarios and grants are written once (by name, by funder); the expenses month by month, a
month only when the place has none in it, as `money` writes its months.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from tierslieux.accounts.models import User
from tierslieux.billing.models import Funding
from tierslieux.demo.events import coordinator_of
from tierslieux.demo.money import MONTHS
from tierslieux.demo.people import DOMAIN
from tierslieux.economics import services, services_actuals
from tierslieux.economics.models import Expense, Grant, Scenario
from tierslieux.places.models import Network, Place

LAUNCH_PLAN = "Plan de lancement"
PROJECT = "Le Plateau partagé (Felletin)"
PROJECT_PLAN = "Le Plateau partagé, hypothèse rurale"
PROJECT_VARIANT = "Le Plateau partagé, la gare louée 1\u00a0200\u00a0€"

# (day of the month, category, label, amount for each of the three months)
EXPENSES: list[tuple[int, str, str, tuple[str, str, str]]] = [
    (5, "rent", "Loyer et charges", ("2400.00", "2400.00", "2400.00")),
    (
        28,
        "staff",
        "Salaires et charges, coordination et accueil",
        ("4160.00", "4420.00", "4160.00"),
    ),
    (10, "insurance", "Assurance multirisque", ("300.00", "300.00", "300.00")),
    (15, "maintenance", "Entretien et ménage", ("285.00", "340.00", "310.00")),
    (3, "subscriptions", "Logiciels et abonnements", ("250.00", "250.00", "250.00")),
    (20, "variable", "Intervenants des ateliers", ("680.00", "820.00", "760.00")),
    (12, "variable", "Communication", ("310.00", "420.00", "380.00")),
    (18, "variable", "Consommables", ("240.00", "190.00", "260.00")),
]


def first_months(place: Place) -> list[date]:
    """The months the demo bills (`money.MONTHS` before the current one), first days."""
    current = place.today().replace(day=1)
    return [current - relativedelta(months=n) for n in range(MONTHS, 0, -1)]


def next_april(today: date) -> date:
    year = today.year if today.month < 4 else today.year + 1
    return date(year, 4, 1)


def _launch_plan(coordinator: User, place: Place, start: date) -> None:
    if Scenario.objects.filter(place=place, name=LAUNCH_PLAN).exists():
        return
    services.create_from_template(
        actor=coordinator, place=place, template="micro-centre:typical", name=LAUNCH_PLAN,
        start=f"{start:%Y-%m}",
    )  # fmt: skip


def _expenses(coordinator: User, place: Place, months: list[date]) -> None:
    for n, month in enumerate(months):
        end = month + relativedelta(months=1) - timedelta(days=1)
        if Expense.objects.filter(place=place, date__range=(month, end)).exists():
            continue
        for day, category, label, amounts in EXPENSES:
            services_actuals.add_expense(
                actor=coordinator, place=place, date=month.replace(day=day),
                category=category, label=label, amount=Decimal(amounts[n]),
            )  # fmt: skip


def _grants(coordinator: User, place: Place, start: date) -> None:
    """The town's yearly agreement, the Region's three-year start-up programme and a
    foundation's sponsorship for the first year (the funders `money` records fundings of)."""
    wanted = [
        ("town", f"Ville de {place.commune}", "12500.00", 12),
        ("region", "Conseil régional", "30000.00", 36),
        ("private", "Fondation des territoires", "5400.00", 12),
    ]
    for kind, funder, amount, months in wanted:
        if Grant.objects.filter(place=place, funder=funder).exists():
            continue
        grant = services_actuals.add_grant(
            actor=coordinator, place=place, funder_kind=kind, funder=funder,
            amount=Decimal(amount), first_month=start,
            last_month=start + relativedelta(months=months - 1),
        )  # fmt: skip
        # What billing recorded as received from this funder pays the grant: counted once.
        paid = Funding.objects.filter(place=place, funder=funder, grant_receipts__isnull=True)
        for funding in paid:
            services_actuals.link_funding(actor=coordinator, grant=grant, funding=funding)


def _project(network: Network, today: date) -> None:
    admin = User.objects.filter(email=f"reseau@{DOMAIN}").first()
    if admin is None or Scenario.objects.filter(network=network, project=PROJECT).exists():
        return
    plan = services.create_from_template(
        actor=admin, network=network, template="micro-centre:rural", name=PROJECT_PLAN,
        project=PROJECT, start=f"{next_april(today):%Y-%m}",
    )  # fmt: skip
    services.share(actor=admin, scenario=plan)  # the link the network sent to the town
    variant = services.duplicate(actor=admin, scenario=plan, name=PROJECT_VARIANT)
    services.change_drivers(actor=admin, scenario=variant, values={"fixed_costs[0].monthly": 1200})


def load_economics(places: dict[str, Place], micro_centre_slug: str, network: Network) -> None:
    place = places[micro_centre_slug]
    coordinator = coordinator_of(place)
    if coordinator is not None:
        months = first_months(place)
        _launch_plan(coordinator, place, months[0])
        _expenses(coordinator, place, months)
        _grants(coordinator, place, months[0])
    _project(network, place.today())
