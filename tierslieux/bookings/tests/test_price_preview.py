"""The price of a booking shown before booking: `prices.preview` quotes a prospective slot
exactly as the booking will then be priced, and writes nothing; the booking form's JSON
endpoint words it for the person who may book the space, and the page and the message after
booking show it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tierslieux.billing.models import Customer
from tierslieux.bookings import services
from tierslieux.bookings.models import Booking
from tierslieux.bookings.services import prices
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.core.models import AuditEntry
from tierslieux.members.models import Charge, CreditEntry, Pass
from tierslieux.members.services import credits
from tierslieux.members.tests import factories as mf
from tierslieux.places.models import Space
from tierslieux.places.tests import factories as pf

D = Decimal
EUR = "\u00a0€"  # core.formatting.money: a no-break space before the sign
NOW = at("2027-01-04", 8)  # a Monday morning
MON = "2027-01-11"
ROOM = "room_hours"


pytestmark = pytest.mark.usefixtures("english")


@pytest.fixture(autouse=True)
def _today(clock):
    clock.set(NOW)


@pytest.fixture
def place(place):
    return bf.open_every_day(place)


@pytest.fixture
def room(place):
    space = bf.room(place, name="Salle Jaune", slug="salle-jaune", capacity=6)
    bf.rules(space)
    mf.room_rate(space, "non_member", "hour", "40.00")
    mf.room_rate(space, "member", "hour", "30.00")
    mf.room_rate(space, "member", "half_day", "100.00")
    mf.room_rate(space, "member", "day", "150.00")
    return space


@pytest.fixture
def member(member, place):
    """The member with a plan at the place (member rates) and 2 room hours left."""
    mf.subscription(mf.product(place, "plan"), person=member.person, start=date(2026, 1, 1))
    credits.add_purchase(person=member.person, place=place, wallet=ROOM, quantity="2")
    return member


@pytest.fixture
def desk(place):
    space = bf.room(place, kind=Space.Kind.DESK, name="Open space", slug="open-space", units=10)
    bf.rules(space)
    mf.room_rate(space, "member", "day", "15.00")
    return space


def preview(user, space, start=10, end=12, day=MON, units=1):
    return prices.preview(user.person, space, at(day, start), at(day, end), units)


def book(user, space, start=10, end=12, day=MON, units=1):
    return services.create_booking(
        actor=user, space=space, start=at(day, start), end=at(day, end), units=units, now=NOW
    )


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (CreditEntry, Charge, Booking, Customer, AuditEntry)
    }


def quote_url(place):
    return reverse("bookings:quote", args=[place.slug])


def params(space, day=MON, start="10:00", end="13:00", **extra):
    return {"space": space.slug, "date": day, "start_time": start, "end_time": end, **extra}


def speak(client, language="en"):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language


# --- The preview is the price -------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "space_name", "start", "end", "units"),
    [
        ("member", "room", 10, 13, 1),  # 2 h of credits + 1 h at the member rate
        ("member", "room", 9, 15, 1),  # 2 h of credits + a half-day
        ("outsider", "room", 10, 12, 1),  # non-member rate
        ("member", "desk", 9, 17, 3),  # a pass covers one desk, two desk days paid
        ("member", "bare", 10, 12, 1),  # no rate: not priced
    ],
)
def test_the_preview_is_the_price_the_booking_then_gets(
    place, room, desk, member, who, space_name, start, end, units
):
    user = member if who == "member" else pf.member(place)
    bare = bf.room(place, name="Salle sans tarif")
    bf.rules(bare)
    space = {"room": room, "desk": desk, "bare": bare}[space_name]
    Pass.objects.create(
        place=place,
        person=member.person,
        product=mf.product(place, "pass"),
        valid_from=date(2027, 1, 11),
        valid_until=date(2027, 1, 11),
    )
    quote = preview(user, space, start, end, units=units)
    booking = book(user, space, start, end, units=units)
    booking.refresh_from_db()
    assert quote is not None
    assert (quote.price_net, quote.credits_used, quote.tax_code, quote.note[:255]) == (
        booking.price_net,
        booking.credits_used,
        booking.tax_code,
        booking.price_note,
    )
    assert (quote.wallet if quote.price_net is not None else "") == booking.wallet


def test_the_preview_writes_nothing(place, room, member):
    before = counts()
    with CaptureQueriesContext(connection) as queries:
        quote = preview(member, room, 10, 13)
    assert quote is not None and quote.credits_used == D("2")
    writes = [
        q["sql"]
        for q in queries.captured_queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
    ]
    assert writes == []
    assert counts() == before
    assert not CreditEntry.objects.filter(reason="consume").exists()
    assert not Charge.objects.exists()


def test_members_and_non_members_see_their_own_rates(place, room, member):
    outsider = pf.member(place)  # a role at the place, but no membership nor plan
    assert preview(outsider, room, 10, 12).price_net == D("80.00")
    covered = preview(member, room, 10, 12)  # their 2 credits cover it all
    assert (covered.price_net, covered.credits_used) == (D("0.00"), D("2"))
    credits.consume(person=member.person, place=place, wallet=ROOM, quantity="2", source="x")
    assert preview(member, room, 10, 12).price_net == D("60.00")


def test_credits_partly_covering_leave_the_rest_to_pay(place, room, member):
    quote = preview(member, room, 10, 14)
    assert (quote.credits_used, quote.billable, quote.price_net) == (D("2"), D("2.00"), D("60.00"))


def test_a_space_without_any_rate_is_free_and_spends_no_credit(place, member):
    bare = bf.room(place, name="Salle sans tarif")
    bf.rules(bare)
    quote = preview(member, bare, 10, 12)
    assert (quote.price_net, quote.credits_used) == (None, 0)


def test_nobody_to_price_gives_no_quote(place, room):
    assert prices.preview(None, room, at(MON, 10), at(MON, 12)) is None


# --- The JSON endpoint ----------------------------------------------------------------------


def test_the_endpoint_gives_the_price_with_tax_the_credits_and_a_sentence(
    client, place, room, member
):
    client.force_login(member)
    speak(client)
    response = client.get(quote_url(place), params(room))
    assert response.status_code == 200
    assert response.json() == {
        "price_net": "30.00",
        "price_gross": "36.00",
        "credits_used": "2.00",
        "wallet": ROOM,
        "note": "2 h from credits; 1 × Hourly rate",
        "text": (
            f"2 room hour(s) from your credits + 1 h for 30.00{EUR} excl. tax "
            f"(36.00{EUR} incl. tax)"
        ),
        "terms": (
            "Free cancellation until Sunday 10 January at 10:00, or within 15 minutes of booking."
        ),
    }


@pytest.mark.parametrize(
    ("start", "end", "text"),
    [
        ("10:00", "12:00", "2 room hour(s) from your credits"),
        (
            "14:00",
            "16:30",
            f"2 room hour(s) from your credits + 0.50 h for 15.00{EUR} excl. tax "
            f"(18.00{EUR} incl. tax)",
        ),
    ],
)
def test_the_sentence_says_what_credits_cover_and_what_is_paid(
    client, place, room, member, start, end, text
):
    client.force_login(member)
    speak(client)
    assert client.get(quote_url(place), params(room, start=start, end=end)).json()["text"] == text


def test_the_sentence_for_a_pass_and_for_a_space_without_rate(client, place, desk, member):
    Pass.objects.create(
        place=place,
        person=member.person,
        product=mf.product(place, "pass"),
        valid_from=date(2027, 1, 11),
        valid_until=date(2027, 1, 11),
    )
    bare = bf.room(place, name="Salle sans tarif", slug="sans-tarif")
    bf.rules(bare)
    client.force_login(member)
    speak(client)
    by_pass = client.get(quote_url(place), params(desk, start="09:00", end="17:00")).json()
    assert (by_pass["text"], by_pass["price_net"], by_pass["price_gross"]) == (
        "Free: covered by your pass",
        "0.00",
        "0.00",
    )
    free = client.get(quote_url(place), params(bare)).json()
    assert (free["text"], free["price_net"], free["wallet"]) == ("Not priced: free", None, "")


def test_the_endpoint_speaks_french_with_french_numbers(client, place, room, member):
    client.force_login(member)
    speak(client, "fr")
    text = client.get(quote_url(place), params(room)).json()["text"]
    assert text.startswith("2 heure(s) de salle prise(s) sur vos crédits + 1 h ")
    assert f"30,00{EUR} HT" in text and f"36,00{EUR} TTC" in text


def test_visitors_get_401_and_nothing_priced(client, place, room):
    response = client.get(quote_url(place), params(room))
    assert response.status_code == 401
    assert response.json()["error"]


@pytest.mark.parametrize("audience", ["members", "staff"])
def test_people_who_may_not_book_the_space_get_403(client, place, room, audience):
    bf.rules(room, audience=audience)
    outsider = pf.user() if audience == "members" else pf.member(place)
    client.force_login(outsider)
    speak(client)
    response = client.get(quote_url(place), params(room))
    assert response.status_code == 403
    expected = {
        "members": "This space is for members of the place.",
        "staff": "Only the place's team books this space.",
    }[audience]
    assert response.json() == {"error": expected}


def test_a_machine_needs_the_training_to_be_priced(client, place, member):
    printer = bf.room(place, name="Imprimante 3D", slug="imprimante", kind=Space.Kind.MACHINE)
    bf.rules(printer, requires_authorisation=True)
    client.force_login(member)
    response = client.get(quote_url(place), params(printer))
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"start_time": "12:00", "end_time": "10:00"}, "The end must come after the start."),
        ({"space": "no-such-space"}, "Select a valid choice."),
        ({"date": ""}, "This field is required."),
    ],
)
def test_bad_parameters_answer_400_with_a_message(client, place, room, member, changes, message):
    client.force_login(member)
    speak(client)
    response = client.get(quote_url(place), {**params(room), **changes})
    assert response.status_code == 400
    assert message in response.json()["error"]


def test_the_team_may_price_a_space_kept_for_the_team(client, place, room, staff):
    bf.rules(room, audience="staff")
    client.force_login(staff)
    response = client.get(quote_url(place), params(room))
    assert response.status_code == 200
    assert response.json()["price_net"] == "120.00"


# --- The booking form and the message after booking -----------------------------------------


def test_the_form_opened_on_a_slot_shows_its_price_without_script(client, place, room, member):
    client.force_login(member)
    speak(client)
    url = reverse("bookings:book", args=[place.slug])
    page = client.get(url, {"space": room.slug, "start": f"{MON}T10:00", "end": f"{MON}T13:00"})
    assert page.status_code == 200
    assert page.context["price_text"] == (
        f"2 room hour(s) from your credits + 1 h for 30.00{EUR} excl. tax (36.00{EUR} incl. tax)"
    )
    assert 'id="price"' in page.content.decode()
    assert client.get(url).context["price_text"] == ""  # no slot chosen: no price


def test_the_message_after_booking_states_the_price_and_the_credits(client, place, room, member):
    client.force_login(member)
    speak(client)
    data = {**params(room), "title": "", "note": "", "on_conflict": "skip"}
    response = client.post(reverse("bookings:book", args=[place.slug]), data)
    assert response.status_code == 302
    [message] = [str(m) for m in get_messages(response.wsgi_request)]
    assert message == (
        "Your booking is confirmed. Price: 2 room hour(s) from your credits + "
        f"30.00{EUR} excl. tax (36.00{EUR} incl. tax)."
    )
