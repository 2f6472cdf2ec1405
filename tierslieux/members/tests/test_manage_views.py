"""The members pages of the back office, per persona: the coordinator edits the catalogue,
the rate card and subscriptions (credits: `test_manage_credits_views`); nobody else sees or
changes anything."""

from __future__ import annotations

import calendar
from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import formats

from tierslieux.members.models import CreditEntry, Product, RoomRate, Subscription
from tierslieux.members.tests import factories as f

PAGES = [
    "home",
    "catalogue",
    "product_new",
    "rates",
    "subscriptions",
    "subscription_new",
    "credits",
    "bill_runs",
]


def url(place, name, *args, **query):
    base = reverse(f"members_manage:{name}", args=[place.slug, *args])
    if query:
        base += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    return base


def product_data(**overrides):
    data = {
        "name": "Résident",
        "description": "",
        "audience": "anyone",
        "price_net": "150,00",
        "tax_code": "vat_20",
        "family": "memberships",
        "account": "706000",
        "period": "month",
        "min_price_net": "",
        "wallet": "room_hours",
        "credits": "10",
        "notice_days": "30",
    }
    data.update(overrides)
    return data


@pytest.fixture
def coordinator(client, coordinator):
    """The root persona, logged in."""
    client.force_login(coordinator)
    return coordinator


def persona(name, request):
    """A root persona (staff, member, another place's coordinator), or a mere user."""
    return f.user() if name == "outsider" else request.getfixturevalue(name)


# --- Access ---------------------------------------------------------------------------------


def test_the_coordinator_sees_every_page(client, place, coordinator):
    for name in PAGES:
        response = client.get(url(place, name))
        assert response.status_code == 200, name
    product = f.product(place)
    sub = f.subscription(product, person=f.member(place).person)
    assert client.get(url(place, "product_edit", product.pk)).status_code == 200
    assert client.get(url(place, "subscription", sub.pk)).status_code == 200
    assert client.get(url(place, "person_credits", sub.person_id)).status_code == 200
    assert client.get(url(place, "product_new", kind="pack")).status_code == 200


@pytest.mark.parametrize("who", ["staff", "member", "outsider", "other_coordinator"])
def test_others_get_403_and_change_nothing(client, place, who, request):
    product = f.product(place)
    space = f.space(place)
    f.room_rate(space)
    sub = f.subscription(product, person=f.member(place).person)
    client.force_login(persona(who, request))
    for name in PAGES:
        assert client.get(url(place, name)).status_code == 403, name
    before = (
        list(Product.objects.values_list("id", "name", "active", "price_net")),
        list(RoomRate.objects.values_list("id", "price_net")),
        list(Subscription.objects.values_list("id", "end")),
        CreditEntry.objects.count(),
    )
    posts = [
        (url(place, "product_new", kind="plan"), product_data(name="Piraté")),
        (url(place, "product_edit", product.pk), product_data(name="Piraté")),
        (url(place, "product_archive", product.pk), {}),
        (url(place, "rates"), {}),
        (url(place, "subscription_new"), {"product": product.pk, "person": sub.person_id}),
        (url(place, "subscription", sub.pk), {"form": "cancel"}),
        (
            url(place, "person_credits", sub.person_id),
            {"wallet": "room_hours", "quantity": "5", "note": "x"},
        ),
    ]
    for target, data in posts:
        assert client.post(target, data).status_code == 403, target
    after = (
        list(Product.objects.values_list("id", "name", "active", "price_net")),
        list(RoomRate.objects.values_list("id", "price_net")),
        list(Subscription.objects.values_list("id", "end")),
        CreditEntry.objects.count(),
    )
    assert after == before


def test_another_places_rows_are_not_found(client, place, coordinator):
    elsewhere = f.place()
    product = f.product(elsewhere)
    sub = f.subscription(product)
    assert client.get(url(place, "product_edit", product.pk)).status_code == 404
    assert client.post(url(place, "product_archive", product.pk)).status_code == 404
    assert client.get(url(place, "subscription", sub.pk)).status_code == 404
    assert client.get(url(place, "person_credits", sub.person_id)).status_code == 404
    page = client.get(url(place, "catalogue")).content.decode()
    assert product.name not in page
    product.refresh_from_db()
    assert product.active


def test_anonymous_visitors_go_to_the_login(client, place):
    response = client.get(url(place, "catalogue"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- Home -----------------------------------------------------------------------------------


def test_the_home_counts_subscriptions_and_members(client, place, coordinator):
    today = place.today()
    plan = f.product(place)
    f.subscription(plan, start=today - timedelta(days=10))
    f.subscription(plan, start=today - timedelta(days=10))
    f.subscription(plan, start=today - timedelta(days=100), end=today - timedelta(days=50))
    response = client.get(url(place, "home"))
    assert response.context["active_subscriptions"] == 2
    assert response.context["members"] == 2
    assert response.context["next_month"] == today.replace(day=1)


# --- Catalogue ------------------------------------------------------------------------------


def test_the_catalogue_shows_prices_tax_rules_and_mentions(client, place, coordinator):
    f.product(place, "plan", name="Résident", price_net="150.00", tax_code="vat_20")
    f.product(
        place, "membership", name="Adhésion solidaire", price_net="50.00", min_price_net="10.00"
    )
    f.product(place, "ticket", name="Vieux concert", active=False)
    page = client.get(url(place, "catalogue")).content.decode()
    assert "Résident" in page and "150,00\xa0€" in page and "180,00\xa0€" in page
    assert "Exonération de TVA, art. 261-7-1° b du CGI" in page
    assert "Adhésion solidaire" in page and "10,00" in page
    assert "Vieux concert" in page
    assert page.index("Adhésion solidaire") < page.index("Résident") < page.index("Vieux concert")


def test_a_coordinator_creates_a_plan_with_its_allowance(client, place, coordinator):
    response = client.post(url(place, "product_new", kind="plan"), product_data())
    assert response.status_code == 302
    product = Product.objects.get(place=place)
    assert (product.kind, product.name, product.price_net) == (
        "plan",
        "Résident",
        Decimal("150.00"),
    )
    assert (product.period, product.wallet, product.credits) == (
        "month",
        "room_hours",
        Decimal("10"),
    )
    assert product.notice_days == 30 and product.family == "memberships"


def test_the_form_shows_only_the_fields_of_the_kind(client, place, coordinator):
    ticket = client.get(url(place, "product_new", kind="ticket")).context["form"]
    assert "period" not in ticket.fields and "wallet" not in ticket.fields
    assert "min_price_net" in ticket.fields
    pack = client.get(url(place, "product_new", kind="pack")).context["form"]
    assert pack.fields["wallet"].required and pack.fields["credits"].required
    assert "period" not in pack.fields
    assert client.get(url(place, "product_new")).context["form"] is None  # choose a kind first


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"tax_code": "vat_99"}, "tax_code", "Sélectionnez un choix valide"),
        ({"price_net": "-5"}, "price_net", "supérieure ou égale à 0"),
        ({"credits": "-1"}, "credits", "supérieure ou égale à 0"),
        ({"name": ""}, "name", "Ce champ est obligatoire"),
    ],
)
def test_bad_product_input_shows_a_french_error_and_saves_nothing(
    client, place, coordinator, overrides, field, words
):
    response = client.post(url(place, "product_new", kind="plan"), product_data(**overrides))
    assert response.status_code == 422
    assert words in " ".join(response.context["form"].errors[field])
    assert (
        "Please correct" in response.content.decode()
        or "Veuillez corriger" in response.content.decode()
    )
    assert not Product.objects.exists()


def test_a_minimum_price_above_the_price_is_refused(client, place, coordinator):
    data = product_data(price_net="40", min_price_net="60")
    response = client.post(url(place, "product_new", kind="membership"), data)
    assert response.status_code == 422
    errors = response.context["form"].errors.as_data()["min_price_net"]
    assert errors[0].code == "min_above_price"
    assert not Product.objects.exists()


def test_a_coordinator_edits_then_archives_a_product(client, place, coordinator):
    product = f.product(place, "pack", name="Carnet", price_net="90.00")
    data = product_data(name="Carnet 10 h", price_net="95", family="services", validity_days="365")
    del data["period"], data["notice_days"], data["min_price_net"]
    data["active"] = "on"
    response = client.post(url(place, "product_edit", product.pk), data)
    assert response.status_code == 302
    product.refresh_from_db()
    assert (product.name, product.price_net, product.validity_days) == (
        "Carnet 10 h",
        Decimal("95.00"),
        365,
    )
    assert client.get(url(place, "product_archive", product.pk)).status_code == 405
    client.post(url(place, "product_archive", product.pk))
    product.refresh_from_db()
    assert not product.active
    sections = client.get(url(place, "catalogue")).context["sections"]
    packs = next(s for s in sections if s["kind"] == "pack")
    assert [row["product"].active for row in packs["rows"]] == [False]


# --- Rate card ------------------------------------------------------------------------------


def grid_data(form):
    """What the rendered grid posts back unchanged."""
    data = {}
    for name in form.fields:
        value = form.initial.get(name)
        data[name] = "" if value is None else str(value)
    return data


def test_the_rate_grid_saves_sets_and_deletes_in_one_form(client, place, coordinator):
    room = f.space(place, name="Salle Jaurès")
    f.space(place, name="Réserve", bookable=False)
    old = f.room_rate(room, audience="company", unit="day", price_net="300.00")
    form = client.get(url(place, "rates")).context["form"]
    assert len(form.spaces) == 1  # bookable spaces only
    data = grid_data(form)
    key = f"rate-{room.pk}"
    data[f"{key}-member-hour"] = "12,50"
    data[f"{key}-member-hour-tax"] = "vat_20"
    data[f"{key}-association-day"] = "80"
    data[f"{key}-association-day-tax"] = "exempt_261_7_1b"
    data[f"{key}-company-day"] = ""
    response = client.post(url(place, "rates"), data)
    assert response.status_code == 302
    rates = {
        (r.audience, r.unit): (r.price_net, r.tax_code) for r in RoomRate.objects.filter(space=room)
    }
    assert rates == {
        ("member", "hour"): (Decimal("12.50"), "vat_20"),
        ("association", "day"): (Decimal("80.00"), "exempt_261_7_1b"),
    }
    assert not RoomRate.objects.filter(pk=old.pk).exists()


def test_a_bad_cell_refuses_the_whole_grid(client, place, coordinator):
    room = f.space(place)
    kept = f.room_rate(room, audience="member", unit="hour", price_net="10.00")
    data = grid_data(client.get(url(place, "rates")).context["form"])
    key = f"rate-{room.pk}"
    data[f"{key}-member-hour"] = ""  # would delete
    data[f"{key}-non_member-hour"] = "20"  # would create
    data[f"{key}-company-day"] = "-3"  # refused
    data[f"{key}-public_body-day-tax"] = "vat_99"  # refused
    response = client.post(url(place, "rates"), data)
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) == {f"{key}-company-day", f"{key}-public_body-day-tax"}
    assert list(RoomRate.objects.values_list("pk", "price_net")) == [(kept.pk, Decimal("10.00"))]


def test_a_service_refusal_rolls_back_the_cells_already_saved(
    client, place, coordinator, monkeypatch
):
    from django.core.exceptions import ValidationError

    from tierslieux.members.services import catalogue

    room = f.space(place)
    data = grid_data(client.get(url(place, "rates")).context["form"])
    key = f"rate-{room.pk}"
    data[f"{key}-member-hour"] = "10"
    data[f"{key}-member-day"] = "60"
    real = catalogue.set_room_rate

    def refuse_days(**kwargs):
        if kwargs["unit"] == "day":
            raise ValidationError("Refusé", code="test")
        return real(**kwargs)

    monkeypatch.setattr(catalogue, "set_room_rate", refuse_days)
    response = client.post(url(place, "rates"), data)
    assert response.status_code == 422
    assert "Refusé" in " ".join(response.context["form"].errors[f"{key}-member-day"])
    assert not RoomRate.objects.exists()


# --- Subscriptions --------------------------------------------------------------------------


def test_a_new_subscription_then_a_cancellation_with_notice(client, place, coordinator):
    today = place.today()
    plan = f.product(place, "plan", name="Résident", notice_days=30)
    person = f.member(place).person
    response = client.post(
        url(place, "subscription_new"),
        {
            "product": plan.pk,
            "person": person.pk,
            "start": f"{today - timedelta(days=40):%Y-%m-%d}",
        },
    )
    assert response.status_code == 302
    sub = Subscription.objects.get(place=place)
    assert (sub.person, sub.price_net, sub.customer.person) == (person, plan.price_net, person)
    later = today + timedelta(days=30)
    expected = later.replace(day=calendar.monthrange(later.year, later.month)[1])
    shown = formats.date_format(expected, "DATE_FORMAT")
    page = client.get(url(place, "subscription", sub.pk))
    assert page.context["earliest_end"] == expected and shown in page.content.decode()
    payer = reverse("billing_manage:customer", args=[place.slug, sub.customer_id])
    assert payer in page.content.decode()  # the payer links to their customer page
    response = client.post(
        url(place, "subscription", sub.pk), {"form": "cancel", "end": ""}, follow=True
    )
    sub.refresh_from_db()
    assert sub.end == expected and sub.cancelled_at is not None
    assert shown in response.content.decode()
    again = client.post(url(place, "subscription", sub.pk), {"form": "cancel", "end": ""})
    assert again.status_code == 422
    sub.refresh_from_db()
    assert sub.end == expected


def test_a_pay_what_you_want_price_below_the_minimum_is_refused(client, place, coordinator):
    fee = f.product(place, "membership", price_net="50.00", min_price_net="10.00")
    person = f.member(place).person
    data = {"product": fee.pk, "person": person.pk, "start": f"{place.today():%Y-%m-%d}"}
    response = client.post(url(place, "subscription_new"), {**data, "price_net": "5"})
    assert response.status_code == 422
    assert response.context["form"].errors.as_data()["price_net"][0].code == "below_minimum"
    assert not Subscription.objects.exists()
    assert (
        client.post(url(place, "subscription_new"), {**data, "price_net": "12"}).status_code == 302
    )
    assert Subscription.objects.get().price_net == Decimal("12.00")


def test_a_subscription_needs_a_holder(client, place, coordinator):
    plan = f.product(place)
    response = client.post(
        url(place, "subscription_new"), {"product": plan.pk, "start": "2026-01-01"}
    )
    assert response.status_code == 422 and "person" in response.context["form"].errors
    assert not Subscription.objects.exists()


def test_a_pause_is_recorded_and_a_reversed_one_refused(client, place, coordinator):
    today = place.today()
    sub = f.subscription(
        f.product(place), person=f.member(place).person, start=today.replace(day=1)
    )
    start, end = today + timedelta(days=3), today + timedelta(days=10)
    bad = client.post(
        url(place, "subscription", sub.pk),
        {"form": "pause", "start": f"{end:%Y-%m-%d}", "end": f"{start:%Y-%m-%d}"},
    )
    assert bad.status_code == 422 and "end" in bad.context["pause_form"].errors
    assert not sub.pauses.exists()
    ok = client.post(
        url(place, "subscription", sub.pk),
        {"form": "pause", "start": f"{start:%Y-%m-%d}", "end": f"{end:%Y-%m-%d}"},
    )
    assert ok.status_code == 302
    assert list(sub.pauses.values_list("start", "end")) == [(start, end)]


def test_the_list_filters_and_shows_who_pays(client, place, coordinator):
    today = place.today()
    plan = f.product(place, name="Résident")
    fee = f.product(place, "membership", name="Adhésion", audience="anyone")
    alice = f.user(email="alice@example.org").person
    alice.last_name = "Martin"
    alice.save()
    org = f.organisation(name="Coopérative Lumière")
    org.people.add(alice)
    from tierslieux.billing.services.customers import customer_for_organisation

    f.subscription(plan, person=alice, customer=customer_for_organisation(place, org))
    f.subscription(fee, organisation=f.organisation(name="Asso Voisine"))
    f.subscription(plan, start=today - timedelta(days=90), end=today - timedelta(days=30))
    page = client.get(url(place, "subscriptions")).content.decode()
    assert "Martin" in page and "Coopérative Lumière" in page and "Asso Voisine" in page
    assert (
        client.get(url(place, "subscriptions"), {"q": "martin"}).context["listing"].paginator.count
        == 1
    )
    assert (
        client.get(url(place, "subscriptions"), {"product": fee.pk})
        .context["listing"]
        .paginator.count
        == 1
    )
    assert (
        client.get(url(place, "subscriptions"), {"state": "ended"})
        .context["listing"]
        .paginator.count
        == 1
    )
    assert (
        client.get(url(place, "subscriptions"), {"state": "active"})
        .context["listing"]
        .paginator.count
        == 2
    )
