"""Pages per persona: the public sees the directory, each role sees what it may change."""

import pytest
from django.urls import reverse

from tierslieux.places.models import Place, Space
from tierslieux.places.tests import factories as f


def sheet_data(place, **overrides):
    data = {
        "name": place.name,
        "slug": place.slug,
        "status": place.status,
        "postcode": place.postcode,
        "commune": place.commune,
        "country": place.country,
        "location_type": place.location_type,
        "timezone": place.timezone,
        "legal_form": place.legal_form,
        "surface_m2": place.surface_m2 or "",
        "categories": ["coworking"],
    }
    data.update(overrides)
    return data


def test_the_directory_lists_places_and_filters_them(client):
    f.place(
        name="La Quincaillerie",
        commune="Guéret",
        postcode="23000",
        location_type="city_centre",
        categories=("fablab",),
    )
    f.place(
        name="TerraLab",
        commune="Arles",
        postcode="13200",
        location_type="periphery",
        categories=("living_lab",),
    )
    page = client.get("/").content.decode()
    assert "La Quincaillerie" in page and "TerraLab" in page
    assert "Annuaire des tiers-lieux" in page
    only_fablab = client.get("/", {"category": "fablab"}).content.decode()
    assert "La Quincaillerie" in only_fablab and "TerraLab" not in only_fablab
    periphery = client.get("/", {"location_type": "periphery"}).content.decode()
    assert "TerraLab" in periphery and "La Quincaillerie" not in periphery
    assert "TerraLab" in client.get("/", {"commune": "Arles"}).content.decode()
    assert "TerraLab" in client.get("/", {"q": "terra"}).content.decode()
    assert "TerraLab" not in client.get("/", {"q": "guéret"}).content.decode()
    # The map's filters too, and a link to the same places on the map.
    creuse = client.get("/", {"departement": "23"}).content.decode()
    assert "La Quincaillerie" in creuse and "TerraLab" not in creuse
    assert 'href="/map/?departement=23"' in creuse
    assert client.get("/", {"departement": "99"}).status_code == 422


def test_the_directory_does_not_query_per_place(client, django_assert_max_num_queries):
    for _ in range(6):
        f.place()
    # The count, the page's places, their categories, the communes, the networks.
    with django_assert_max_num_queries(5):
        client.get("/")


def test_the_public_place_page_shows_sheet_spaces_and_hours(client):
    from datetime import time

    place = f.place(name="Bliiida", surface_m2=33000, commune="Metz")
    f.space(place, name="Grande halle", capacity=200)
    place.hours.create(weekday=0, opens=time(9), closes=time(18))
    page = client.get(place.get_absolute_url()).content.decode()
    assert "33\xa0000\xa0m²" in page  # French thousands, no-break spaces (core.formatting)
    assert "Grande halle" in page
    assert "Mo 09:00-18:00" in page
    assert client.get("/places/nulle-part/").status_code == 404


def test_the_pages_speak_english_when_asked(client):
    f.place(name="C-mine")
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert "Directory of tiers-lieux" in client.get("/").content.decode()


def test_anonymous_visitors_are_sent_to_login_from_the_back_office(client, place):
    response = client.get(reverse("places:manage_sheet", args=[place.slug]))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("persona", ["member", "outsider", "other_coordinator"])
def test_who_is_not_staff_of_the_place_gets_403(client, request, place, persona):
    user = f.user() if persona == "outsider" else request.getfixturevalue(persona)
    client.force_login(user)
    for name in ("manage", "manage_sheet", "manage_spaces", "manage_people"):
        assert client.get(reverse(f"places:{name}", args=[place.slug])).status_code == 403


def test_staff_see_spaces_but_not_the_sheet_form(client, place, staff):
    client.force_login(staff)
    assert client.get(reverse("places:manage_spaces", args=[place.slug])).status_code == 200
    assert client.get(reverse("places:manage_sheet", args=[place.slug])).status_code == 403


def test_a_coordinator_changes_the_surface(client, place, coordinator):
    client.force_login(coordinator)
    url = reverse("places:manage_sheet", args=[place.slug])
    response = client.post(url, sheet_data(place, surface_m2=275))
    assert response.status_code == 302
    place.refresh_from_db()
    assert place.surface_m2 == 275


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"siret": "12345678901234"}, "siret", "SIRET"),
        ({"postcode": "1110"}, "postcode", "code postal"),
        ({"latitude": "95"}, "latitude", "inférieure ou égale à 90"),
        (
            {"investment_public_share": "60", "investment_private_share": "30"},
            "investment_private_share",
            "100",
        ),
        ({"surface_m2": "-3"}, "surface_m2", "supérieure ou égale à 0"),
    ],
)
def test_bad_sheet_input_shows_a_french_error_and_saves_nothing(client, overrides, field, words):
    place = f.place(surface_m2=250)
    client.force_login(f.coordinator(place))
    url = reverse("places:manage_sheet", args=[place.slug])
    response = client.post(url, sheet_data(place, **{"surface_m2": 999, **overrides}))
    assert response.status_code == 422
    assert field in response.context["form"].errors
    assert words in " ".join(response.context["form"].errors[field])
    place.refresh_from_db()
    assert place.surface_m2 == 250


def test_a_duplicate_slug_is_refused_in_the_form(client):
    taken = f.place()
    place = f.place()
    client.force_login(f.coordinator(place))
    response = client.post(
        reverse("places:manage_sheet", args=[place.slug]), sheet_data(place, slug=taken.slug)
    )
    assert response.status_code == 422
    assert "slug" in response.context["form"].errors
    assert Place.objects.filter(slug=taken.slug).count() == 1


def test_a_coordinator_manages_spaces_from_the_back_office(client, place, coordinator):
    client.force_login(coordinator)
    response = client.post(
        reverse("places:manage_space_new", args=[place.slug]),
        {
            "name": "Coworking",
            "kind": "coworking",
            "capacity": 10,
            "units": 8,
            "surface_m2": 50,
            "equipment": "wifi, bureaux",
            "bookable": "on",
        },
    )
    assert response.status_code == 302
    space = Space.objects.get(place=place, slug="coworking")
    assert space.units == 8
    assert sorted(space.equipment.values_list("name", flat=True)) == ["bureaux", "wifi"]
    bad = client.post(
        reverse("places:manage_space", args=[place.slug, "coworking"]),
        {
            "name": "Coworking",
            "slug": "coworking",
            "kind": "coworking",
            "capacity": 10,
            "units": 0,
        },
    )
    assert bad.status_code == 422
    space.refresh_from_db()
    assert space.units == 8
    asked = client.get(reverse("places:manage_space_delete", args=[place.slug, "coworking"]))
    assert asked.status_code == 200
    assert Space.objects.filter(pk=space.pk).exists()
    client.post(reverse("places:manage_space_delete", args=[place.slug, "coworking"]))
    assert not Space.objects.filter(pk=space.pk).exists()


def test_weekly_hours_form_parses_ranges_and_reports_bad_ones(client, place, coordinator):
    client.force_login(coordinator)
    url = reverse("places:manage_hours", args=[place.slug])
    ok = client.post(
        url, {"form": "hours", "day_0": "09:00-12:30, 14:00-18:00", "day_5": "10h00-13h00"}
    )
    assert ok.status_code == 302
    assert place.hours.count() == 3
    bad = client.post(url, {"form": "hours", "day_0": "18:00-09:00"})
    assert bad.status_code == 422
    assert "day_0" in bad.context["hours_form"].errors
    assert place.hours.count() == 3


def test_a_coordinator_adds_people_and_organisations(client, place, coordinator):
    client.force_login(coordinator)
    client.post(
        reverse("places:manage_person_new", args=[place.slug]),
        {"first_name": "Léa", "last_name": "Durand", "role": "volunteer"},
    )
    assert place.roles.filter(person__last_name="Durand", role="volunteer").exists()
    bad = client.post(
        reverse("places:manage_organisation_new", args=[place.slug]),
        {
            "name": "SCOP Bois",
            "kind": "company",
            "siret": "12345678901234",
            "role": "resident_organisation",
        },
    )
    assert bad.status_code == 422
    assert not place.roles.filter(organisation__name="SCOP Bois").exists()
    page = client.get(reverse("places:manage_people", args=[place.slug])).content.decode()
    assert "Durand" in page


def test_every_field_of_the_sheet_form_is_shown_in_a_fieldset():
    from tierslieux.places.forms import PlaceSheetForm

    grouped = [name for _legend, names in PlaceSheetForm.FIELDSETS for name in names]
    assert sorted(grouped) == sorted(PlaceSheetForm.Meta.fields)


def test_the_public_page_writes_numbers_and_dates_as_french_readers_do(client, clock):
    from datetime import date
    from decimal import Decimal

    clock.set(date(2031, 2, 10))
    place = f.place(visitors_per_year=12000, surface_m2=1500)
    place.team.create(role="Coordinatrice", people=2, fte=Decimal("1.50"))
    place.opening_exceptions.create(start_date=date(2031, 3, 1), end_date=date(2031, 3, 2))
    page = client.get(place.get_absolute_url()).content.decode()
    assert "12\xa0000" in page and "1\xa0500\xa0m²" in page
    assert "1,50 ETP" in page
    assert "1er mars 2031" in page


def test_the_team_form_saves_good_lines_and_answers_422_to_a_bad_one(client, place, coordinator):
    client.force_login(coordinator)
    url = reverse("places:manage_team", args=[place.slug])
    management = {"team-TOTAL_FORMS": "1", "team-INITIAL_FORMS": "0"}
    line = {"team-0-role": "Coordinatrice", "team-0-people": "2", "team-0-fte": "1.5"}

    assert client.get(url).status_code == 200
    bad = client.post(url, {**management, **line, "team-0-people": "0"})
    assert bad.status_code == 422
    assert not place.team.exists()
    good = client.post(url, {**management, **line})
    assert good.status_code == 302
    assert list(place.team.values_list("role", "people")) == [("Coordinatrice", 2)]
