"""A grant agreed and the fundings received that paid it, counted once (issue 15).

The fixture, computed by hand: a plan from January 2027 with a Region grant of 12 000 € over
its first twelve months (1 000 € a month), and what the place recorded: the same grant
(12 000 € from January to December 2027), two fundings of 6 000 € received in January and in
July and linked to it, and a sponsorship of 500 € received in March and linked to nothing.
The partnerships actually received are 1 000 € each month (1 500 € in March), never
1 000 + 6 000."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from tierslieux.billing import revenue_queries
from tierslieux.billing import services as billing
from tierslieux.core.models import AuditEntry
from tierslieux.economics import actuals, actuals_data, engine, scenario, services_actuals
from tierslieux.economics.models import GrantReceipt

START = date(2027, 1, 1)


def plan() -> engine.Projection:
    data: dict[str, Any] = {
        "name": "Plan", "horizon": 36, "start": "2027-01",
        "grants": [{"label": "Région", "funder": "Région", "funder_kind": "region",
                    "per_year": 12000, "start": 1, "end": 12}],
    }  # fmt: skip
    return engine.project(scenario.parse(data))


def record(actor: Any, place: Any, amount: str, day: date, **kw: Any) -> Any:
    return billing.record_funding(
        actor=actor, place=place, funder=kw.pop("funder", "Région"), amount=amount,
        received_on=day, **kw,
    )  # fmt: skip


@pytest.fixture
def grant(place: Any, coordinator: Any) -> Any:
    """The grant, its two fundings linked, the sponsorship not."""
    agreed = services_actuals.add_grant(
        actor=coordinator, place=place, funder_kind="region", funder="Région",
        amount="12000", first_month=date(2027, 1, 1), last_month=date(2027, 12, 1),
    )  # fmt: skip
    for day in (date(2027, 1, 15), date(2027, 7, 10)):
        funding = record(coordinator, place, "6000.00", day)
        services_actuals.link_funding(actor=coordinator, grant=agreed, funding=funding)
    record(coordinator, place, "500.00", date(2027, 3, 20), funder="Mécène", public=False)
    return agreed


def test_a_grant_and_the_fundings_that_paid_it_are_counted_once(
    place: Any, coordinator: Any, grant: Any
) -> None:
    found = actuals_data.read(place, START, 12)
    # Billing's revenue less the linked fundings: only the sponsorship is left.
    assert found.revenue_by_family["partnerships"] == [0, 0, 500] + [0] * 9
    assert found.grants == pytest.approx([1000] * 12)
    c = actuals.compare(plan(), START, found)
    assert c.row("partnerships").actual == pytest.approx([1000, 1000, 1500] + [1000] * 9)
    assert c.row("partnerships").plan == pytest.approx([1000] * 12)
    assert c.row("grants").actual == pytest.approx([1000] * 12)
    assert c.row("revenue").actual == pytest.approx([1000, 1000, 1500] + [1000] * 9)
    # Billing's own dashboard still counts the money in the month it came in.
    received = revenue_queries.revenue_amounts(place, 2027)
    assert sum(a.net for a in received) == Decimal("12500.00")
    # Unlinked, the July funding counts again in July, on top of the grant (the double count
    # the link is there to avoid).
    july = place.fundings.get(received_on=date(2027, 7, 10))
    services_actuals.unlink_funding(actor=coordinator, grant=grant, funding=july)
    again = actuals.compare(plan(), START, actuals_data.read(place, START, 12))
    assert again.row("partnerships").actual[6] == pytest.approx(7000)
    assert again.row("partnerships").actual[0] == pytest.approx(1000)


def test_a_linked_funding_leaves_its_own_family_and_month(
    place: Any, coordinator: Any, grant: Any
) -> None:
    # A funding billing filed as services (a programme paying for a service): linked to the
    # grant, it leaves services in its month; the sponsorship stays where it is.
    services = record(coordinator, place, "300.00", date(2027, 2, 3), family="services")
    assert actuals_data.read(place, START, 3).revenue_by_family["services"] == [0, 300, 0]
    services_actuals.link_funding(actor=coordinator, grant=grant, funding=services)
    found = actuals_data.read(place, START, 3)
    assert found.revenue_by_family["services"] == [0, 0, 0]
    assert found.revenue_by_family["partnerships"] == [0, 0, 500]
    # A funding received before the plan's first month is not read, linked or not.
    early = record(coordinator, place, "100.00", date(2026, 12, 31))
    services_actuals.link_funding(actor=coordinator, grant=grant, funding=early)
    assert actuals_data.read(place, START, 3).revenue_by_family["partnerships"] == [0, 0, 500]


def test_the_reader_s_queries_do_not_grow_with_the_fundings(
    place: Any, coordinator: Any, grant: Any
) -> None:
    with CaptureQueriesContext(connection) as before:
        actuals_data.read(place, START, 24)
    for month in range(1, 13):
        funding = record(coordinator, place, "10.00", date(2028, month, 1))
        services_actuals.link_funding(actor=coordinator, grant=grant, funding=funding)
    with CaptureQueriesContext(connection) as after:
        found = actuals_data.read(place, START, 24)
    assert len(after.captured_queries) == len(before.captured_queries)
    assert found.revenue_by_family["partnerships"][12:] == [0] * 12


def test_a_funding_pays_one_grant_of_its_own_place(
    place: Any, coordinator: Any, staff: Any, other_place: Any, other_coordinator: Any, grant: Any
) -> None:
    second = services_actuals.add_grant(
        actor=coordinator, place=place, funder_kind="town", funder="Mairie", amount="800",
        first_month=date(2027, 1, 1), last_month=date(2027, 6, 1),
    )  # fmt: skip
    january = place.fundings.get(received_on=date(2027, 1, 15))
    with pytest.raises(ValidationError) as refused:
        services_actuals.link_funding(actor=coordinator, grant=second, funding=january)
    assert refused.value.code == "funding"
    assert "Région" in refused.value.messages[0]  # the grant it already pays, named
    elsewhere = record(other_coordinator, other_place, "50.00", date(2027, 1, 2))
    with pytest.raises(ValidationError) as refused:
        services_actuals.link_funding(actor=coordinator, grant=second, funding=elsewhere)
    assert refused.value.code == "funding"
    sponsorship = place.fundings.get(received_on=date(2027, 3, 20))
    with pytest.raises(PermissionDenied):
        services_actuals.link_funding(actor=staff, grant=second, funding=sponsorship)
    with pytest.raises(ValidationError) as refused:
        services_actuals.unlink_funding(actor=coordinator, grant=second, funding=january)
    assert refused.value.code == "funding"
    assert not second.receipts.exists()
    # The database holds the rule too, whoever writes.
    with pytest.raises(IntegrityError), transaction.atomic():
        GrantReceipt.objects.create(grant=second, funding=january)


def test_linking_and_unlinking_are_audited_and_a_removed_grant_frees_its_fundings(
    place: Any, coordinator: Any, grant: Any
) -> None:
    actions = AuditEntry.objects.filter(place_id=place.pk, object_id=str(grant.pk))
    linked = actions.filter(action="economics.grant.link")
    assert linked.count() == 2
    assert linked.first().changes["amount"] == "6000.00"  # type: ignore[union-attr]
    july = place.fundings.get(received_on=date(2027, 7, 10))
    services_actuals.unlink_funding(actor=coordinator, grant=grant, funding=july)
    assert actions.filter(action="economics.grant.unlink").count() == 1
    services_actuals.remove_grant(actor=coordinator, grant=grant)
    removed = actions.get(action="economics.grant.remove")
    assert len(removed.changes["unlinked"]) == 1
    assert not GrantReceipt.objects.exists()
    assert place.fundings.count() == 3  # billing's record of the money stays
    assert actuals_data.read(place, START, 1).revenue_by_family["partnerships"] == [6000]
