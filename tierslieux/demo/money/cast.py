"""Who takes part in each demo place's money: its coordinator acts, its people buy."""

from __future__ import annotations

from dataclasses import dataclass

from tierslieux.accounts.models import Organisation, Person, User
from tierslieux.demo import data, people
from tierslieux.places.models import Place, PlaceRole

MEMBER_LOGIN = f"membre@{people.DOMAIN}"


@dataclass
class Cast:
    """Who takes part in a place's money: the coordinator acts; the others buy."""

    coordinator: User
    member_a: Person  # resident plan and membership, pays by direct debit
    member_b: Person  # nomade plan paid by their organisation, solidarity membership
    volunteer: Person  # membership, passes, tickets
    payer: Organisation  # pays member_b's plan
    association: Organisation  # holds the organisation membership, hires rooms
    login: Person | None  # the demo member login (the micro-centre only)


def casts(places: dict[str, Place]) -> dict[str, Cast]:
    person_specs, organisation_specs = people.people_and_organisations(
        [*data.PLACES, data.MICRO_CENTRE]
    )
    persons = {p.email: p for p in Person.objects.filter(user=None)}
    organisations = {o.name: o for o in Organisation.objects.all()}
    coordinators: dict[int, User] = {}
    for role in (
        PlaceRole.objects.filter(
            place__in=places.values(), role=PlaceRole.Role.COORDINATOR, person__user__isnull=False
        )
        .select_related("person__user")
        .order_by("id")
    ):
        if role.person is not None and role.person.user is not None:
            coordinators.setdefault(role.place_id, role.person.user)
    login = Person.objects.filter(user__email=MEMBER_LOGIN).first()
    casts = {}
    for slug, place in places.items():
        here = [p for p in person_specs if p.place_slug == slug]
        orgs = [o for o in organisation_specs if o.place_slug == slug]
        association = next(o for o in orgs if o.kind == "association")
        company = next(o for o in orgs if o.kind != "association")
        # A business pays only with its SIREN on the invoice: abroad, the association pays.
        payer = company if company.siret else association
        members = [p.email for p in here if p.role == "member"]
        volunteers = [p.email for p in here if p.role == "volunteer"]
        if payer.contact_email not in members or not volunteers or place.pk not in coordinators:
            continue  # the data changed shape: no money for this place rather than a crash
        other = next(email for email in members if email != payer.contact_email)
        casts[slug] = Cast(
            coordinator=coordinators[place.pk],
            member_a=persons[other],
            member_b=persons[payer.contact_email],
            volunteer=persons[volunteers[0]],
            payer=organisations[payer.name],
            association=organisations[association.name],
            login=login if slug == data.MICRO_CENTRE["slug"] else None,
        )
    return casts
