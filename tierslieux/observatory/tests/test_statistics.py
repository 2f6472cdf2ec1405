"""The network's statistics: figures on a small network counted by hand, territories, the
statistical secret, CSV downloads, who may read them and what bad parameters get."""

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tierslieux.billing.models import Funding
from tierslieux.billing.tests import factories as bf
from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import open_every_day
from tierslieux.events.models import Attendance, Event, Registration, Session
from tierslieux.members.tests import factories as mf
from tierslieux.observatory import figures
from tierslieux.observatory.statistics import (
    Period,
    Territory,
    network_statistics,
    places_of,
)
from tierslieux.places.models import Place
from tierslieux.places.tests import factories as pf

PARIS = ZoneInfo("Europe/Paris")
YEAR = Period(date(2025, 1, 1), date(2025, 12, 31), 2025)


def _place(network: Any, **fields: Any) -> Place:
    return pf.place(network=network, **fields)


def _build() -> dict[str, Any]:
    network = pf.network(name="Réseau test", slug="reseau-test")
    lille = bf.place(
        network=network,
        name="Lille",
        postcode="59000",
        commune="Lille",
        categories=("coworking", "fablab"),
        opening_date=date(2019, 5, 1),
        surface_m2=100,
        investment_public_share=50,
        investment_private_share=50,
        operation_public_share=40,
        operation_private_share=60,
    )
    roubaix = _place(
        network,
        name="Roubaix",
        postcode="59100",
        commune="Roubaix",
        status=Place.Status.PROJECT,
        location_type=Place.LocationType.RURAL,
        legal_form=Place.LegalForm.SCIC,
        opening_date=date(2021, 1, 1),
        surface_m2=300,
        operation_public_share=20,
        operation_private_share=80,
    )
    ajaccio = _place(
        network,
        name="Ajaccio",
        postcode="20000",
        commune="Ajaccio",
        categories=("fablab",),
        location_type=Place.LocationType.PERIPHERY,
        surface_m2=200,
    )
    _place(
        network,
        name="Bastia",
        postcode="20200",
        commune="Bastia",
        categories=("food",),
        location_type=Place.LocationType.RURAL,
        legal_form=Place.LegalForm.COMPANY_ESUS,
        surface_m2=None,
    )
    _place(network, name="Saint-Denis", postcode="97400", commune="Saint-Denis", surface_m2=500)
    _place(
        network,
        name="Bruxelles",
        postcode="1000",
        commune="Bruxelles",
        country="BE",
        categories=("other",),
        surface_m2=None,
    )
    pf.place(postcode="59000", commune="Lille")  # another network's: never counted
    owners = [pf.coordinator(place) for place in (lille, roubaix, ajaccio)]
    for place, capacity, units in ((lille, 6, 1), (roubaix, 4, 2), (ajaccio, 10, 1)):
        open_every_day(place)
        space = pf.space(place, capacity=capacity, units=units)
        place.space = space  # type: ignore[attr-defined]
    for place, members in ((lille, 2), (roubaix, 1), (ajaccio, 1)):
        for _n in range(members):
            pf.member(place)
        product = mf.product(place)
        for _n in range(members):
            mf.subscription(product, start=date(2025, 1, 1))
    mf.subscription(mf.product(lille), start=date(2025, 1, 1), end=date(2025, 6, 30))
    # Bookings in two places only: secret.
    for day, (place, hours) in enumerate(((lille, 2), (lille, 2), (roubaix, 3))):
        start = datetime(2025, 3, 10 + day, 9, tzinfo=PARIS)
        Booking.objects.create(
            place=place,
            space=place.space,  # type: ignore[attr-defined]
            start=start,
            end=start + timedelta(hours=hours),
            status=Booking.Status.CONFIRMED,
        )
    # Revenue: partnerships from three places (shown), services from one (secret).
    for place, amount, public in (
        (lille, "1000", True),
        (roubaix, "500", False),
        (ajaccio, "300", True),
    ):
        Funding.objects.create(
            place=place,
            funder="Région",
            public=public,
            amount=Decimal(amount),
            received_on=date(2025, 4, 1),
        )
    bf.issued(
        owners[0], bf.customer(lille), [("Prestation", "1", "200.00", "vat_20")], date(2025, 5, 2)
    )
    admin = pf.network_admin(network)
    other_admin = pf.network_admin(pf.network())
    return {"network": network, "admin": admin, "other_admin": other_admin}


@pytest.fixture(scope="module")
def net(django_db_setup: Any, django_db_blocker: Any) -> Any:
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build()
        transaction.set_rollback(True)


def _table(tables: list, key: str) -> list[list]:
    return next(t for t in tables if t.key == key).rows


def test_census_tables_counted_by_hand(net: dict, english: None) -> None:
    stats = network_statistics(net["network"], Territory())
    assert stats.places == 6
    tables = stats.tables
    categories = {row[0]: row[1:] for row in _table(tables, "categories")}
    assert categories["Coworking"] == [3, 2, 1, Decimal("50.0")]  # Lille, Roubaix, Saint-Denis
    assert categories["Fablab"] == [2, 2, 0, Decimal("33.3")]
    assert _table(tables, "status") == [
        ["Open", 5, Decimal("83.3")],
        ["In project", 1, Decimal("16.7")],
    ]
    surfaces = _table(tables, "surfaces")
    assert surfaces[0][1:] == [4, 1100, Decimal("250.0"), Decimal("275.0")]
    assert surfaces[1][1:] == [3, 24, Decimal("8.0"), Decimal("8.0")]
    fundings = _table(tables, "fundings")
    assert fundings[0][1:] == [1, Decimal("50.0"), Decimal("50.0"), Decimal("50.0")]
    assert fundings[1][1:] == [2, Decimal("30.0"), Decimal("70.0"), Decimal("30.0")]
    years = _table(tables, "opening_years")
    assert years == [["2019", 1], ["2021", 1], ["Not stated", 4]]
    legal = {row[0]: row[1] for row in _table(tables, "legal_form")}
    assert legal == {"Association": 4, "SCIC cooperative": 1, "SAS/SARL with ESUS approval": 1}
    departements = {row[0]: row[1] for row in _table(tables, "departements")}
    assert departements == {"2A": 1, "2B": 1, "59": 2, "974": 1, "BE": 1}


@pytest.mark.parametrize(
    ("code", "names"),
    [
        ("2A", {"Ajaccio"}),
        ("2B", {"Bastia"}),
        ("974", {"Saint-Denis"}),
        ("BE", {"Bruxelles"}),
        ("59", {"Lille", "Roubaix"}),
    ],
)
def test_territory_filter(net: dict, code: str, names: set[str]) -> None:
    places = places_of(net["network"], Territory(departement=code))
    assert {p.name for p in places} == names


def test_commune_filter_ignores_case(net: dict) -> None:
    stats = network_statistics(net["network"], Territory(commune="roubaix"))
    assert stats.places == 1


def test_figures_of_the_running_places_with_the_secret(
    net: dict, clock: Any, english: None
) -> None:
    clock.set(date(2026, 3, 1))
    running, tables = figures.network_figures(places_of(net["network"], Territory()), YEAR)
    assert running == 3
    activity = {row[0]: row[1:] for row in _table(tables, "activity")}
    assert activity["Active subscriptions (at the period's end)"] == [4, Decimal("1.0"), 3]
    assert activity["Members (member roles)"] == [4, Decimal("1.0"), 3]
    assert activity["Bookings"] == [None, None, 2]  # two places: secret
    assert activity["Hours booked (within opening hours)"] == [None, None, 2]
    occupancy = _table(tables, "occupancy")[0]
    assert occupancy[-1] == 3 and occupancy[1] is not None
    revenue = {row[0]: row[1:] for row in _table(tables, "revenue")}
    assert revenue["Partnerships"] == [Decimal("1800"), Decimal("90.0"), 3]
    assert revenue["Services"] == [None, None, 1]
    assert revenue["Total"] == [Decimal("2000.00"), None, 3]
    public = _table(tables, "public_share")[0]
    # (1000 + 300) / 2000; places: 83.3 % (Lille), 0 % (Roubaix), 100 % (Ajaccio)
    assert public[1:] == [Decimal("65.0"), Decimal("83.3"), 3]


def test_one_territory_of_fewer_than_three_places_hides_everything(net: dict) -> None:
    places = places_of(net["network"], Territory(departement="59"))
    running, tables = figures.network_figures(places, YEAR)
    assert running == 2
    for table in tables:
        for row in table.rows:
            assert all(cell is None for cell in row[1:]), row


def _get(client: Client, user: Any, url: str, **params: str) -> Any:
    if user is not None:
        client.force_login(user)
    return client.get(url, params)


def test_page_shows_tables_charts_and_secret(net: dict, client: Client) -> None:
    url = reverse("statistics:page", args=[net["network"].slug])
    response = _get(client, net["admin"], url, period="2025")
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<svg") >= 5
    assert "EPCI" in html
    assert "secret" in html
    assert "Bruxelles" in html


def test_csv_download(net: dict, client: Client) -> None:
    url = reverse("statistics:csv", args=[net["network"].slug, "surfaces"])
    response = _get(client, net["admin"], url, period="2025")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    body = response.content
    assert body.startswith(b"\xef\xbb\xbf")
    lines = body.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[0] == "Indicateur"  # the visitor's language: French
    assert lines[1].split(";")[1:] == ["4", "1100", "250,0", "275,0"]
    secret = _get(
        client,
        None,
        reverse("statistics:csv", args=[net["network"].slug, "activity"]),
        period="2025",
    )
    rows = [line.split(";") for line in secret.content.decode("utf-8-sig").splitlines()]
    assert rows[3][1:] == ["secret", "secret", "2"]  # bookings: two places


def test_who_may_read(net: dict, client: Client) -> None:
    url = reverse("statistics:page", args=[net["network"].slug])
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    assert _get(client, net["other_admin"], url).status_code == 403
    csv = reverse("statistics:csv", args=[net["network"].slug, "status"])
    assert _get(client, net["other_admin"], csv).status_code == 403
    assert client.get(reverse("statistics:page", args=["nowhere"])).status_code == 404


@pytest.mark.parametrize(
    "params",
    [
        {"period": "1789"},
        {"period": "abc"},
        {"period": "99999999999999999999"},
        {"departement": "20"},
        {"departement": "'; DROP TABLE"},
        {"commune": "x" * 500},
        {"commune": "Lille\x00"},
    ],
)
def test_absurd_parameters_are_400(net: dict, client: Client, params: dict) -> None:
    url = reverse("statistics:page", args=[net["network"].slug])
    assert _get(client, net["admin"], url, **params).status_code == 400
    csv = reverse("statistics:csv", args=[net["network"].slug, "status"])
    assert client.get(csv, params).status_code == 400


def test_unknown_table_is_404(net: dict, client: Client) -> None:
    csv = reverse("statistics:csv", args=[net["network"].slug, "salaries"])
    assert _get(client, net["admin"], csv).status_code == 404


def _statements(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url, {"period": "2025"}).status_code == 200
    return len(queries)


def test_query_count_is_bounded_and_does_not_grow_with_the_places(
    net: dict, client: Client
) -> None:
    url = reverse("statistics:page", args=[net["network"].slug])
    client.force_login(net["admin"])
    before = _statements(client, url)
    assert before <= 34
    for n in range(4):  # four more running places, with spaces and roles
        place = _place(net["network"], name=f"Encore {n}", postcode=f"3{n}000")
        pf.coordinator(place)
        pf.member(place)
        open_every_day(place)
        pf.space(place)
    assert _statements(client, url) == before


def test_events_counted_across_three_places(net: dict, clock: Any, english: None) -> None:
    """A published event with two dates in each running place (one cancelled in Ajaccio),
    a draft's date never counted; people present: 3 + 2 + 4."""
    clock.set(date(2026, 3, 1))
    network = net["network"]
    by_name = {p.name: p for p in network.places.all()}
    for name, present in (("Lille", 3), ("Roubaix", 2), ("Ajaccio", 4)):
        place = by_name[name]
        space = place.spaces.get()
        event = Event.objects.create(
            place=place, title="Atelier", capacity=12, status=Event.Status.PUBLISHED
        )
        draft = Event.objects.create(place=place, title="Brouillon", capacity=12)
        for day, target in ((2, event), (3, event), (4, draft)):
            start = datetime(2025, 6, day, 14, tzinfo=PARIS)
            booking = Booking.objects.create(
                place=place,
                space=space,
                start=start,
                end=start + timedelta(hours=2),
                status=Booking.Status.CONFIRMED,
            )
            session = Session.objects.create(
                booking=booking,
                event=target,
                space=space,
                start=start,
                end=start + timedelta(hours=2),
                cancelled_at=start if (name, day) == ("Ajaccio", 3) else None,
            )
            if day == 2:
                registration = Registration.objects.create(
                    event=event,
                    session=session,
                    name="Camille",
                    email="camille@example.org",
                    seats=present,
                    status=Registration.Status.CONFIRMED,
                    source=Registration.Source.TEAM,
                )
                Attendance.objects.create(session=session, registration=registration, seats=present)
    _running, tables = figures.network_figures(places_of(network, Territory()), YEAR)
    activity = {row[0]: row[1:] for row in _table(tables, "activity")}
    assert activity["Published events with a date in the period"] == [3, Decimal("1.0"), 3]
    assert activity["Event dates held"] == [5, Decimal("2.0"), 3]
    assert activity["Participants (people present at the dates held)"] == [
        9,
        Decimal("3.0"),
        3,
    ]
