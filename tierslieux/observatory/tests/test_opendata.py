"""Open data: the three files validated against their schemas, read back, and free of people.

The CSV is validated with frictionless against the vendored Table Schema "Lieux de médiation
numérique"; the GeoJSON against RFC 7946's shape; the GoGoCarto JSON against the fields its
import reads; the JSON-LD is read back from a place's page."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from frictionless import Resource, Schema

from tierslieux.observatory import opendata
from tierslieux.places.models import OpeningException, OpeningHours, Place, TeamMember
from tierslieux.places.tests import factories as pf

SECRET_NAME = "Zéphyrine Quatresous"
SECRET_EMAIL = "zephyrine.secret@example.net"
PARIS = ZoneInfo("Europe/Paris")


def _schema() -> Schema:
    return Schema.from_descriptor(opendata.schema())


def validate_csv(body: bytes) -> list[list[Any]]:
    report = Resource(data=body, format="csv", schema=_schema()).validate()
    return report.flatten(["rowNumber", "fieldName", "type", "note"])


@pytest.fixture
def census(clock: Any) -> dict[str, Place]:
    """Two networks; places with and without what the schema requires; people with secrets."""
    clock.set(datetime(2026, 3, 2, 10, 0, tzinfo=PARIS))
    lille = pf.network(name="Réseau lillois", slug="lille")
    other = pf.network(name="Réseau breton", slug="bretagne")
    fab = pf.place(
        network=lille,
        name="La Fabrique <du> Nord",
        slug="fabrique-nord",
        categories=("fablab", "coworking"),
        address="12 rue Nationale",
        postcode="59000",
        commune="Lille",
        latitude=Decimal("50.636600"),
        longitude=Decimal("3.063500"),
        siret="55210055400013",
        email="bonjour@fabrique.example",
        phone="03 20 00 00 00",
        website="https://fabrique.example/",
        description="Un atelier partagé, ouvert à tous. " * 12,
    )
    OpeningHours.objects.create(place=fab, weekday=0, opens=time(9), closes=time(18))
    OpeningHours.objects.create(place=fab, weekday=1, opens=time(9), closes=time(18))
    OpeningHours.objects.create(place=fab, weekday=5, opens=time(10), closes=time(13))
    OpeningException.objects.create(
        place=fab, start_date=date(2026, 8, 1), end_date=date(2026, 8, 15)
    )
    TeamMember.objects.create(place=fab, role="Fab manager", people=2)
    projet = pf.place(
        network=lille,
        name="Le Projet",
        slug="le-projet",
        status=Place.Status.PROJECT,
        categories=("food",),
        address="1 place du Marché",
        postcode="59800",
        commune="Lille",
        rna="W595000001",
        legal_form=Place.LegalForm.SCIC,
    )
    sans_pivot = pf.place(
        network=lille,
        name="Sans numéro",
        slug="sans-numero",
        address="3 rue Basse",
        postcode="59000",
        commune="Lille",
        latitude=Decimal("50.6"),
        longitude=Decimal("3.05"),
    )
    bruxelles = pf.place(
        network=other,
        name="Bruxelles Lab",
        slug="bruxelles-lab",
        country="BE",
        postcode="1000",
        commune="Bruxelles",
        address="5 rue Haute",
        siret="55210055400013",
    )
    brest = pf.place(
        network=other,
        name="Brest Coop",
        slug="brest-coop",
        address="9 quai",
        postcode="29200",
        commune="Brest",
        siret="55210055400013",
    )
    secret = pf.user(email=SECRET_EMAIL)
    secret.person.first_name, secret.person.last_name = SECRET_NAME.split()
    secret.person.email = SECRET_EMAIL
    secret.person.save()
    pf.with_role(secret, fab, "member")
    pf.with_role(secret, projet, "coordinator")
    return {p.slug: p for p in (fab, projet, sans_pivot, bruxelles, brest)}


def _get(client: Any, name: str, **params: str) -> Any:
    return client.get(reverse(f"opendata:{name}"), params)


def _rows(body: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(body.decode("utf-8"))))


def test_the_csv_is_valid_against_the_national_schema(client, census):
    response = _get(client, "places_csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert validate_csv(response.content) == []
    header = response.content.decode().splitlines()[0].split(",")
    assert header == [f["name"] for f in opendata.schema()["fields"]]


def test_the_csv_holds_what_the_schema_can_hold_and_maps_our_vocabulary(client, census):
    rows = {r["id"]: r for r in _rows(_get(client, "places_csv").content)}
    # No SIRET nor RNA, and outside France: left out (the page says so).
    assert sorted(rows) == ["brest-coop", "fabrique-nord", "le-projet"]
    fab = rows["fabrique-nord"]
    assert fab["pivot"] == "55210055400013"
    assert fab["typologie"] == "TIERS_LIEUX|FABLAB|ASSO"
    assert fab["telephone"] == "+33320000000"
    assert fab["horaires"] == "Mo,Tu 09:00-18:00; Sa 10:00-13:00; 2026 Aug 01-15 off"
    assert fab["modalites_acces"] == "Se présenter|Téléphoner|Contacter par mail"
    assert len(fab["presentation_resume"]) <= 280 and fab["presentation_detail"]
    assert fab["date_maj"] == "2026-03-02"
    assert (fab["latitude"], fab["longitude"]) == ("50.6366", "3.0635")
    assert (fab["source"], fab["itinerance"]) == ("Réseau lillois", "Fixe")
    projet = rows["le-projet"]
    assert projet["pivot"] == "W595000001"
    assert projet["typologie"] == "TIERS_LIEUX"
    assert projet["modalites_acces"] == "Ce lieu n'accueille pas de public"


def test_a_network_restricts_every_file_and_an_unknown_one_is_a_404(client, census):
    rows = _rows(_get(client, "places_csv", network="bretagne").content)
    assert [r["id"] for r in rows] == ["brest-coop"]
    geo = _get(client, "places_geojson", network="lille").json()
    assert {f["id"] for f in geo["features"]} == {"fabrique-nord", "le-projet", "sans-numero"}
    gogo = _get(client, "places_gogocarto", network="bretagne").json()
    assert {e["id"] for e in gogo["data"]} == {"bruxelles-lab", "brest-coop"}
    for name in ("index", "places_csv", "places_geojson", "places_gogocarto"):
        assert _get(client, name, network="nulle-part").status_code == 404


def test_the_geojson_is_a_feature_collection_of_every_published_place(client, census):
    response = _get(client, "places_geojson")
    assert response["Content-Type"] == "application/geo+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    data = json.loads(response.content)
    assert data["type"] == "FeatureCollection"
    assert data["license"] == opendata.LICENCE_URL
    by_id = {f["id"]: f for f in data["features"]}
    assert set(by_id) == set(census)  # round trip: export → parse → the same places
    for feature in data["features"]:
        assert feature["type"] == "Feature"
        assert set(feature) == {"type", "id", "geometry", "properties"}
        geometry = feature["geometry"]
        if geometry is not None:
            assert geometry["type"] == "Point"
            lon, lat = geometry["coordinates"]
            assert isinstance(lon, float) and isinstance(lat, float)
            assert -90 <= lat <= 90 and -180 <= lon <= 180
    assert by_id["fabrique-nord"]["geometry"]["coordinates"] == [3.0635, 50.6366]
    assert by_id["le-projet"]["geometry"] is None
    props = by_id["fabrique-nord"]["properties"]
    assert props["name"] == "La Fabrique <du> Nord"
    assert props["categories"] == ["coworking", "fablab"]
    assert props["url"] == "http://testserver/places/fabrique-nord/"
    assert props["opening_hours"].startswith("Mo,Tu 09:00-18:00")


def test_the_gogocarto_json_has_the_fields_its_import_reads(client, census):
    data = _get(client, "places_gogocarto").json()
    assert data["ontology"] == "gogofull" and data["license"] == opendata.LICENCE_URL
    elements = {e["id"]: e for e in data["data"]}
    assert set(elements) == set(census)
    fab = elements["fabrique-nord"]
    assert fab["name"] == "La Fabrique <du> Nord"
    assert fab["geo"] == {"latitude": 50.6366, "longitude": 3.0635}
    assert fab["address"] == {
        "streetAddress": "12 rue Nationale",
        "postalCode": "59000",
        "addressLocality": "Lille",
        "addressCountry": "FR",
    }
    assert fab["categories"] == ["Coworking", "Fablab"]  # French labels, whatever the visitor
    assert fab["openHours"] == {"Mo": "09:00-18:00", "Tu": "09:00-18:00", "Sa": "10:00-13:00"}
    assert fab["email"] == "bonjour@fabrique.example"
    assert "geo" not in elements["le-projet"]


def test_no_export_holds_a_persons_name_or_e_mail(client, census):
    bodies = [
        _get(client, name).content.decode()
        for name in ("places_csv", "places_geojson", "places_gogocarto", "index")
    ]
    bodies.append(client.get(reverse("places:detail", args=["fabrique-nord"])).content.decode())
    for body in bodies:
        for secret in (SECRET_EMAIL, "Zéphyrine", "Quatresous", "zephyrine"):
            assert secret not in body


def test_the_exports_do_not_query_per_place(client, census, django_assert_max_num_queries):
    network = Place.objects.get(slug="brest-coop").network
    for n in range(30):
        place = pf.place(
            network=network,
            name=f"Lieu {n}",
            slug=f"lieu-n{n}",
            siret="55210055400013",
            address="1 rue",
            postcode="29200",
        )
        OpeningHours.objects.create(place=place, weekday=2, opens=time(9), closes=time(12))
    for name in ("places_csv", "places_geojson", "places_gogocarto"):
        with django_assert_max_num_queries(4):
            assert _get(client, name).status_code == 200
    with django_assert_max_num_queries(6):
        assert _get(client, "index").status_code == 200


def test_the_page_states_the_licence_and_links_the_files(client, census):
    response = _get(client, "index", network="lille")
    text = response.content.decode()
    assert response.status_code == 200
    assert "Licence Ouverte 2.0" in text and opendata.LICENCE_URL in text
    for name in ("places_csv", "places_geojson", "places_gogocarto"):
        assert f"{reverse(f'opendata:{name}')}?network=lille" in text
    assert "v1.0.1" in text
    assert "1 lieu sans numéro SIRET ni RNA n’y figure pas" in text
    assert "Licence Ouverte 2.0 (Etalab)</a>" in text


def test_a_place_page_carries_its_schema_org_json_ld(client, census):
    html = client.get(reverse("places:detail", args=["fabrique-nord"])).content.decode()
    scripts = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert len(scripts) == 1
    data = json.loads(scripts[0])
    assert data["@context"] == "https://schema.org"
    assert data["@type"] == "LocalBusiness"
    assert data["name"] == "La Fabrique <du> Nord"  # escaped in the script, intact once read
    assert "<du>" not in scripts[0]
    assert data["url"] == "http://testserver/places/fabrique-nord/"
    assert data["address"] == {
        "@type": "PostalAddress",
        "streetAddress": "12 rue Nationale",
        "postalCode": "59000",
        "addressLocality": "Lille",
        "addressCountry": "FR",
    }
    assert data["geo"] == {"@type": "GeoCoordinates", "latitude": 50.6366, "longitude": 3.0635}
    assert data["openingHoursSpecification"][0] == {
        "@type": "OpeningHoursSpecification",
        "dayOfWeek": "https://schema.org/Monday",
        "opens": "09:00",
        "closes": "18:00",
    }
    assert len(data["openingHoursSpecification"]) == 3
    closed = data["specialOpeningHoursSpecification"][0]
    assert (closed["validFrom"], closed["opens"], closed["closes"]) == (
        "2026-08-01",
        "00:00",
        "00:00",
    )
    assert data["email"] == "bonjour@fabrique.example"
    assert data["sameAs"] == ["https://fabrique.example/"]


def test_a_place_without_street_address_has_none_in_its_json_ld(client, census):
    Place.objects.filter(slug="le-projet").update(address="")
    html = client.get(reverse("places:detail", args=["le-projet"])).content.decode()
    (script,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    data = json.loads(script)
    assert data["address"] == {
        "@type": "PostalAddress",
        "postalCode": "59800",
        "addressLocality": "Lille",
        "addressCountry": "FR",
    }
    assert "geo" not in data and "openingHoursSpecification" not in data


def test_round_trip_each_file_reads_back_the_places_as_they_are(client, census):
    """Export, parse, compare with the database: same places, same names, places, positions."""
    rows = {r["id"]: r for r in _rows(_get(client, "places_csv").content)}
    features = {f["id"]: f for f in _get(client, "places_geojson").json()["features"]}
    elements = {e["id"]: e for e in _get(client, "places_gogocarto").json()["data"]}
    for place in Place.objects.all():
        located = place.latitude is not None
        position = (float(place.latitude), float(place.longitude)) if located else None
        feature, element = features.pop(place.slug), elements.pop(place.slug)
        assert feature["properties"]["name"] == element["name"] == place.name
        assert feature["properties"]["commune"] == element["address"]["addressLocality"]
        assert feature["properties"]["postcode"] == place.postcode
        lon_lat = feature["geometry"]["coordinates"] if located else None
        assert (tuple(reversed(lon_lat)) if lon_lat else None) == position
        geo = element.get("geo")
        assert ((geo["latitude"], geo["longitude"]) if geo else None) == position
        row = rows.pop(place.slug, None)
        if row is not None:
            assert (row["nom"], row["commune"], row["code_postal"]) == (
                place.name,
                place.commune,
                place.postcode,
            )
            assert (
                (float(row["latitude"]), float(row["longitude"])) if row["latitude"] else None
            ) == position
    assert rows == features == elements == {}  # nothing exported that is not a place


def test_the_files_do_not_change_with_the_visitors_language(client, census, english):
    client.cookies["django_language"] = "en"
    data = _get(client, "places_gogocarto").json()
    fab = next(e for e in data["data"] if e["id"] == "fabrique-nord")
    assert fab["categories"] == ["Coworking", "Fablab"]
    projet = next(e for e in data["data"] if e["id"] == "le-projet")
    assert projet["categories"] == ["Tiers-lieu nourricier"]
