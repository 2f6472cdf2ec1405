"""Subscriptions: who holds and who pays, pay what you want, no overlapping twins, pauses
within the subscription, and cancellation with notice to the end of the billing cycle."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tierslieux.core.models import AuditEntry
from tierslieux.members.models import Subscription, SubscriptionPause
from tierslieux.members.services import subscriptions as subs
from tierslieux.members.services.subscriptions import cancel, pause, subscribe
from tierslieux.members.tests import factories as f

pytestmark = pytest.mark.usefixtures("english")  # refusals in their English source


def counts() -> tuple[int, ...]:
    return (
        Subscription.objects.count(),
        SubscriptionPause.objects.count(),
        AuditEntry.objects.filter(action__startswith="members.").count(),
    )


def refused(call, **kwargs) -> ValidationError:
    before = counts()
    with pytest.raises(ValidationError) as error:
        call(**kwargs)
    assert counts() == before, "a refusal wrote something"
    return error.value


# --- Pure date arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("period", "start", "day", "end"),
    [
        ("month", date(2026, 1, 15), date(2026, 12, 22), date(2026, 12, 31)),
        ("month", date(2026, 1, 15), date(2028, 2, 3), date(2028, 2, 29)),
        ("year", date(2026, 3, 10), date(2026, 3, 10), date(2027, 3, 9)),
        ("year", date(2026, 3, 10), date(2027, 3, 9), date(2027, 3, 9)),
        ("year", date(2026, 3, 10), date(2027, 3, 10), date(2028, 3, 9)),
        ("year", date(2026, 3, 10), date(2031, 1, 2), date(2031, 3, 9)),
        ("year", date(2024, 2, 29), date(2025, 1, 1), date(2025, 2, 27)),
    ],
)
def test_cycle_end(period, start, day, end):
    assert subs.cycle_end(period, start, day) == end


@pytest.mark.parametrize(
    ("period", "start", "notice", "today", "end"),
    [
        # 22 November + 30 days = 22 December: the plan runs to the end of December.
        ("month", date(2026, 1, 1), 30, date(2026, 11, 22), date(2026, 12, 31)),
        # No notice: to the end of the current month.
        ("month", date(2026, 1, 1), 0, date(2026, 11, 22), date(2026, 11, 30)),
        ("month", date(2026, 1, 1), 30, date(2026, 11, 1), date(2026, 12, 31)),
        # Yearly membership from 10 March: to the day before the anniversary after the notice.
        ("year", date(2026, 3, 10), 30, date(2026, 11, 22), date(2027, 3, 9)),
        ("year", date(2026, 3, 10), 30, date(2027, 2, 20), date(2028, 3, 9)),
        # Not started yet: it ends on its start day.
        ("month", date(2026, 12, 15), 30, date(2026, 11, 22), date(2026, 12, 15)),
    ],
)
def test_earliest_end(period, start, notice, today, end):
    assert subs.earliest_end(period, start, notice, today) == end


# --- subscribe ------------------------------------------------------------------------------


def test_a_person_subscribes_and_pays_as_themself(place, coordinator):
    plan = f.product(place, "plan")
    person = f.user().person
    subscription = subscribe(
        actor=coordinator, product=plan, person=person, start=date(2026, 11, 15)
    )
    assert subscription.customer.person == person
    assert subscription.customer.organisation is None
    assert (subscription.price_net, subscription.start, subscription.end) == (
        Decimal("150.00"),
        date(2026, 11, 15),
        None,
    )
    entry = AuditEntry.objects.get(action="members.subscription.create")
    assert entry.actor_id == coordinator.pk


def test_an_organisation_holds_its_membership(place, coordinator):
    membership = f.product(place, "membership", audience="organisation", price_net="120")
    organisation = f.organisation(kind="association")
    subscription = subscribe(
        actor=coordinator, product=membership, organisation=organisation, start=date(2026, 1, 1)
    )
    assert subscription.person is None and subscription.organisation == organisation
    assert subscription.customer.organisation == organisation


def test_an_organisation_pays_for_one_of_its_people(place, coordinator):
    plan = f.product(place, "plan")
    organisation = f.organisation(kind="association")
    person = f.user().person
    organisation.people.add(person)
    subscription = subscribe(
        actor=coordinator,
        product=plan,
        person=person,
        organisation=organisation,
        start=date(2026, 1, 1),
    )
    assert subscription.person == person and subscription.organisation is None
    assert subscription.customer.organisation == organisation

    stranger = f.user().person
    error = refused(
        subscribe,
        actor=coordinator,
        product=plan,
        person=stranger,
        organisation=organisation,
        start=date(2026, 1, 1),
    )
    assert error.code == "not_in_organisation"


def test_a_given_customer_pays_and_its_holder_subscribes(place, coordinator):
    plan = f.product(place, "plan")
    organisation = f.organisation()
    payer = f.customer(place, organisation=organisation, kind="association")
    subscription = subscribe(
        actor=coordinator, product=plan, customer=payer, start=date(2026, 1, 1)
    )
    assert subscription.organisation == organisation and subscription.customer == payer


def test_pay_what_you_want_is_refused_below_the_minimum(place, coordinator):
    membership = f.product(place, "membership", price_net="20", min_price_net="5")
    person = f.user().person
    error = refused(
        subscribe,
        actor=coordinator,
        product=membership,
        person=person,
        start=date(2026, 1, 1),
        price_net="4.99",
    )
    assert error.code == "below_minimum"
    assert "at least 5.00" in error.messages[0]
    chosen = subscribe(
        actor=coordinator, product=membership, person=person, start=date(2026, 1, 1), price_net="7"
    )
    assert chosen.price_net == Decimal("7.00")


@pytest.mark.parametrize(
    ("kind", "fields", "holder", "code"),
    [
        ("pass", {}, "person", "not_recurring"),
        ("plan", {"active": False}, "person", "inactive"),
        ("membership", {"audience": "organisation"}, "person", "audience_organisation"),
        ("membership", {"audience": "individual"}, "organisation", "audience_individual"),
    ],
)
def test_what_cannot_be_subscribed(place, coordinator, kind, fields, holder, code):
    product = f.product(place, kind, **fields)
    who = {"person": f.user().person} if holder == "person" else {"organisation": f.organisation()}
    error = refused(subscribe, actor=coordinator, product=product, start=date(2026, 1, 1), **who)
    assert error.code == code


def test_a_subscription_needs_a_holder_and_a_customer_of_the_place(place, coordinator):
    plan = f.product(place, "plan")
    assert (
        refused(subscribe, actor=coordinator, product=plan, start=date(2026, 1, 1)).code
        == "no_holder"
    )
    other = f.customer(f.place(), person=f.user().person)
    error = refused(
        subscribe, actor=coordinator, product=plan, customer=other, start=date(2026, 1, 1)
    )
    assert error.code == "other_place"


def test_another_place_s_product_is_denied_to_this_team(place, coordinator):
    plan = f.product(f.place(), "plan")
    with pytest.raises(PermissionDenied):
        subscribe(actor=coordinator, product=plan, person=f.user().person, start=date(2026, 1, 1))


def test_members_do_not_subscribe_through_this_service(place):
    member = f.member(place)
    with pytest.raises(PermissionDenied):
        subscribe(
            actor=member, product=f.product(place), person=member.person, start=date(2026, 1, 1)
        )


def test_two_overlapping_subscriptions_to_the_same_product_are_refused(place, coordinator):
    plan = f.product(place, "plan")
    person = f.user().person
    first = f.subscription(plan, person=person, start=date(2026, 1, 1))
    error = refused(
        subscribe, actor=coordinator, product=plan, person=person, start=date(2026, 6, 1)
    )
    assert error.code == "overlap"
    assert "Jan. 1, 2026" in error.messages[0]

    # Once it has ended, the same person subscribes again.
    Subscription.objects.filter(pk=first.pk).update(end=date(2026, 5, 31))
    again = subscribe(actor=coordinator, product=plan, person=person, start=date(2026, 6, 1))
    assert again.start == date(2026, 6, 1)
    # Another person, or another product, is no clash.
    subscribe(actor=coordinator, product=plan, person=f.user().person, start=date(2026, 6, 1))
    subscribe(
        actor=coordinator, product=f.product(place, "plan"), person=person, start=date(2026, 6, 1)
    )


def test_a_future_subscription_clashes_with_a_new_open_ended_one(place, coordinator):
    plan = f.product(place, "plan")
    person = f.user().person
    f.subscription(plan, person=person, start=date(2026, 9, 1))
    error = refused(
        subscribe, actor=coordinator, product=plan, person=person, start=date(2026, 6, 1)
    )
    assert error.code == "overlap"


# --- pause ----------------------------------------------------------------------------------

TODAY = date(2026, 11, 22)


def test_a_pause_within_the_subscription(place, coordinator):
    subscription = f.subscription(f.product(place), start=date(2026, 1, 1))
    paused = pause(
        actor=coordinator,
        subscription=subscription,
        start=date(2026, 12, 1),
        end=date(2026, 12, 31),
        today=TODAY,
    )
    assert (paused.start, paused.end) == (date(2026, 12, 1), date(2026, 12, 31))
    assert AuditEntry.objects.filter(action="members.subscription.pause").count() == 1


def test_the_team_may_backdate_a_pause_within_the_current_month_only(place, coordinator):
    subscription = f.subscription(f.product(place), start=date(2026, 1, 1))
    pause(
        actor=coordinator,
        subscription=subscription,
        start=date(2026, 11, 1),
        end=date(2026, 11, 10),
        today=TODAY,
    )
    error = refused(
        pause,
        actor=coordinator,
        subscription=subscription,
        start=date(2026, 10, 31),
        end=date(2026, 10, 31),
        today=TODAY,
    )
    assert error.code == "pause_past"
    assert "Nov. 1, 2026" in error.messages[0]


def test_overlapping_pauses_are_refused(place, coordinator):
    subscription = f.subscription(f.product(place), start=date(2026, 1, 1))
    pause(
        actor=coordinator,
        subscription=subscription,
        start=date(2026, 12, 1),
        end=date(2026, 12, 15),
        today=TODAY,
    )
    error = refused(
        pause,
        actor=coordinator,
        subscription=subscription,
        start=date(2026, 12, 15),
        end=date(2027, 1, 15),
        today=TODAY,
    )
    assert error.code == "pause_overlap"
    assert "Dec. 1, 2026 to Dec. 15, 2026" in error.messages[0]
    # The day after is fine.
    pause(
        actor=coordinator,
        subscription=subscription,
        start=date(2026, 12, 16),
        end=date(2027, 1, 15),
        today=TODAY,
    )


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (date(2026, 12, 10), date(2026, 12, 9), "pause_order"),
        (date(2026, 12, 1), date(2027, 2, 1), "pause_outside"),  # after the end
    ],
)
def test_bad_pauses(place, coordinator, start, end, code):
    subscription = f.subscription(f.product(place), start=date(2026, 1, 1), end=date(2027, 1, 31))
    error = refused(
        pause, actor=coordinator, subscription=subscription, start=start, end=end, today=TODAY
    )
    assert error.code == code


def test_a_pause_before_the_subscription_starts_is_refused(place, coordinator):
    subscription = f.subscription(f.product(place), start=date(2026, 12, 1))
    error = refused(
        pause,
        actor=coordinator,
        subscription=subscription,
        start=date(2026, 11, 25),
        end=date(2026, 12, 5),
        today=TODAY,
    )
    assert error.code == "pause_outside"
    assert "from Dec. 1, 2026" in error.messages[0]


def test_only_the_team_pauses(place):
    member = f.member(place)
    subscription = f.subscription(f.product(place), person=member.person)
    with pytest.raises(PermissionDenied):
        pause(
            actor=member,
            subscription=subscription,
            start=date(2026, 12, 1),
            end=date(2026, 12, 2),
            today=TODAY,
        )


# --- cancel ---------------------------------------------------------------------------------


def test_cancel_a_monthly_plan_with_30_days_notice_ends_it_at_the_end_of_december(place):
    member = f.member(place)
    subscription = f.subscription(
        f.product(place, "plan", notice_days=30), person=member.person, start=date(2026, 1, 1)
    )
    cancelled = cancel(actor=member, subscription=subscription, today=date(2026, 11, 22))
    assert cancelled.end == date(2026, 12, 31)
    assert cancelled.cancelled_at is not None
    entry = AuditEntry.objects.get(action="members.subscription.cancel")
    assert entry.actor_id == member.pk


def test_cancel_a_yearly_membership_ends_it_the_day_before_its_anniversary(place, coordinator):
    subscription = f.subscription(
        f.product(place, "membership", notice_days=0), start=date(2026, 3, 10)
    )
    cancelled = cancel(actor=coordinator, subscription=subscription, today=date(2026, 11, 22))
    assert cancelled.end == date(2027, 3, 9)


def test_a_later_end_is_kept_as_given(place, coordinator):
    subscription = f.subscription(f.product(place, "plan"), start=date(2026, 1, 1))
    cancelled = cancel(
        actor=coordinator, subscription=subscription, end=date(2027, 2, 14), today=TODAY
    )
    assert cancelled.end == date(2027, 2, 14)


def test_a_member_cannot_end_before_the_notice_but_the_team_may_waive_it(place, coordinator):
    member = f.member(place)
    product = f.product(place, "plan", notice_days=30)
    subscription = f.subscription(product, person=member.person, start=date(2026, 1, 1))
    error = refused(
        cancel, actor=member, subscription=subscription, end=date(2026, 11, 30), today=TODAY
    )
    assert error.code == "notice"
    assert "30 days' notice" in error.messages[0]
    assert "Dec. 31, 2026" in error.messages[0]

    error = refused(
        cancel, actor=coordinator, subscription=subscription, end=date(2026, 10, 31), today=TODAY
    )
    assert error.code == "end_past"
    waived = cancel(
        actor=coordinator, subscription=subscription, end=date(2026, 11, 30), today=TODAY
    )
    assert waived.end == date(2026, 11, 30)


def test_a_subscription_not_started_yet_ends_on_its_start_day(place, coordinator):
    subscription = f.subscription(f.product(place, "plan"), start=date(2027, 1, 1))
    cancelled = cancel(actor=coordinator, subscription=subscription, today=TODAY)
    assert cancelled.end == date(2027, 1, 1)
    another = f.subscription(f.product(place, "plan"), start=date(2027, 1, 1))
    error = refused(
        cancel, actor=coordinator, subscription=another, end=date(2026, 12, 31), today=TODAY
    )
    assert error.code == "end_before_start"


def test_cancelling_twice_is_refused(place, coordinator):
    subscription = f.subscription(f.product(place, "plan"), start=date(2026, 1, 1))
    cancel(actor=coordinator, subscription=subscription, today=TODAY)
    error = refused(cancel, actor=coordinator, subscription=subscription, today=TODAY)
    assert error.code == "already_cancelled"
    assert "Dec. 31, 2026" in error.messages[0]


def test_nobody_else_cancels_a_member_s_subscription(place):
    holder = f.member(place)
    subscription = f.subscription(f.product(place, "plan"), person=holder.person)
    for actor in (f.member(place), f.staff(place), f.coordinator(f.place())):
        with pytest.raises(PermissionDenied):
            cancel(actor=actor, subscription=subscription, today=TODAY)
    subscription.refresh_from_db()
    assert subscription.end is None
