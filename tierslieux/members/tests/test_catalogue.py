"""The catalogue: products and room-hire rates, written by the team that manages billing,
checked field by field; a refusal says what to fix and writes nothing."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tierslieux.core.models import AuditEntry
from tierslieux.members.models import Product, RoomRate
from tierslieux.members.services.catalogue import (
    archive_product,
    create_product,
    delete_room_rate,
    set_room_rate,
    update_product,
)
from tierslieux.members.tests import factories as f

pytestmark = pytest.mark.usefixtures("english")  # refusals in their English source


def counts() -> tuple[int, ...]:
    return Product.objects.count(), RoomRate.objects.count(), AuditEntry.objects.count()


def refused(call, **kwargs) -> ValidationError:
    before = counts()
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert counts() == before, "a refusal wrote something"
    return error.value


def new(place, coordinator, kind="service", name="Domiciliation", price_net="30.00", **fields):
    return dict(
        actor=coordinator,
        place=place,
        kind=kind,
        name=name,
        price_net=price_net,
        tax_code=fields.pop("tax_code", "vat_20"),
        **fields,
    )


# --- Products -------------------------------------------------------------------------------


def test_a_membership_fee_defaults_to_the_memberships_family_and_the_cotisations_account(
    place, coordinator
):
    product = create_product(
        **new(
            place,
            coordinator,
            "membership",
            "Adhésion",
            "20",
            tax_code="exempt_261_7_1b",
            period="year",
        )
    )
    assert (product.family, product.account) == ("memberships", "756000")
    assert product.price_net == Decimal("20.00") and product.active
    entry = AuditEntry.objects.get(action="members.product.create")
    assert (entry.actor_id, entry.object_id) == (coordinator.pk, str(product.pk))


@pytest.mark.parametrize(
    ("kind", "fields", "family"),
    [
        ("plan", {"period": "month"}, "memberships"),
        ("pass", {"validity_days": 1}, "memberships"),
        ("pack", {"wallet": "machine_hours", "credits": "10"}, "services"),
        ("ticket", {}, "services"),
        ("service", {}, "services"),
    ],
)
def test_other_kinds_default_to_their_family_and_the_sales_account(
    place, coordinator, kind, fields, family
):
    product = create_product(**new(place, coordinator, kind, **fields))
    assert (product.family, product.account) == (family, "706000")


def test_the_team_chooses_another_family_or_account(place, coordinator):
    product = create_product(
        **new(place, coordinator, "ticket", family="side_activities", account="708800")
    )
    assert (product.family, product.account) == ("side_activities", "708800")


def test_a_plan_with_an_allowance_of_meeting_room_hours(place, coordinator):
    product = create_product(
        **new(
            place,
            coordinator,
            "plan",
            "Résident",
            "150",
            period="month",
            wallet="room_hours",
            credits="10",
            notice_days=30,
        )
    )
    assert (product.wallet, product.credits, product.notice_days) == (
        "room_hours",
        Decimal("10"),
        30,
    )


def test_a_pay_what_you_want_membership_keeps_its_minimum(place, coordinator):
    product = create_product(
        **new(
            place,
            coordinator,
            "membership",
            tax_code="exempt_261_7_1b",
            period="year",
            price_net="20",
            min_price_net="5",
        )
    )
    assert product.min_price_net == Decimal("5.00")


@pytest.mark.parametrize(
    ("fields", "code", "says"),
    [
        ({"kind": "voucher"}, "unknown_kind", "known kinds: membership, plan, pass"),
        ({"tax_code": "vat_19"}, "unknown_tax_rule", "known rules: vat_20, vat_10"),
        ({"price_net": "-1"}, "negative_price", "cannot be negative"),
        ({"price_net": "1000000.01"}, "price_too_large", "cannot exceed"),
        ({"price_net": "10.005"}, "price_decimals", "in cents"),
        ({"price_net": "ten"}, "not_a_number", "not a number"),
        ({"price_net": None}, "required", "The price is required"),
        ({"name": "  "}, "no_name", "needs a name"),
        ({"min_price_net": "40"}, "min_above_price", "cannot exceed the price"),
        ({"kind": "plan"}, "period_required", "choose its billing period"),
        ({"kind": "membership", "period": ""}, "period_required", "monthly or yearly"),
        ({"period": "month"}, "period_not_recurring", "Only memberships and plans"),
        ({"period": "week", "kind": "plan"}, "unknown_period", "known periods: month, year"),
        ({"wallet": "room_hours"}, "credits_required", "how many credits"),
        ({"credits": "10"}, "wallet_required", "which wallet"),
        ({"wallet": "beer", "credits": "1"}, "unknown_wallet", "known wallets"),
        ({"wallet": "room_hours", "credits": "0"}, "credits_not_positive", "positive"),
        ({"kind": "pack"}, "pack_without_credits", "needs its credits"),
        ({"kind": "pass"}, "validity_required", "number of days it is valid"),
        ({"kind": "pass", "validity_days": "0"}, "not_whole", "at least 1"),
        ({"notice_days": "-3"}, "not_whole", "at least 0"),
        ({"family": "gifts"}, "unknown_family", "known families"),
        ({"audience": "robots"}, "unknown_audience", "known audiences"),
        ({"account": "sales"}, "account", "3 to 10 digits"),
    ],
)
def test_a_bad_product_is_refused_saying_why(place, coordinator, fields, code, says):
    error = refused(create_product, **new(place, coordinator, **fields))
    assert error.code == code
    assert says in error.messages[0]


def test_only_the_billing_team_writes_the_catalogue(place):
    for actor in (f.member(place), f.staff(place), f.coordinator(f.place())):
        before = counts()
        with pytest.raises(PermissionDenied):
            create_product(**new(place, actor))
        assert counts() == before


def test_update_checks_the_whole_product_again(place, coordinator):
    product = f.product(place, "membership", min_price_net="10.00")
    error = refused(update_product, actor=coordinator, product=product, price_net="5")
    assert error.code == "min_above_price"
    product.refresh_from_db()
    assert product.price_net == Decimal("50.00")

    changed = update_product(
        actor=coordinator, product=product, price_net="60", name="Adhésion 2027"
    )
    assert (changed.price_net, changed.name) == (Decimal("60.00"), "Adhésion 2027")
    entry = AuditEntry.objects.get(action="members.product.update")
    assert entry.changes == {"price_net": "60.00", "name": "Adhésion 2027"}


def test_a_subscription_keeps_its_price_when_the_product_s_changes(place, coordinator):
    product = f.product(place, "plan")
    subscription = f.subscription(product)
    update_product(actor=coordinator, product=product, price_net="180")
    subscription.refresh_from_db()
    assert subscription.price_net == Decimal("150.00")


def test_a_product_s_kind_never_changes(place, coordinator):
    product = f.product(place, "ticket")
    error = refused(update_product, actor=coordinator, product=product, kind="service")
    assert error.code == "kind_fixed"
    with pytest.raises(TypeError):
        update_product(actor=coordinator, product=product, place=f.place())


def test_update_by_another_place_s_coordinator_is_denied(place):
    product = f.product(place, "ticket")
    with pytest.raises(PermissionDenied):
        update_product(actor=f.coordinator(f.place()), product=product, price_net="1")


def test_archive_takes_a_product_off_sale_once(place, coordinator):
    product = f.product(place, "pass")
    archived = archive_product(actor=coordinator, product=product)
    assert not archived.active
    archive_product(actor=coordinator, product=archived)
    assert AuditEntry.objects.filter(action="members.product.archive").count() == 1
    assert Product.objects.filter(pk=product.pk).exists()
    with pytest.raises(PermissionDenied):
        archive_product(actor=f.member(place), product=product)
    assert update_product(actor=coordinator, product=product, active=True).active


# --- Room-hire rates ------------------------------------------------------------------------


def test_set_room_rate_creates_then_updates_the_same_rate(place, coordinator):
    room = f.space(place)
    rate = set_room_rate(
        actor=coordinator,
        space=room,
        audience="member",
        unit="hour",
        price_net="15",
        tax_code="vat_20",
    )
    again = set_room_rate(
        actor=coordinator,
        space=room,
        audience="member",
        unit="hour",
        price_net="18.50",
        tax_code="vat_10",
    )
    assert again.pk == rate.pk
    assert RoomRate.objects.get().price_net == Decimal("18.50")
    assert RoomRate.objects.get().tax_code == "vat_10"
    other = set_room_rate(
        actor=coordinator,
        space=room,
        audience="member",
        unit="day",
        price_net="80",
        tax_code="vat_20",
    )
    assert other.pk != rate.pk and other.place_id == place.pk
    actions = list(
        AuditEntry.objects.filter(action__startswith="members.room_rate").values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "members.room_rate.create",
        "members.room_rate.update",
        "members.room_rate.create",
    ]


def test_a_free_room_is_a_rate_of_zero(place, coordinator):
    rate = set_room_rate(
        actor=coordinator,
        space=f.space(place),
        audience="association",
        unit="half_day",
        price_net="0",
        tax_code="vat_20",
    )
    assert rate.price_net == Decimal("0.00")


@pytest.mark.parametrize(
    ("fields", "code", "says"),
    [
        ({"audience": "friends"}, "unknown_audience", "known classes: member, non_member"),
        ({"unit": "week"}, "unknown_unit", "known: hour, half_day, day"),
        ({"price_net": "-5"}, "negative_price", "cannot be negative"),
        ({"price_net": "9" * 30}, "price_too_large", "cannot exceed"),
        ({"tax_code": "tva"}, "unknown_tax_rule", "known rules"),
    ],
)
def test_a_bad_room_rate_is_refused_saying_why(place, coordinator, fields, code, says):
    values = {"audience": "member", "unit": "hour", "price_net": "15", "tax_code": "vat_20"}
    error = refused(set_room_rate, actor=coordinator, space=f.space(place), **{**values, **fields})
    assert error.code == code
    assert says in error.messages[0]


def test_a_rate_for_another_place_s_space_is_refused(place, coordinator):
    elsewhere = f.space(f.place())
    error = refused(
        set_room_rate,
        actor=coordinator,
        place=place,
        space=elsewhere,
        audience="member",
        unit="hour",
        price_net="15",
        tax_code="vat_20",
    )
    assert error.code == "other_place"
    with pytest.raises(PermissionDenied):
        set_room_rate(
            actor=coordinator,
            space=elsewhere,
            audience="member",
            unit="hour",
            price_net="15",
            tax_code="vat_20",
        )


def test_delete_room_rate(place, coordinator):
    rate = f.room_rate(f.space(place))
    with pytest.raises(PermissionDenied):
        delete_room_rate(actor=f.staff(place), rate=rate)
    delete_room_rate(actor=coordinator, rate=rate)
    assert not RoomRate.objects.exists()
    assert AuditEntry.objects.filter(action="members.room_rate.delete").count() == 1
