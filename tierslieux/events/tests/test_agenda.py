"""The public agendas and an event's page: what each visitor sees (members-only events and
drafts hidden), the filters and their absurd values, both languages, bounded queries."""

from __future__ import annotations

from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tierslieux.accounts.tests.factories import organisation
from tierslieux.bookings.tests import factories as bf
from tierslieux.bookings.tests.factories import at
from tierslieux.events import services
from tierslieux.events.tests import factories as ef
from tierslieux.places.models import PlaceRole
from tierslieux.places.tests import factories as pf

NOW = at("2027-03-01", 8)


@pytest.fixture(autouse=True)
def _setup(clock, place):
    clock.set(NOW)
    bf.open_every_day(place)


@pytest.fixture
def room(place):
    return bf.room(place, name="Salle Jaune", slug="salle-jaune")


def published(coordinator, room, title, *starts, **fields):
    """An event with a two-hour session at each of `starts`, published."""
    event = ef.event(room.place, title=title, **fields)
    for start in starts:
        ef.session(coordinator, event, room, start, start.replace(hour=start.hour + 2))
    return services.publish_event(actor=coordinator, event=event)


def agenda(client, place, **params):
    return client.get(reverse("events:agenda", args=[place.slug]), params)


def listing(response):
    """The page below the filter form (whose options name kinds and audiences)."""
    text = response.content.decode()
    return text[text.index("</form>", text.index('role="search"')) :]


def page(client, event):
    return client.get(reverse("events:event", args=[event.place.slug, event.pk]))


def test_the_agenda_lists_the_sessions_to_come_by_day_soonest_first(
    client, place, coordinator, room
):
    later = published(coordinator, room, "Projection", at("2027-03-10", 18))
    soon = published(coordinator, room, "Repair café", at("2027-03-03", 10), at("2027-03-10", 10))
    ef.event(place, title="Brouillon secret")  # a draft: never listed
    gone = published(coordinator, room, "Annulé", at("2027-03-04", 10))
    services.cancel_event(actor=coordinator, event=gone)
    dropped = ef.session(coordinator, later, room, at("2027-03-05", 18), at("2027-03-05", 20))
    services.cancel_session(actor=coordinator, session=dropped)

    response = agenda(client, place)
    text = listing(response)
    assert response.status_code == 200
    assert "Mercredi 3 mars 2027" in text and "Mercredi 10 mars 2027" in text
    assert "Vendredi 5 mars" not in text and "Jeudi 4 mars" not in text
    assert text.index("3 mars") < text.index("Repair café") < text.index("10 mars")
    assert text.count("Repair café") == 2 and text.count("Projection") == 1
    assert text.index("10:00–12:00") < text.index("18:00–20:00")
    assert "Brouillon secret" not in text and "Annulé" not in text
    assert reverse("events:event", args=[place.slug, soon.pk]) in text
    assert reverse("events:feed", args=[place.slug]) in response.content.decode()


def test_a_session_over_leaves_the_agenda_one_under_way_stays(
    client, clock, place, coordinator, room
):
    published(coordinator, room, "Atelier du matin", at("2027-03-02", 9))
    clock.set(at("2027-03-02", 10))
    assert "Atelier du matin" in agenda(client, place).content.decode()
    clock.set(at("2027-03-02", 11, 30))
    text = agenda(client, place).content.decode()
    assert "Atelier du matin" not in text
    assert "Aucun événement à venir pour l’instant." in text


def test_the_filters_kind_audience_free_and_dates(client, place, coordinator, room):
    kids = published(
        coordinator, room, "Atelier enfants", at("2027-03-03", 10), audiences=["children"]
    )
    training = published(
        coordinator, room, "Formation", at("2027-03-08", 10), kind="training", hours=Decimal(7)
    )
    services.set_price(
        actor=coordinator,
        event=training,
        kind="non_member",
        price_net=Decimal("100"),
        tax_code="vat_20",
    )
    mixed = published(coordinator, room, "Projection", at("2027-03-12", 18), kind="screening")
    for kind, price in (("free", "0"), ("non_member", "5")):
        services.set_price(
            actor=coordinator, event=mixed, kind=kind, price_net=Decimal(price), tax_code="vat_20"
        )

    def shown(**params):
        text = listing(agenda(client, place, **params))
        return {e.title for e in (kids, training, mixed) if e.title in text}

    assert shown() == {"Atelier enfants", "Formation", "Projection"}
    assert shown(kind="training") == {"Formation"}
    assert shown(audience="children") == {"Atelier enfants"}
    assert shown(audience="seniors") == set()
    assert shown(free="on") == {"Atelier enfants", "Projection"}
    assert shown(**{"from": "2027-03-08"}) == {"Formation", "Projection"}
    assert shown(to="2027-03-08") == {"Atelier enfants", "Formation"}
    assert shown(**{"from": "2027-03-04", "to": "2027-03-11"}) == {"Formation"}
    text = agenda(client, place, kind="conference").content.decode()
    assert "Aucune séance à venir ne correspond à ces filtres." in text
    # The card says the price including tax: 100 € + 20 % VAT.
    assert (
        "À partir de 120,00\u00a0€ TTC" in agenda(client, place, kind="training").content.decode()
    )


def test_the_date_filter_follows_the_place_time_zone(client, coordinator):
    # 09:00 in Nouméa on 10 March is still 9 March in UTC: it belongs to the 10th.
    far = bf.open_place(timezone="Pacific/Noumea")
    start = at("2027-03-10", 9, tz=ZoneInfo("Pacific/Noumea"))
    published(pf.coordinator(far), bf.room(far), "Atelier du matin", start)
    assert "Atelier du matin" in listing(agenda(client, far, **{"from": "2027-03-10"}))
    assert "Atelier du matin" not in listing(agenda(client, far, to="2027-03-09"))
    assert "Mercredi 10 mars 2027" in listing(agenda(client, far))


@pytest.mark.parametrize(
    ("params", "field_message"),
    [
        ({"kind": "party"}, "Sélectionnez un choix valide"),
        ({"audience": "aliens"}, "Sélectionnez un choix valide"),
        ({"from": "2027-13-45"}, "Saisissez une date valide"),
        ({"from": "9999-12-31"}, "Choisissez une date entre 2000 et 2100."),
        ({"to": "0001-01-01"}, "Choisissez une date entre 2000 et 2100."),
        ({"from": "2027-03-10", "to": "2027-03-01"}, "La fin de la période précède son début."),
        ({"from": "1e309"}, "Saisissez une date valide"),
    ],
)
def test_absurd_filters_answer_422_naming_the_field(client, place, params, field_message):
    response = agenda(client, place, **params)
    text = response.content.decode()
    assert response.status_code == 422
    assert field_message in text
    assert "Ces filtres ne peuvent pas servir" in text


def test_an_absurd_page_number_shows_a_page(client, place, coordinator, room):
    published(coordinator, room, "Atelier", at("2027-03-03", 10))
    for value in ("abc", "-1", "9" * 30):
        assert agenda(client, place, page=value).status_code == 200


def test_the_network_agenda_holds_its_places_and_filters_by_place(client, place, coordinator, room):
    sister = pf.place(network=place.network, name="La Grange", slug="la-grange")
    bf.open_every_day(sister)
    sister_room = bf.room(sister, name="Grange")
    sister_team = pf.coordinator(sister)
    published(coordinator, room, "Atelier Fabrique", at("2027-03-03", 10))
    published(sister_team, sister_room, "Atelier Grange", at("2027-03-04", 10))
    elsewhere = pf.place(name="Ailleurs", slug="ailleurs")
    bf.open_every_day(elsewhere)
    published(
        pf.coordinator(elsewhere), bf.room(elsewhere), "Atelier Ailleurs", at("2027-03-03", 9)
    )

    url = reverse("events:network_agenda", args=[place.network.slug])
    text = client.get(url).content.decode()
    assert "Atelier Fabrique" in text and "Atelier Grange" in text
    assert "Atelier Ailleurs" not in text
    assert reverse("events:network_feed", args=[place.network.slug]) in text
    text = client.get(url, {"place": "la-grange"}).content.decode()
    assert "Atelier Grange" in text and "Atelier Fabrique" not in text
    assert client.get(url, {"place": "ailleurs"}).status_code == 422
    assert client.get(reverse("events:network_agenda", args=["nowhere"])).status_code == 404


def test_members_only_events_show_only_to_the_place_people(
    client, place, coordinator, member, other_coordinator, room
):
    private = published(
        coordinator, room, "Assemblée des membres", at("2027-03-03", 18), access="members"
    )
    network_url = reverse("events:network_agenda", args=[place.network.slug])
    resident = pf.user()
    org = organisation()
    org.people.add(resident.person)
    PlaceRole.objects.create(place=place, organisation=org, role="resident_organisation")
    for user in (None, pf.user(), other_coordinator):
        client.logout()
        if user is not None:
            client.force_login(user)
        assert "Assemblée des membres" not in agenda(client, place).content.decode()
        assert "Assemblée des membres" not in client.get(network_url).content.decode()
        assert page(client, private).status_code == 404
    for user in (member, resident, coordinator, pf.network_admin(place.network)):
        client.force_login(user)
        text = agenda(client, place).content.decode()
        assert "Assemblée des membres" in text and "Réservé aux adhérents" in text
        assert "Assemblée des membres" in client.get(network_url).content.decode()
        assert page(client, private).status_code == 200


def test_a_draft_is_404_for_the_public_and_a_preview_for_the_team(
    client, place, coordinator, member
):
    draft = ef.event(place, title="Brouillon")
    assert page(client, draft).status_code == 404
    client.force_login(member)
    assert page(client, draft).status_code == 404
    client.force_login(coordinator)
    response = page(client, draft)
    assert response.status_code == 200
    assert "Aperçu : cet événement est un brouillon" in response.content.decode().replace(
        "\u00a0", " "
    )
    # An event of another place under this place's address does not exist.
    other = ef.event(pf.place(), title="Ailleurs", status="published")
    url = reverse("events:event", args=[place.slug, other.pk])
    assert client.get(url).status_code == 404


def test_the_event_page_says_everything_a_visitor_needs(client, place, coordinator, room):
    place.timezone = "America/Cayenne"  # an overseas place: its own times
    place.save(update_fields=["timezone"])
    start = at("2027-03-03", 14, tz=ZoneInfo("America/Cayenne"))
    event = ef.event(
        place,
        title="Formation au tour à bois",
        kind="training",
        hours=Decimal("10.50"),
        objectives="Tourner un bol.",
        description="Deux jours d’atelier.",
        audiences=["seniors", "professionals"],
        partners="Compagnons du Devoir",
    )
    ef.session(coordinator, event, room, start, start.replace(hour=17))
    event.co_organisers.add(organisation(name="Bois & Cie"))
    services.publish_event(actor=coordinator, event=event)
    services.set_price(
        actor=coordinator, event=event, kind="member", price_net=Decimal("50"), tax_code="vat_20"
    )
    services.set_price(
        actor=coordinator,
        event=event,
        kind="pay_what_you_want",
        price_net=Decimal("80"),
        min_price_net=Decimal("40"),
        tax_code="vat_20",
    )
    text = page(client, event).content.decode()
    assert "Formation au tour à bois" in text and "Formation</span>" in text
    assert "Seniors" in text and "Professionnels" in text
    assert "Deux jours d’atelier." in text and "Tourner un bol." in text
    assert "Heures de formation</dt><dd>10,5</dd>" in text
    assert "Bois &amp; Cie, Compagnons du Devoir" in text
    assert "Mercredi 3 mars 2027, 14:00–17:00 · Salle Jaune" in text
    assert "60,00\u00a0€" in text and "50,00\u00a0€ · TVA 20" in text
    assert "à partir de 48,00\u00a0€ (suggéré\u00a0: 96,00\u00a0€)" in text
    assert "Inscription" in text
    assert reverse("places:detail", args=[place.slug]) in text


def test_a_cancelled_event_says_so_and_lists_no_date(client, place, coordinator, room):
    event = published(coordinator, room, "Fête", at("2027-03-03", 18))
    services.cancel_event(actor=coordinator, event=event)
    text = page(client, event).content.decode()
    assert "Cet événement est annulé." in text
    assert "Aucune date à venir." in text


def test_pages_read_in_english(client, place, coordinator, room):
    event = published(coordinator, room, "Repair café", at("2027-03-03", 10), kind="repair_cafe")
    client.cookies["django_language"] = "en"
    response = agenda(client, place)
    assert "Subscribe (iCal)" in response.content.decode()
    text = listing(response)
    assert "Wednesday 3 March 2027" in text and "<strong>Free</strong>" in text
    text = page(client, event).content.decode()
    assert "Dates" in text and "Registration" in text and "Repair café" in text
    assert (
        "No session to come matches these filters."
        in agenda(client, place, kind="training").content.decode()
    )


def test_links_lead_to_the_agendas_and_the_public_page(client, place, coordinator):
    assert (
        reverse("events:agenda", args=[place.slug])
        in client.get(reverse("places:detail", args=[place.slug])).content.decode()
    )
    event = ef.event(place, title="Atelier")
    client.force_login(coordinator)
    detail = client.get(reverse("events_manage:detail", args=[place.slug, event.pk]))
    assert reverse("events:event", args=[place.slug, event.pk]) in detail.content.decode()
    client.force_login(pf.network_admin(place.network))
    places = client.get(reverse("places:network_places", args=[place.network.slug]))
    assert reverse("events:network_agenda", args=[place.network.slug]) in places.content.decode()


def test_the_agendas_read_in_a_fixed_number_of_queries(
    client, place, coordinator, member, room, django_assert_max_num_queries
):
    sister = pf.place(network=place.network, name="La Grange", slug="la-grange")
    bf.open_every_day(sister)
    sister_room, sister_team = bf.room(sister), pf.coordinator(sister)
    client.force_login(member)
    network_url = reverse("events:network_agenda", args=[place.network.slug])
    for day in range(2, 22):
        event = published(coordinator, room, f"Atelier {day}", at(f"2027-03-{day:02d}", 10))
        services.set_price(
            actor=coordinator,
            event=event,
            kind="member",
            price_net=Decimal("5"),
            tax_code="vat_20",
        )
        published(sister_team, sister_room, f"Grange {day}", at(f"2027-03-{day:02d}", 14))
        if day == 4:  # a few sessions, then many: the same number of queries
            with django_assert_max_num_queries(12) as few:
                assert client.get(network_url).status_code == 200
    with django_assert_max_num_queries(len(few)):
        assert client.get(network_url).status_code == 200
    with django_assert_max_num_queries(len(few) + 1):  # the audiences' query
        assert client.get(network_url, {"free": "on", "audience": "children"}).status_code == 200
    with django_assert_max_num_queries(len(few)):
        assert agenda(client, place, page=2).status_code == 200
