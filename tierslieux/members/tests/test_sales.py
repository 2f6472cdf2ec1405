"""One-off sales: a member buys for themself, the team sells to anyone; each sale is an
issued invoice plus what it paid for (a pass, credits, a membership), or nothing at all."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tierslieux.billing.models import Customer, Invoice, Payment
from tierslieux.billing.queries import payment_state
from tierslieux.members.models import Charge, CreditEntry, Pass, Subscription
from tierslieux.members.services.sales import buy
from tierslieux.members.tests import factories as f

pytestmark = pytest.mark.usefixtures("english")  # refusals in their English source


def counts() -> tuple[int, ...]:
    return (
        Invoice.objects.count(),
        Pass.objects.count(),
        CreditEntry.objects.count(),
        Subscription.objects.count(),
        Charge.objects.count(),
        Payment.objects.count(),
    )


def refused(**kwargs) -> ValidationError:
    before = counts()
    with pytest.raises(ValidationError) as error:
        buy(**kwargs)
    assert counts() == before, "a refusal wrote something"
    return error.value


def denied(**kwargs) -> None:
    before = counts()
    with pytest.raises(PermissionDenied):
        buy(**kwargs)
    assert counts() == before, "a denied sale wrote something"


# --- What a member buys ---------------------------------------------------------------------


def test_a_member_buys_a_day_pass_invoiced_at_once_and_valid_that_day(place, member):
    day_pass = f.product(place, "pass", name="Pass journée")
    today = place.today()

    sale = buy(actor=member, product=day_pass)

    invoice = sale.invoice
    assert invoice.is_issued and invoice.number
    assert (invoice.total_net, invoice.total_gross) == (Decimal("20.00"), Decimal("24.00"))
    assert invoice.customer.person == member.person
    assert (invoice.service_start, invoice.service_end) == (today, today)
    assert (sale.pass_.person, sale.pass_.valid_from, sale.pass_.valid_until) == (
        member.person,
        today,
        today,
    )
    assert sale.pass_.invoice == invoice
    line = invoice.lines.get()
    assert (line.family, line.account, line.tax_code) == ("memberships", "706000", "vat_20")
    assert line.description.startswith("Pass journée — ")
    assert sale.credit is None and sale.subscription is None


def test_the_line_is_described_in_the_customer_s_language(place, coordinator):
    day_pass = f.product(place, "pass", name="Pass journée")
    person = f.user(language="fr").person
    sale = buy(actor=coordinator, product=day_pass, person=person, start=date(2026, 11, 23))
    assert sale.invoice.lines.get().description == "Pass journée — 23 novembre 2026"


def test_three_week_passes_run_one_after_the_other(place, coordinator):
    week = f.product(place, "pass", name="Pass semaine", validity_days=7, price_net="80")
    person = f.user(language="en").person
    sale = buy(actor=coordinator, product=week, person=person, quantity=3, start=date(2026, 11, 23))
    assert (sale.pass_.valid_from, sale.pass_.valid_until) == (
        date(2026, 11, 23),
        date(2026, 12, 13),
    )
    line = sale.invoice.lines.get()
    assert (line.quantity, line.net) == (Decimal("3.000"), Decimal("240.00"))
    assert line.description == "Pass semaine — Nov. 23, 2026 to Dec. 13, 2026"
    assert sale.invoice.service_end == date(2026, 12, 13)


def test_a_book_of_ten_desk_days_credits_the_member(place, member):
    book = f.product(
        place, "pack", name="Carnet 10 jours", wallet="desk_days", credits="10", price_net="150"
    )
    today = place.today()
    sale = buy(actor=member, product=book)
    credit = sale.credit
    assert (credit.person, credit.wallet, credit.quantity, credit.reason) == (
        member.person,
        "desk_days",
        Decimal("10.00"),
        "purchase",
    )
    assert credit.expires_on == today + timedelta(days=364)
    assert credit.product == book
    line = sale.invoice.lines.get()
    assert (line.family, line.net) == ("services", Decimal("150.00"))
    assert sale.pass_ is None


def test_two_packs_give_twice_the_credits(place, coordinator):
    pack = f.product(place, "pack", validity_days=None)
    sale = buy(actor=coordinator, product=pack, person=f.user().person, quantity=2)
    assert sale.credit.quantity == Decimal("20.00")
    assert sale.credit.expires_on is None


def test_a_member_buys_a_yearly_membership_invoiced_for_the_year(place, member):
    membership = f.product(place, "membership", name="Adhésion")
    today = place.today()

    sale = buy(actor=member, product=membership)

    subscription = sale.subscription
    assert (subscription.person, subscription.start, subscription.end) == (
        member.person,
        today,
        None,
    )
    assert subscription.customer == sale.invoice.customer
    year_end = today.replace(year=today.year + 1) - timedelta(days=1)
    assert (sale.invoice.service_start, sale.invoice.service_end) == (today, year_end)
    line = sale.invoice.lines.get()
    assert (line.family, line.account, line.tax_code, line.net) == (
        "memberships",
        "756000",
        "exempt_261_7_1b",
        Decimal("50.00"),
    )
    assert sale.invoice.total_gross == Decimal("50.00")
    # The year is recorded as invoiced, so the bill run does not bill it again.
    charge = Charge.objects.get(subscription=subscription)
    assert charge.source == f"subscription:{subscription.pk}:{today.isoformat()}"
    assert charge.invoice_line == line
    assert (charge.service_date, charge.service_end) == (today, year_end)
    assert (charge.unit_price_net, charge.customer) == (Decimal("50.00"), subscription.customer)


def test_a_membership_granting_credits_grants_the_first_year(place, coordinator):
    membership = f.product(place, "membership", wallet="machine_hours", credits="5")
    sale = buy(actor=coordinator, product=membership, person=f.user().person)
    assert sale.credit.reason == "grant"
    assert sale.credit.subscription == sale.subscription


def test_a_member_holding_the_membership_cannot_buy_it_again(place, member):
    membership = f.product(place, "membership")
    buy(actor=member, product=membership)
    assert refused(actor=member, product=membership).code == "overlap"


def test_a_ticket_or_a_service_is_just_the_invoice(place, member):
    ticket = f.product(place, "ticket", name="Concert")
    sale = buy(actor=member, product=ticket, quantity=2)
    assert sale.invoice.total_net == Decimal("24.00")
    assert sale.invoice.total_gross == Decimal("25.32")  # VAT 5.5 %
    assert (sale.pass_, sale.credit, sale.subscription) == (None, None, None)
    assert sale.invoice.lines.get().description == "Concert"


def test_pay_what_you_want(place, member):
    solidarity = f.product(place, "membership", price_net="20", min_price_net="5")
    error = refused(actor=member, product=solidarity, price_net="4")
    assert error.code == "below_minimum"
    assert "at least 5.00" in error.messages[0]
    sale = buy(actor=member, product=solidarity, price_net="8")
    assert sale.invoice.total_net == Decimal("8.00")
    assert sale.subscription.price_net == Decimal("8.00")


def test_a_member_pays_the_fixed_price(place, member):
    day_pass = f.product(place, "pass")
    error = refused(actor=member, product=day_pass, price_net="1")
    assert error.code == "fixed_price"
    assert "20.00" in error.messages[0]


# --- What is refused ------------------------------------------------------------------------


@pytest.mark.parametrize("quantity", [0, -1, "1.5", "two"])
def test_a_quantity_is_a_whole_number_of_at_least_one(place, member, quantity):
    error = refused(actor=member, product=f.product(place, "ticket"), quantity=quantity)
    assert error.code == "quantity"


def test_a_product_off_sale_is_refused(place, member):
    error = refused(actor=member, product=f.product(place, "pass", active=False))
    assert error.code == "inactive"


def test_a_monthly_plan_is_subscribed_not_bought(place, member):
    error = refused(actor=member, product=f.product(place, "plan"))
    assert error.code == "monthly"
    assert "bill run" in error.messages[0]


def test_a_membership_is_bought_once_at_a_time(place, member):
    error = refused(actor=member, product=f.product(place, "membership"), quantity=2)
    assert error.code == "quantity_one"


def test_a_member_cannot_start_a_pass_in_the_past(place, member):
    yesterday = place.today() - timedelta(days=1)
    error = refused(actor=member, product=f.product(place, "pass"), start=yesterday)
    assert error.code == "past"


def test_a_seller_without_siret_sells_nothing(member):
    place = f.place(siret="")
    buyer = f.member(place)
    error = refused(actor=buyer, product=f.product(place, "pass"))
    assert error.code == "seller_siren"


def test_a_company_without_siren_is_refused(place, coordinator):
    company = f.customer(place, kind=Customer.Kind.COMPANY, siren="")
    error = refused(actor=coordinator, product=f.product(place, "service"), customer=company)
    assert error.code == "buyer_siren"


def test_a_pass_bought_by_a_company_names_who_uses_it(place, coordinator):
    company = f.customer(place, kind=Customer.Kind.COMPANY)
    error = refused(actor=coordinator, product=f.product(place, "pass"), customer=company)
    assert error.code == "person_required"
    person = f.user().person
    sale = buy(actor=coordinator, product=f.product(place, "pass"), customer=company, person=person)
    assert sale.invoice.customer == company and sale.pass_.person == person


def test_the_team_says_who_buys(place, coordinator):
    assert refused(actor=coordinator, product=f.product(place, "ticket")).code == "no_buyer"


def test_a_customer_of_another_place_is_refused(place, coordinator):
    stranger = f.customer(f.place())
    error = refused(actor=coordinator, product=f.product(place, "ticket"), customer=stranger)
    assert error.code == "other_place"


# --- Who may buy ----------------------------------------------------------------------------


def test_a_member_cannot_buy_for_someone_else(place, member):
    day_pass = f.product(place, "pass")
    other = f.member(place)
    denied(actor=member, product=day_pass, person=other.person)
    denied(actor=member, product=day_pass, customer=f.person_customer(place, other.person))
    denied(actor=member, product=day_pass, customer=f.customer(place))


def test_a_member_cannot_buy_another_place_s_product(place, member):
    denied(actor=member, product=f.product(f.place(), "pass"))


def test_someone_without_a_role_at_the_place_cannot_buy(place):
    denied(actor=f.user(), product=f.product(place, "pass"))


def test_a_member_neither_records_payments_nor_dates_invoices(place, member):
    day_pass = f.product(place, "pass")
    denied(actor=member, product=day_pass, payment_method="cash")
    denied(actor=member, product=day_pass, issue_date=date(2027, 1, 1))


def test_the_team_sells_at_the_desk_and_records_the_payment(place, coordinator):
    person = f.user().person
    sale = buy(
        actor=coordinator,
        product=f.product(place, "pass"),
        person=person,
        payment_method="card",
        issue_date=place.today(),
    )
    payment = Payment.objects.get()
    assert (payment.amount, payment.method, payment.customer) == (
        Decimal("24.00"),
        "card",
        sale.invoice.customer,
    )
    assert payment_state(sale.invoice) == "paid"


def test_the_team_may_discount(place, coordinator):
    sale = buy(
        actor=coordinator,
        product=f.product(place, "service"),
        person=f.user().person,
        price_net="0",
    )
    assert sale.invoice.total_gross == Decimal("0.00")


def test_an_unknown_payment_method_undoes_the_whole_sale(place, coordinator):
    error = refused(
        actor=coordinator,
        product=f.product(place, "pack"),
        person=f.user().person,
        payment_method="bitcoin",
    )
    assert error.code == "unknown_method"
