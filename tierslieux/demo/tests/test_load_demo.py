"""The demo network: what `load_demo` creates, that it obeys the rules, that it is idempotent."""

from __future__ import annotations

import json
from decimal import Decimal
from io import StringIO

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.test import Client

from tierslieux.accounts.models import Organisation, Person, User
from tierslieux.core.models import AuditEntry
from tierslieux.core.validators import validate_rna, validate_siret
from tierslieux.demo import data, loader
from tierslieux.demo.loader import PASSWORD, load_demo
from tierslieux.demo.people import LoginSpec
from tierslieux.members.models import Product
from tierslieux.places.access import Perm, has_perm
from tierslieux.places.models import (
    Network,
    OpeningException,
    OpeningHours,
    Place,
    PlaceRole,
    Space,
    TeamMember,
)

MICRO = data.MICRO_CENTRE["slug"]
ADMIN = "reseau@demo.tierslieux.fr"
COORDINATOR = "coordination@demo.tierslieux.fr"
MEMBER = "membre@demo.tierslieux.fr"


def dump() -> dict[str, list[dict]]:
    """Every row of every model of the domain apps, `last_login` left out."""
    rows = {}
    for label in (
        "core",
        "accounts",
        "places",
        "billing",
        "members",
        "bookings",
        "events",
        "activity",
    ):
        for model in apps.get_app_config(label).get_models():
            objects = json.loads(serializers.serialize("json", model.objects.order_by("pk")))
            for obj in objects:
                obj["fields"].pop("last_login", None)
            rows[model._meta.label] = objects
    return rows


def test_the_demo_network_holds_the_eight_mille_lieux_places_and_the_micro_centre(demo):
    network = Network.objects.get(slug="demo")
    assert network.name == "Réseau des tiers-lieux (démo)"
    slugs = {p["slug"] for p in data.PLACES} | {MICRO}
    assert len(slugs) == 9
    assert set(network.places.values_list("slug", flat=True)) == slugs
    assert demo.places == 9


def test_the_sheets_carry_the_mille_lieux_figures(demo):
    cmine_data = next(p for p in data.PLACES if p["slug"] == "c-mine-genk")
    cmine = Place.objects.get(slug="c-mine-genk")
    assert cmine.surface_m2 == cmine_data["surface_m2"] == 340580
    assert cmine.legal_form == cmine_data["legal_form"]
    assert cmine.investment_public_share == 70
    assert cmine.timezone == "Europe/Brussels"
    assert Place.objects.get(slug="bliiida-metz").commune == "Metz"
    for spec in [*data.PLACES, data.MICRO_CENTRE]:
        place = Place.objects.get(slug=spec["slug"])
        for name in (
            "name",
            "postcode",
            "country",
            "status",
            "programme",
            "surface_m2",
            "operation_public_share",
            "visitors_per_year",
            "legal_form_detail",
        ):
            assert getattr(place, name) == spec[name], (spec["slug"], name)
        assert place.latitude == Decimal(spec["latitude"])
        assert set(place.categories.values_list("code", flat=True)) == set(spec["categories"])
        assert place.team.count() == len(spec["team"])
        assert place.hours.count() == len(spec["opening_hours"])
        assert place.spaces.count() == len(spec["spaces"])


def test_the_micro_centre_follows_the_blueprint(demo):
    spaces = {s.kind: s for s in Space.objects.filter(place__slug=MICRO)}
    ranges = {
        "multipurpose_room": (60, 100),
        "coworking": (40, 60),
        "workshop": (30, 50),
        "wellbeing": (20, 40),
    }
    for kind, (low, high) in ranges.items():
        assert low <= spaces[kind].surface_m2 <= high, kind
    assert 5 <= spaces["coworking"].units <= 10
    assert "outdoor" in spaces
    indoor = sum(s.surface_m2 for s in spaces.values() if s.kind != "outdoor")
    assert 150 <= indoor <= 300
    micro = Place.objects.get(slug=MICRO)
    assert 150 <= micro.surface_m2 <= 300
    assert micro.status == Place.Status.PROJECT
    assert micro.investment_public_share <= 30


def test_every_demo_object_passes_full_clean(demo):
    for model in (
        Place,
        Space,
        TeamMember,
        OpeningHours,
        OpeningException,
        PlaceRole,
        Person,
        Organisation,
        User,
    ):
        objects = list(model.objects.all())
        assert objects, model
        for obj in objects:
            obj.full_clean()


def test_each_place_has_people_organisations_and_two_closures(demo):
    for place in Place.objects.all():
        people = place.roles.filter(person__isnull=False, person__user__isnull=True)
        roles = set(people.values_list("role", flat=True))
        assert roles == {"staff", "member", "volunteer"}
        assert place.roles.filter(organisation__isnull=False).count() == 2
        assert place.opening_exceptions.filter(closed=True).count() == 2
    year_end = OpeningException.objects.filter(reason="Fermeture de fin d'année")
    assert year_end.count() == 9
    assert {(e.start_date.isoformat(), e.end_date.isoformat()) for e in year_end} == {
        ("2026-12-24", "2027-01-01")
    }
    assert 30 <= demo.people + demo.organisations <= 80


def test_french_organisations_have_a_valid_siret_and_associations_an_rna(demo):
    french = PlaceRole.objects.filter(organisation__isnull=False, place__country="FR")
    organisations = {role.organisation for role in french}
    assert organisations
    for organisation in organisations:
        if organisation.kind == Organisation.Kind.ASSOCIATION:
            validate_rna(organisation.rna)
        validate_siret(organisation.siret)  # an invoice to a French organisation needs it


def test_every_organisation_has_a_postal_address_in_its_place_s_commune(demo):
    for role in PlaceRole.objects.filter(organisation__isnull=False).select_related(
        "organisation", "place"
    ):
        organisation, place = role.organisation, role.place
        assert organisation.address and organisation.postcode == place.postcode
        assert (organisation.city, organisation.country) == (place.commune, place.country)


def test_loading_again_writes_nothing(demo):
    assert demo.created > 0
    before = dump()
    audit_count = AuditEntry.objects.count()
    again = load_demo()
    assert dump() == before
    # One entry for the load itself; the money history went through the services (their own
    # entries), and loading again wrote none.
    assert AuditEntry.objects.count() == audit_count
    assert AuditEntry.objects.filter(action="demo.load").count() == 1
    assert (again.created, again.updated, again.deleted) == (0, 0, 0)
    assert again.places == demo.places and again.people == demo.people
    assert again.bookings == demo.bookings > 1000 and before["bookings.Booking"]
    assert again.logins == demo.logins


def test_loading_again_repairs_a_drifted_sheet_but_keeps_changed_passwords(demo):
    Place.objects.filter(slug="c-mine-genk").update(surface_m2=1)
    Product.objects.filter(place__slug=MICRO, name="Pass journée").update(price_net=1)
    OpeningHours.objects.create(
        place=Place.objects.get(slug=MICRO), weekday=6, opens="10:00", closes="12:00"
    )
    member = User.objects.get(email=MEMBER)
    member.set_password("a new secret of mine")
    member.save()
    again = load_demo()
    assert Place.objects.get(slug="c-mine-genk").surface_m2 == 340580
    pass_price = Product.objects.get(place__slug=MICRO, name="Pass journée").price_net
    assert pass_price == Decimal("15.00")
    assert not OpeningHours.objects.filter(place__slug=MICRO, weekday=6).exists()
    assert (again.updated, again.deleted) == (2, 1)
    assert User.objects.get(email=MEMBER).check_password("a new secret of mine")


def test_the_demo_logins_authenticate(demo):
    assert len(demo.logins) == 3 + len(data.PLACES)
    for login in demo.logins:
        client = Client()
        assert client.login(username=login.email, password=PASSWORD), login.email
        user = User.objects.get(email=login.email)
        assert user.language == "fr" and user.full_name and user.person


def test_the_loader_hashes_the_demo_password_once_for_all_its_new_logins(demo, monkeypatch):
    hashed = []
    real = loader.make_password
    monkeypatch.setattr(loader, "make_password", lambda raw: hashed.append(raw) or real(raw))
    network = Network.objects.get(slug="demo")
    places = {place.slug: place for place in network.places.all()}
    w = loader._Writer()
    specs = [
        LoginSpec(f"essai.{n}@demo.tierslieux.fr", "Essai", f"N{n}", "Membre", MICRO, "member")
        for n in range(3)
    ]
    for spec in specs:
        loader._load_login(w, spec, network, places)
    assert hashed == [PASSWORD] and w.created == 3 * 3  # a user, a person, a role each
    for spec in specs:
        assert Client().login(username=spec.email, password=PASSWORD), spec.email


def test_the_logins_hold_the_roles_they_are_shown_with(demo):
    micro = Place.objects.get(slug=MICRO)
    iness = Place.objects.get(slug="iness-narbonne")
    coordinator = User.objects.get(email=COORDINATOR)
    member = User.objects.get(email=MEMBER)
    admin = User.objects.get(email=ADMIN)
    assert has_perm(coordinator, micro, Perm.EDIT_SHEET)
    assert not has_perm(coordinator, iness, Perm.EDIT_SHEET)
    assert not has_perm(member, micro, Perm.EDIT_SHEET)
    assert not has_perm(member, micro, Perm.VIEW_BACKOFFICE)
    assert admin.is_staff and admin.is_superuser
    assert admin.person.network_roles.filter(network__slug="demo").exists()
    for place in Place.objects.all():
        for perm in Perm:
            assert has_perm(admin, place, perm)
        own = (
            User.objects.get(email=f"coordination.{place.slug}@demo.tierslieux.fr")
            if (place.slug != MICRO)
            else coordinator
        )
        assert has_perm(own, place, Perm.EDIT_SHEET)
        assert not has_perm(own, micro if place != micro else iness, Perm.EDIT_SHEET)


def test_the_command_prints_the_counts_the_writes_and_the_logins(demo):
    Place.objects.filter(slug="c-mine-genk").update(surface_m2=1)  # a drift to repair
    out = StringIO()
    call_command("load_demo", stdout=out)
    text = out.getvalue()
    assert "Écritures : 0 créations, 1 mises à jour, 0 suppressions." in text
    assert "9 lieux" in text
    assert "réservations sur douze mois" in text
    assert "Identifiants de démonstration" in text
    assert PASSWORD in text
    for email in (ADMIN, COORDINATOR, MEMBER, "coordination.bliiida-metz@demo.tierslieux.fr"):
        assert email in text
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "aucune écriture" in out.getvalue()


def test_the_micro_centre_opens_sign_up_and_its_team_accepts(demo):
    from tierslieux.joining.models import JoinSettings

    settings = JoinSettings.objects.get(place__slug=MICRO)
    assert settings.signup_open and not settings.auto_accept
