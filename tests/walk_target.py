"""The furnished target place of the access walks: one of every guarded row, the values
of every URL parameter, and the snapshot that proves an intruder changed nothing."""

from __future__ import annotations

from datetime import date, time
from decimal import Decimal

from django.core import serializers
from django.core.files.uploadedfile import SimpleUploadedFile

from tierslieux.accounts.models import ApiToken, Organisation, Person, User
from tierslieux.activity.models import DailyCount
from tierslieux.billing import services as billing_services
from tierslieux.billing.models import (
    Customer,
    Funding,
    Invoice,
    InvoiceDelivery,
    InvoiceLine,
    Payment,
)
from tierslieux.billing.tests import factories as money_f
from tierslieux.bookings import services as booking_services
from tierslieux.bookings.models import (
    Booking,
    BookingRules,
    BookingSettings,
    KindRules,
    MachineAuthorisation,
    Series,
)
from tierslieux.bookings.tests import factories as bf
from tierslieux.core.models import Job
from tierslieux.economics import services as economics_services
from tierslieux.economics import services_actuals as economics_actuals
from tierslieux.economics.models import Expense, Grant
from tierslieux.economics.models import Scenario as EconomicScenario
from tierslieux.events import services as event_services
from tierslieux.events.models import Attendance, Event, PriceCategory, Registration, Session
from tierslieux.impact import services as impact_services
from tierslieux.impact import services_assessment as impact_assessment
from tierslieux.impact import services_report as impact_report
from tierslieux.joining.models import Invitation, JoinSettings, SignupRequest
from tierslieux.joining.services import invitations as joining_invitations
from tierslieux.members.models import (
    BillRun,
    Charge,
    CreditEntry,
    Product,
    RoomRate,
    Subscription,
)
from tierslieux.observatory import import_services
from tierslieux.observatory.models import CensusImport, Declaration
from tierslieux.observatory.tests import census_files
from tierslieux.places.models import (
    Equipment,
    ExternalId,
    NetworkMembership,
    OpeningException,
    OpeningHours,
    Place,
    PlaceRole,
    Space,
    TeamMember,
)
from tierslieux.places.tests import factories as f
from tierslieux.surveys.models import Invitation as SurveyInvitation
from tierslieux.surveys.models import Survey, SurveyVersion
from tierslieux.surveys.tests import factories as survey_factories

GUARDED = [
    Survey,
    SurveyVersion,
    SurveyInvitation,
    Declaration,
    CensusImport,
    NetworkMembership,
    ExternalId,
    Registration,
    Attendance,
    Place,
    Space,
    Equipment,
    OpeningHours,
    OpeningException,
    TeamMember,
    PlaceRole,
    Person,
    Organisation,
    Booking,
    BookingRules,
    KindRules,
    BookingSettings,
    MachineAuthorisation,
    Series,
    Customer,
    Invoice,
    InvoiceLine,
    Payment,
    Funding,
    Product,
    RoomRate,
    Subscription,
    CreditEntry,
    Charge,
    BillRun,
    InvoiceDelivery,
    Job,
    Invitation,
    SignupRequest,
    JoinSettings,
    Event,
    Session,
    PriceCategory,
    DailyCount,
    EconomicScenario,
    Expense,
    Grant,
]
SECRET = "Réunion confidentielle"  # the title of the target's booking: no intruder may read it
SECRET_CUSTOMER = "Client Confidentiel"  # the target's customer: no intruder may read its name


def snapshot() -> str:
    """Every guarded row, and the tokens without their `last_used_at` bookkeeping."""
    rows = "".join(serializers.serialize("json", m.objects.order_by("pk")) for m in GUARDED)
    tokens = list(ApiToken.objects.order_by("pk").values_list("pk", "user_id", "revoked_at"))
    return rows + repr(tokens)


def furnished_target() -> dict:
    place = bf.open_place(name="Cible")
    atelier = f.space(place, slug="atelier")
    bf.rules(atelier, audience="staff")  # nobody outside the team may book it
    owner = f.coordinator(place)
    member_role = PlaceRole.objects.create(place=place, person=f.user().person, role="member")
    booking = booking_services.create_booking(
        actor=owner,
        space=atelier,
        person=member_role.person,
        title=SECRET,
        start=bf.at("2027-01-11", 10),
        end=bf.at("2027-01-11", 12),
        now=bf.at("2027-01-04", 8),
    )
    exc = OpeningException.objects.create(
        place=place, start_date=date(2026, 12, 24), end_date=date(2026, 12, 31)
    )
    OpeningHours.objects.create(place=place, weekday=0, opens=time(9), closes=time(18))
    TeamMember.objects.create(place=place, role="Coordinatrice")
    place.siret = money_f.SELLER_SIRET
    place.save(update_fields=["siret"])
    customer = money_f.customer(place, name=SECRET_CUSTOMER, person=member_role.person)
    invoice = money_f.issued(owner, customer, issue_date=date(2026, 11, 2))
    payment = billing_services.record_payment(
        actor=owner, customer=customer, amount="10.00", method="cash", date=date(2026, 11, 3)
    )
    product = Product.objects.create(
        place=place,
        kind="plan",
        name="Résident",
        price_net="150.00",
        tax_code="vat_20",
        period="month",
        wallet="room_hours",
        credits="10",
    )
    rate = RoomRate.objects.create(
        place=place,
        space=atelier,
        audience="member",
        unit="hour",
        price_net="20",
        tax_code="vat_20",
    )
    subscription = Subscription.objects.create(
        place=place,
        product=product,
        customer=customer,
        person=member_role.person,
        price_net="150.00",
        start=date(2026, 10, 1),
    )
    run = BillRun.objects.create(place=place, month=date(2026, 10, 1), issue_date=date(2026, 11, 1))
    funding = Funding.objects.create(
        place=place, funder="Ville", amount="5000.00", received_on=date(2026, 11, 5)
    )
    job = Job.objects.create(
        kind="billing.export",
        place_id=place.pk,
        key="xlsx:2026-01-01:2026-12-31",
        params={"format": "xlsx", "start": "2026-01-01", "end": "2026-12-31"},
    )
    invitation, _token = joining_invitations.invite(
        actor=owner, place=place, email="invitee@example.org", first_name="In", last_name="Vitée"
    )
    signup = SignupRequest.objects.create(
        place=place,
        first_name="Ins",
        last_name="Crite",
        email="signup@example.org",
        status="pending",
        person=f.user().person,
    )
    JoinSettings.objects.create(place=place, signup_open=True)
    DailyCount.objects.create(place=place, day=date(2026, 11, 2), count=42)
    resident = Organisation.objects.create(name="Résidente", city="Lyon", postcode="69001")
    PlaceRole.objects.create(place=place, organisation=resident, role="resident_organisation")
    KindRules.objects.create(place=place, kind="meeting_room", max_minutes=240)
    BookingSettings.objects.create(place=place, grace_minutes=30)
    event = Event.objects.create(place=place, title="Atelier vélo", capacity=6)
    session = event_services.add_session(
        actor=owner,
        event=event,
        space=atelier,
        start=bf.at("2027-01-14", 10),  # a day the walks book nothing: they use the 12th
        end=bf.at("2027-01-14", 12),
        now=bf.at("2027-01-04", 8),
    )
    event_services.publish_event(actor=owner, event=event, now=bf.at("2027-01-04", 8))
    registration = event_services.register(
        event=event,
        session=session,
        name="Visiteuse",
        email="visiteuse@example.org",
        now=bf.at("2027-01-04", 8),
    ).registration
    price = PriceCategory.objects.create(
        event=event, kind="member", price_net="5.00", tax_code="vat_20"
    )
    # The network's census: a census-only place, the target's census id, a pending declaration.
    census_only = f.place(network=place.network, name="Doublon", commune=place.commune)
    ExternalId.objects.create(place=place, scheme="bdtfl", value="TL-CIBLE")
    declaration = Declaration.objects.create(
        network=place.network,
        name="Lieu déclaré",
        postcode="11100",
        commune="Narbonne",
        match_key="lieudeclare|11100",
        sheet={"name": "Lieu déclaré", "status": "project"},
        declarant_name="Déclarante",
        declarant_email="declarante@example.org",
    )
    census_import = import_services.upload(
        actor=f.network_admin(place.network),
        network=place.network,
        mapping_name="bdtfl-2026",
        uploaded=SimpleUploadedFile("census.csv", census_files.census(3)),
    )
    survey = survey_factories.survey(place, actor=owner)
    scenario = economics_services.create_from_template(
        actor=owner, place=place, template="micro-centre:typical", name=SECRET_CUSTOMER
    )
    expense = economics_actuals.add_expense(
        actor=owner, place=place, date=date(2026, 10, 5), category="rent",
        label="Loyer d'octobre", amount=Decimal("1200"),
    )  # fmt: skip
    grant = economics_actuals.add_grant(
        actor=owner, place=place, funder_kind="region", funder="Région", amount=Decimal("12000"),
        first_month=date(2026, 1, 1), last_month=date(2026, 12, 1),
    )  # fmt: skip
    testimony = impact_services.save_testimony(
        owner,
        place,
        {
            "quote": SECRET,
            "author_role": "Habitante",
            "said_on": date(2026, 11, 2),
            "impact_key": "peer_learning",
        },
    )
    story = impact_services.save_story(
        owner,
        place,
        {
            "title": "Récit",
            "text": SECRET,
            "told_on": date(2026, 11, 2),
            "impact_keys": ["peer_learning"],
        },
    )
    year_assessment = impact_assessment.open_assessment(owner, place, 2026)
    team_figure = impact_assessment.add_figure(
        owner,
        year_assessment.judgements.get(impact_key="peer_learning"),
        {"label": "Heures de tutorat", "value": Decimal("40")},
    )
    for judgement in year_assessment.judgements.all():
        impact_assessment.decide(owner, judgement, judgement.suggested)
    year_assessment = impact_assessment.confirm(owner, year_assessment, "Réunion d'équipe")
    impact_report.set_public(owner, year_assessment, True)
    milestone = impact_services.save_milestone(
        owner,
        place,
        {"happened_on": date(2019, 9, 1), "kind": "opening", "title": "Ouverture", "text": ""},
    )
    return {
        "place": place,
        "owner": owner,
        "values": {
            "import_id": census_import.pk,
            "declaration_id": declaration.pk,
            "place_id": place.pk,
            "kept_id": census_only.pk,
            "slug": place.slug,
            "network_slug": place.network.slug,
            "registration_id": registration.pk,
            "key": "status",
            "space_slug": "atelier",
            "pk": exc.pk,
            "person_id": member_role.person_id,
            "role_id": member_role.pk,
            "booking_id": booking.pk,
            "token": "not-a-token",
            "invoice_id": invoice.pk,
            "customer_id": customer.pk,
            "payment_id": payment.pk,
            "product_id": product.pk,
            "rate_id": rate.pk,
            "subscription_id": subscription.pk,
            "run_id": run.pk,
            "funding_id": funding.pk,
            "job_id": job.pk,
            "organisation_id": resident.pk,
            "invitation_id": invitation.pk,
            "request_id": signup.pk,
            "month": "2026-11",
            "event_id": event.pk,
            "session_id": session.pk,
            "price_id": price.pk,
            "survey_id": survey.pk,
            "scenario_id": scenario.pk,
            "share_key": "not-a-shared-key",
            "expense_id": expense.pk,
            "grant_id": grant.pk,
            "question": "mode",
            "section": "trip",
            "testimony_id": testimony.pk,
            "story_id": story.pk,
            "milestone_id": milestone.pk,
            "impact_key": "peer_learning",
            "axis_key": "peer_to_peer",
            "commitment_key": "openness",
            "place_slug": place.slug,
            "year": 2026,
            "figure_id": team_figure.pk,
        },
    }


def intruders(target_place: Place) -> dict[str, User]:
    return {
        "outsider": f.user(),
        "member": f.member(target_place),
        "other_coordinator": f.coordinator(f.place()),
    }
