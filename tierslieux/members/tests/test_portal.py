"""The member portal, persona by persona: a member sees their plan, credits, passes and
invoices and downloads their PDF; nobody else reaches them (404, never 403); buying issues an
invoice, and a refused purchase writes nothing."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal as D

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tierslieux.billing.models import Customer, Invoice
from tierslieux.billing.services.customers import customer_for_organisation, customer_for_person
from tierslieux.billing.tests import factories as bf
from tierslieux.members import cycles
from tierslieux.members.models import BillRun, CreditEntry, Pass, Subscription
from tierslieux.members.services import credits, sales
from tierslieux.members.tests import factories as mf
from tierslieux.members.views import portal as portal_views
from tierslieux.places.tests import factories as pf


def url(name: str, place, *args) -> str:
    return reverse(f"portal:{name}", args=[place.slug, *args])


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture(scope="module")
def _shop(django_db_setup, django_db_blocker):
    """The place, its team, a member who bought a day pass (its invoice issued) and a
    membership on sale: built once for the module, rolled back at its end (each test runs
    in its own savepoint, so what one writes the next does not see)."""
    with django_db_blocker.unblock(), transaction.atomic():
        place = mf.place()
        owner = mf.coordinator(place)
        member = pf.with_role(pf.user(language="en"), place, "member")
        day_pass = mf.product(place, "pass", name="Pass journée", price_net="15.00")
        membership = mf.product(
            place, "membership", name="Adhésion", price_net="50.00", min_price_net="10.00"
        )
        sale = sales.buy(actor=member, product=day_pass, person=member.person)
        built = {
            "place": place,
            "owner": owner,
            "member": member,
            "day_pass": day_pass,
            "membership": membership,
            "invoice": sale.invoice,
        }
        yield {name: (type(row), row.pk) for name, row in built.items()}
        transaction.set_rollback(True)


@pytest.fixture
def shop(_shop):
    """The module's rows, read afresh for each test: what a test changes in memory stays
    its own."""
    return {name: model.objects.get(pk=pk) for name, (model, pk) in _shop.items()}


# --- who gets in --------------------------------------------------------------------------


def test_a_member_sees_their_invoices_and_downloads_the_pdf(shop):
    place, invoice = shop["place"], shop["invoice"]
    client = client_for(shop["member"])
    page = client.get(url("invoices", place))
    assert page.status_code == 200
    assert invoice.number in page.content.decode()
    response = client.get(url("invoice_pdf", place, invoice.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{invoice.number}.pdf"'
    assert response.content.startswith(b"%PDF")


def test_another_member_gets_404_for_the_invoice_and_never_sees_it(shop):
    place, invoice = shop["place"], shop["invoice"]
    other = pf.member(place)
    client = client_for(other)
    assert client.get(url("invoice_pdf", place, invoice.pk)).status_code == 404
    page = client.get(url("invoices", place))
    assert page.status_code == 200
    assert invoice.number not in page.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "other_coordinator"])
def test_people_with_nothing_at_the_place_get_404_everywhere(shop, persona):
    place, invoice = shop["place"], shop["invoice"]
    user = pf.user() if persona == "outsider" else pf.coordinator(pf.place())
    client = client_for(user)
    for name, args in [
        ("home", ()),
        ("plan", ()),
        ("credits", ()),
        ("invoices", ()),
        ("buy", ()),
        ("invoice_pdf", (invoice.pk,)),
    ]:
        assert client.get(url(name, place, *args)).status_code == 404, name
    response = client.post(
        url("buy", place), {"product_id": shop["day_pass"].pk, f"p{shop['day_pass'].pk}-start": ""}
    )
    assert response.status_code == 404
    assert Invoice.objects.count() == 1


def test_the_place_team_is_not_shown_a_members_invoice(shop):
    client = client_for(shop["owner"])
    assert client.get(url("home", shop["place"])).status_code == 200  # their own portal
    assert client.get(url("invoice_pdf", shop["place"], shop["invoice"].pk)).status_code == 404


def test_a_customer_without_a_role_still_reaches_their_invoices(shop):
    place = shop["place"]
    former = pf.user()
    customer = customer_for_person(place, former.person)
    invoice = bf.issued(shop["owner"], customer)
    client = client_for(former)
    assert client.get(url("home", place)).status_code == 200
    assert client.get(url("invoice_pdf", place, invoice.pk)).status_code == 200


def test_an_organisations_invoices_show_only_to_its_billing_contact(shop):
    place, member = shop["place"], shop["member"]
    organisation = pf.organisation(name="Atelier Bois")
    organisation.people.add(member.person)
    org_customer = customer_for_organisation(place, organisation)
    org_invoice = bf.issued(shop["owner"], org_customer)
    client = client_for(member)
    assert client.get(url("invoice_pdf", place, org_invoice.pk)).status_code == 404
    assert org_invoice.number not in client.get(url("invoices", place)).content.decode()
    contact = bf.customer(place, name="Atelier Bois (contact)", person=member.person)
    contact_invoice = bf.issued(shop["owner"], contact)
    assert client.get(url("invoice_pdf", place, contact_invoice.pk)).status_code == 200


def test_an_anonymous_visitor_is_sent_to_log_in(shop):
    response = Client().get(url("invoice_pdf", shop["place"], shop["invoice"].pk))
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert Client().post(url("invoice_pdf", shop["place"], shop["invoice"].pk)).status_code == 405


# --- buying -------------------------------------------------------------------------------


def test_buying_a_day_pass_issues_the_invoice_and_says_so(shop):
    place, member, day_pass = shop["place"], shop["member"], shop["day_pass"]
    client = client_for(member)
    page = client.get(url("buy", place)).content.decode()
    assert "Pass journée" in page and "Adhésion" in page
    start = place.today() + timedelta(days=3)
    asked = {"product_id": day_pass.pk, f"p{day_pass.pk}-start": start.isoformat()}
    before = Invoice.objects.count()
    confirmation = client.post(url("buy", place), asked)
    assert confirmation.status_code == 200
    assert Invoice.objects.count() == before  # asked first, nothing issued
    shown = confirmation.content.decode()
    assert "Total: 18.00\u00a0€ including tax" in shown and "An invoice will be issued" in shown
    response = client.post(url("buy", place), {**asked, "confirm": "1"})
    invoice = Invoice.objects.filter(customer__person=member.person).latest("sequence_number")
    assert response.status_code == 302
    assert response["Location"] == f"{url('invoices', place)}?new={invoice.pk}#invoice-{invoice.pk}"
    assert invoice.total_gross == D("18.00")
    assert Pass.objects.filter(person=member.person, valid_from=start, invoice=invoice).exists()
    shown = client.get(response["Location"]).content.decode()
    assert f"Your invoice {invoice.number} is ready." in shown
    assert f"Download invoice {invoice.number} (PDF)" in shown
    assert url("invoice_pdf", place, invoice.pk) in shown


@pytest.mark.parametrize("language", ["en", "fr"])
def test_a_product_numbered_beyond_999_is_bought_like_any_other(shop, language):
    """Ids reach the thousands in a real place: no page writes them with a thousands
    separator (« 12 345 », "12,345"), which would name no product."""
    place, member = shop["place"], shop["member"]
    member.language = language
    member.save(update_fields=["language"])
    ticket = mf.product(place, "ticket", name="Concert", price_net="8.00", pk=12345)
    client = client_for(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    page = client.get(url("buy", place)).content.decode()
    assert 'id="product-12345"' in page and 'name="product_id" value="12345"' in page
    response = client.post(url("buy", place), {"product_id": "12345", "confirm": "1"})
    assert response.status_code == 302
    line = Invoice.objects.filter(customer__person=member.person).latest("sequence_number")
    assert line.lines.get().description.startswith("Concert")
    assert ticket.pk == 12345


def test_a_pay_what_you_want_price_below_the_minimum_is_refused_and_writes_nothing(shop):
    place, membership = shop["place"], shop["membership"]
    client = client_for(shop["member"])
    counts = (Invoice.objects.count(), Subscription.objects.count(), CreditEntry.objects.count())
    response = client.post(
        url("buy", place),
        {
            "product_id": membership.pk,
            f"p{membership.pk}-price": "5.00",
            f"p{membership.pk}-start": place.today().isoformat(),
        },
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "is at least" in page and "5.00" in page  # the service's reason, in the form
    offers = response.context["offers"]
    form = next(form for product, form in offers if product.pk == membership.pk)
    assert "price" in form.errors
    assert (
        Invoice.objects.count(),
        Subscription.objects.count(),
        CreditEntry.objects.count(),
    ) == counts


def test_a_solidarity_price_at_the_minimum_buys_the_membership(shop):
    place, membership, member = shop["place"], shop["membership"], shop["member"]
    response = client_for(member).post(
        url("buy", place),
        {
            "product_id": membership.pk,
            f"p{membership.pk}-price": "10.00",
            f"p{membership.pk}-start": place.today().isoformat(),
            "confirm": "1",
        },
    )
    assert response.status_code == 302
    subscription = Subscription.objects.get(product=membership, person=member.person)
    assert subscription.price_net == D("10.00")
    offered = [p for p, _form in client_for(member).get(url("buy", place)).context["offers"]]
    assert membership not in offered and shop["day_pass"] in offered  # held: not offered again


def test_a_product_of_another_place_or_not_for_sale_cannot_be_bought(shop):
    place = shop["place"]
    elsewhere = mf.product(mf.place(), "pass")
    plan = mf.product(place, "plan")  # billed by the bill run: not in the shop
    client = client_for(shop["member"])
    for product in (elsewhere, plan):
        assert client.post(url("buy", place), {"product_id": product.pk}).status_code == 404
    assert client.post(url("buy", place), {"product_id": "x"}).status_code == 404
    assert Invoice.objects.count() == 1


# --- plan and credits ---------------------------------------------------------------------


def test_the_plan_shows_the_next_period_and_cancelling_gives_the_notice_end(shop):
    place, member = shop["place"], shop["member"]
    today = place.today()
    plan = mf.product(place, "plan", name="Résident", notice_days=30)
    subscription = mf.subscription(plan, person=member.person, start=today.replace(day=1))
    client = client_for(member)
    page = client.get(url("plan", place))
    assert page.status_code == 200
    shown = page.context["subscriptions"][0]
    assert shown.next_period == subscription.start  # this month is not billed yet
    notice_end = shown.notice_end
    assert notice_end >= today + timedelta(days=30)

    asked = client.post(url("plan", place), {"cancel": subscription.pk})
    assert asked.status_code == 200 and "If you confirm, it ends on" in asked.content.decode()
    subscription.refresh_from_db()
    assert subscription.cancelled_at is None  # asked first, nothing ended
    response = client.post(url("plan", place), {"cancel": subscription.pk, "confirm": "1"})
    assert response.status_code == 302
    subscription.refresh_from_db()
    assert subscription.end == notice_end and subscription.cancelled_at is not None
    page = client.get(url("plan", place)).content.decode()
    assert "is cancelled: it ends on" in page


def test_a_member_cannot_cancel_someone_elses_subscription(shop):
    place = shop["place"]
    plan = mf.product(place, "plan")
    theirs = mf.subscription(plan, start=place.today())
    response = client_for(shop["member"]).post(url("plan", place), {"cancel": theirs.pk})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.cancelled_at is None


def test_the_credits_page_shows_balances_movements_and_what_expires_soon(shop):
    place, member = shop["place"], shop["member"]
    today = place.today()
    credits.add_purchase(
        person=member.person,
        place=place,
        wallet="room_hours",
        quantity=D("10"),
        expires_on=today + timedelta(days=10),
    )
    credits.add_purchase(
        person=member.person,
        place=place,
        wallet="machine_hours",
        quantity=D("5"),
        expires_on=today + timedelta(days=200),
    )
    response = client_for(member).get(url("credits", place))
    assert response.status_code == 200
    balances = dict(response.context["balances"])
    assert balances["Room hours"] == D("10") and balances["Desk days"] == D("0")
    expiring = response.context["expiring"]
    assert [(e.wallet, e.quantity, e.expires_on) for e in expiring] == [
        ("room_hours", D("10"), today + timedelta(days=10))
    ]
    assert len(response.context["entries"]) == 2
    assert "Pass journée" in response.content.decode()  # the pass bought in the fixture


def test_the_home_page_gathers_plan_credits_passes_and_invoices(shop):
    response = client_for(shop["member"]).get(url("home", shop["place"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert shop["invoice"].number in page and "Pass journée" in page


def test_the_next_period_is_the_first_month_no_bill_run_has_billed(shop):
    """A month not yet billed is the next one billed; once its run is confirmed, the next."""
    place, member = shop["place"], shop["member"]
    today = place.today()
    this_month = today.replace(day=1)
    plan = mf.product(place, "plan", name="Résident")
    mf.subscription(plan, person=member.person, start=this_month.replace(year=this_month.year - 1))
    client = client_for(member)
    last_month = (this_month - timedelta(days=1)).replace(day=1)
    BillRun.objects.create(place=place, month=last_month, issue_date=this_month)
    assert client.get(url("plan", place)).context["subscriptions"][0].next_period == this_month
    BillRun.objects.create(place=place, month=this_month, issue_date=today)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    assert client.get(url("plan", place)).context["subscriptions"][0].next_period == next_month


def test_a_membership_sold_at_the_desk_is_not_shown_as_billed_again(shop):
    place, member = shop["place"], shop["member"]
    today = place.today()
    fee = mf.product(place, "membership", name="Adhésion", period="year")
    membership = mf.subscription(fee, person=member.person, start=today)
    assert portal_views.next_period(membership, None) == today  # not charged yet
    charged = {today.isoformat()}  # what the sale at the desk records
    assert portal_views.next_period(membership, None, charged) == cycles.add_years(today, 1)


def test_expiring_soon_reads_what_is_left_of_each_lot(shop):
    place, member = shop["place"], shop["member"]
    today = place.today()
    lot = credits.add_purchase(
        person=member.person,
        place=place,
        wallet="room_hours",
        quantity=D("10"),
        expires_on=today + timedelta(days=19),
    )
    credits.consume(
        person=member.person, place=place, wallet="room_hours", quantity=D("4"), source="booking:1"
    )
    entries = list(CreditEntry.objects.filter(person=member.person))
    soon = portal_views.expiring_soon(entries, today)
    assert [(e.quantity, e.expires_on) for e in soon] == [(D("6"), lot.expires_on)]
    assert portal_views.expiring_soon(entries, today + timedelta(days=20)) == []
    assert portal_views.expiring_soon(entries, today - timedelta(days=12)) == []  # not yet soon


def test_customers_of_the_member_are_their_own_only(shop):
    # The fixture's sale made the member's own customer; nobody else's is counted.
    assert list(Customer.objects.filter(person=shop["member"].person)) == [shop["invoice"].customer]


def test_in_french_ending_a_subscription_reads_resilier_and_states_its_end(shop):
    place, member = shop["place"], shop["member"]
    member.language = "fr"
    member.save(update_fields=["language"])
    plan = mf.product(place, "plan", name="Résident", notice_days=30)
    subscription = mf.subscription(plan, person=member.person, start=place.today().replace(day=1))
    client = client_for(member)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    assert "Résilier" in client.get(url("plan", place)).content.decode()
    asked = client.post(url("plan", place), {"cancel": subscription.pk}).content.decode()
    assert "Si vous confirmez, il prendra fin le" in asked and "Garder mon abonnement" in asked
