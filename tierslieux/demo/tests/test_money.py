"""The demo's money: every place can invoice and has a catalogue, three past months are
billed, partly paid and funded, the member login has a plan, credits and invoices, and
loading again writes nothing in billing and members either."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.core import serializers
from django.test import Client

from tierslieux.accounts.models import Person
from tierslieux.billing import integrity, revenue_queries
from tierslieux.billing.exports.sepa import creditor_id_is_valid, iban_is_valid
from tierslieux.billing.models import BillingProfile, Customer, Funding, Invoice, Payment
from tierslieux.core.validators import validate_siren, validate_siret
from tierslieux.demo import data, money
from tierslieux.demo.loader import load_demo
from tierslieux.members import queries as members_queries
from tierslieux.members.models import BillRun, Product, RoomRate, Subscription
from tierslieux.places.models import Place

MICRO = data.MICRO_CENTRE["slug"]
MEMBER = "membre@demo.tierslieux.fr"


def dump() -> dict[str, list[dict]]:
    """Every row of billing, members and the audit log."""
    rows = {}
    for label in ("core", "billing", "members"):
        for model in apps.get_app_config(label).get_models():
            rows[model._meta.label] = json.loads(
                serializers.serialize("json", model.objects.order_by("pk"))
            )
    return rows


def test_every_place_sells_the_catalogue_and_has_three_months_billed_paid_and_funded(demo):
    names = [name for _kind, name, *_rest in money.CATALOGUE]
    for place in Place.objects.all():
        validate_siret(place.siret)
        profile = BillingProfile.objects.get(place=place)
        assert iban_is_valid(profile.iban) and profile.iban.startswith("FR76")
        assert creditor_id_is_valid(profile.sepa_creditor_id)
        assert profile.bic
        products = {p.name: p for p in Product.objects.filter(place=place)}
        assert list(products) == names or set(products) == set(names)
        membership = products["Adhésion individuelle"]
        assert (membership.price_net, membership.min_price_net) == (Decimal(50), Decimal(10))
        assert membership.tax_code == "exempt_261_7_1b" and membership.period == "year"
        resident = products["Coworking résident"]
        assert (resident.price_net, resident.wallet, resident.credits) == (
            Decimal(160),
            "room_hours",
            Decimal(10),
        )
        assert products["Billet événement"].tax_code == "vat_5_5"
        assert products["Pass journée"].price_net == Decimal(15)
        rates = RoomRate.objects.filter(place=place)
        assert rates.exists()
        days = [r.price_net for r in rates.filter(unit="day")]
        assert all(Decimal(100) <= price <= Decimal(300) for price in days)
        assert {r.audience for r in rates} == set(RoomRate.Audience.values)
        town_hall = Customer.objects.get(place=place, kind=Customer.Kind.PUBLIC_BODY)
        validate_siren(town_hall.siren)
        for product in products.values():
            product.full_clean()

    # Three past months billed, partly paid, and funded.
    for place in Place.objects.all():
        current = place.today().replace(day=1)
        months = {current - relativedelta(months=n) for n in (1, 2, 3)}
        assert set(BillRun.objects.filter(place=place).values_list("month", flat=True)) == months
        issued = Invoice.objects.filter(place=place, status=Invoice.Status.ISSUED)
        assert issued.count() >= 15
        assert not Invoice.objects.filter(place=place, status=Invoice.Status.DRAFT).exists()
        assert Payment.objects.filter(place=place).exists()
        assert integrity.verify(place).intact
        fundings = Funding.objects.filter(place=place)
        assert fundings.count() == 3 and fundings.filter(public=False).count() == 1
        assert Subscription.objects.filter(place=place, organisation__isnull=False).exists()
        paid_by_organisation = Subscription.objects.filter(
            place=place, person__isnull=False, customer__organisation__isnull=False
        )
        assert paid_by_organisation.exists()

        board = revenue_queries.dashboard(place)
        years = {m.year for m in months}
        totals = sum((revenue_queries.dashboard(place, y).revenue.total for y in years), Decimal(0))
        assert totals > Decimal(2000)
        assert board.receivables.total > 0
        assert board.receivables.overdue > 0
        shares = {s.family: s.total for s in board.revenue.shares}
        assert board.year != current.year or shares["partnerships"] > 0

    # Numbers follow dates: a month loaded later is dated after the invoices made since in
    # the application, and never in the future.
    micro = Place.objects.get(slug=MICRO)
    today = micro.today()
    last = Invoice.objects.filter(place=micro, status=Invoice.Status.ISSUED).latest("issue_date")
    clock = money.Clock(micro, today)
    assert clock.on(last.issue_date - timedelta(days=40)) == last.issue_date
    assert clock.on(today + timedelta(days=3)) == today


def test_the_member_login_has_a_plan_credits_and_invoices_in_the_portal(demo):
    person = Person.objects.get(user__email=MEMBER)
    micro = Place.objects.get(slug=MICRO)
    today = micro.today()
    plans = Subscription.objects.filter(person=person, place=micro, product__kind="plan")
    assert plans.filter(end__isnull=True).exists()
    balances = members_queries.balances(person, micro)
    assert balances["room_hours"] == Decimal(10)  # this month's allowance
    assert balances["machine_hours"] == Decimal(10)  # the pack bought last month
    invoices = Invoice.objects.filter(customer__person=person, status=Invoice.Status.ISSUED)
    assert invoices.count() >= 3

    client = Client()
    client.force_login(person.user)
    page = client.get(f"/me/{micro.slug}/invoices/")
    assert page.status_code == 200
    shown = page.content.decode()
    assert all(number in shown for number in invoices.values_list("number", flat=True))
    assert client.get(f"/me/{micro.slug}/plan/").status_code == 200
    credits_page = client.get(f"/me/{micro.slug}/credits/")
    assert credits_page.status_code == 200
    assert all(e.expires_on >= today for e in credits_page.context["expiring"])
    assert "Pass journée" in client.get(f"/me/{micro.slug}/buy/").content.decode()

    client.force_login(Person.objects.get(user__email="coordination@demo.tierslieux.fr").user)
    response = client.get(f"/manage/{micro.slug}/revenue/")
    assert response.status_code == 200
    assert response.context["data"].receivables.count > 0


def test_loading_again_writes_nothing_in_billing_and_members(demo):
    before = dump()
    again = load_demo()
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert dump() == before
    assert before["billing.Invoice"] and before["members.BillRun"] and before["members.Pass"]
