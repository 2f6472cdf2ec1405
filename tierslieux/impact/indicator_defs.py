"""What each impact indicator means: its key, label, unit, definition, the tables it reads
and its limits, written beside it so a page, an export or a network can show them as they are.
Pure: no database. The computation is `impact.indicators`.

An indicator whose data tierslieux does not record (yet) is declared `recorded=False`: its
value is always "not recorded" with the reason, never a 0 that would pretend.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


@dataclass(frozen=True)
class Value:
    """An indicator's value for one place and period; `amount` None means "not recorded" (or
    hidden), and `reason` says why. `basis`: what the figure rests on (days counted,
    respondents, events...), shown beside it."""

    amount: Any
    reason: StrOrPromise = ""
    basis: int | None = None

    @property
    def recorded(self) -> bool:
        return self.amount is not None


def missing(reason: StrOrPromise) -> Value:
    """ "Not recorded", with the reason."""
    return Value(None, reason)


@dataclass(frozen=True)
class Indicator:
    key: str
    family: str
    label: StrOrPromise
    unit: str  # people, visits, count, percent, hours, eur, kg_co2e, fte, score
    definition: StrOrPromise
    sources: tuple[str, ...]  # app.Model (fields) read
    limits: StrOrPromise
    recorded: bool = True  # False: tierslieux does not record the data this needs


def _i(*args: Any, **kwargs: Any) -> Indicator:
    return Indicator(*args, **kwargs)


INDICATORS: tuple[Indicator, ...] = (
    # --- Visits ---------------------------------------------------------------------------
    _i(
        "footfall",
        "visits",
        _("People counted (footfall)"),
        "people",
        _("Sum of the daily counts entered or imported for the days of the period."),
        ("activity.DailyCount (day, count)",),
        _(
            "Days without a count are not estimated: the basis is the number of days counted. "
            "A person coming twice is counted twice. Not recorded when no day was counted."
        ),
    ),
    _i(
        "checkins",
        "visits",
        _("Bookings checked in"),
        "visits",
        _(
            "Bookings of a space checked in during the period (not cancelled; the rows a room "
            "booking adds to its machines are not visits)."
        ),
        ("bookings.Booking (checked_in_at, status, blocked_by)",),
        _(
            "Only where the team checks people in. Not recorded when the place has never "
            "checked in a booking."
        ),
    ),
    _i(
        "booking_people",
        "visits",
        _("People expected by bookings"),
        "people",
        _(
            "Confirmed or done bookings begun in the period: their number of people when "
            "given, else one."
        ),
        ("bookings.Booking (start, status, headcount, blocked_by)",),
        _(
            "The number of people is optional: a booking without it counts one. Not recorded "
            "when the place has no booking at all."
        ),
    ),
    _i(
        "unique_users",
        "visits",
        _("Unique users known by name"),
        "people",
        _(
            "Distinct people (person records) who, in the period, held a confirmed or done "
            "booking begun in it, or were checked in at an event date held in it."
        ),
        ("bookings.Booking (person)", "events.Attendance → Registration (person)"),
        _(
            "Misses the people only counted at the door (footfall), visitors registered "
            "without an account, the extra seats of a registration, the people of an "
            "organisation's booking and coworkers who use their plan without booking. Not "
            "recorded when the place has neither bookings nor events."
        ),
    ),
    # --- Members --------------------------------------------------------------------------
    _i(
        "members",
        "members",
        _("Members (subscriptions and passes)"),
        "people",
        _(
            "Distinct people holding a subscription or a pass valid on at least one day of "
            "the period."
        ),
        ("members.Subscription (person, start, end)", "members.Pass (valid_from, valid_until)"),
        _(
            "Pauses of a subscription are ignored. Member roles without a subscription are "
            "not counted (the role is not dated). Not recorded when the place has never sold "
            "a subscription or a pass."
        ),
    ),
    _i(
        "resident_organisations",
        "members",
        _("Member and resident organisations"),
        "count",
        _(
            "Distinct organisations holding a subscription valid during the period, or a "
            "member or resident role given before its end."
        ),
        ("members.Subscription (organisation)", "places.PlaceRole (organisation, since)"),
        _(
            "A role's end is not recorded: an organisation that left is no longer counted in "
            "past periods. Not recorded when no organisation was ever recorded."
        ),
    ),
    _i(
        "volunteers",
        "members",
        _("Volunteers"),
        "people",
        _("People with the volunteer role, given before the period's end (or undated)."),
        ("places.PlaceRole (role=volunteer, since)",),
        _(
            "The role's end is not recorded: a present snapshot more than a period figure. "
            "Not recorded when the place has no volunteer role."
        ),
    ),
    _i(
        "volunteer_hours",
        "members",
        _("Volunteer hours"),
        "hours",
        _("Hours given by volunteers."),
        (),
        _(
            "Not recorded: tierslieux keeps no volunteering time (it would need dated time "
            "entries per volunteer)."
        ),
        recorded=False,
    ),
    # --- Events ---------------------------------------------------------------------------
    _i(
        "events_held",
        "events",
        _("Events held"),
        "count",
        _("Published events with at least one date held in the period."),
        ("events.Event (status)", "events.Session (start, end, cancelled_at)"),
        _(
            "A date is held when it is neither cancelled nor to come. Not recorded when the "
            "place has never published an event."
        ),
    ),
    _i(
        "sessions_held",
        "events",
        _("Event dates held"),
        "count",
        _("Dates of published events begun in the period, over, not cancelled."),
        ("events.Session (start, end, cancelled_at)",),
        _("As for the events held."),
    ),
    _i(
        "registered_seats",
        "events",
        _("Seats registered at the dates held"),
        "people",
        _(
            "Seats of confirmed registrations for each date held (a course's registration "
            "counts at each of its dates)."
        ),
        ("events.Registration (seats, status, session)",),
        _("Events open without registration have none."),
    ),
    _i(
        "participants",
        "events",
        _("Participants"),
        "people",
        _("People checked in at the dates held (attendance seats, walk-ins included)."),
        ("events.Attendance (seats)",),
        _(
            "Only where the team checks people in: not recorded when the place has never "
            "checked anyone in at an event. A person at three dates counts three times."
        ),
    ),
    _i(
        "attendance_rate",
        "events",
        _("Attendance over registrations"),
        "percent",
        _("Participants over seats registered at the dates held."),
        ("events.Attendance", "events.Registration"),
        _(
            "Walk-ins are registered at the door, so they count on both sides. Not recorded "
            "without registrations or without check-in."
        ),
    ),
    _i(
        "audiences",
        "audiences",
        _("Audiences reached"),
        "count",
        _(
            "For each audience an event is meant for: the events held for it and their "
            "participants."
        ),
        ("events.Event (audiences)", "events.Attendance (seats)"),
        _(
            "The audience is what the event aims at, not who came: an event for several "
            "audiences counts in each."
        ),
    ),
    # --- Free and solidarity access -------------------------------------------------------
    _i(
        "free_events_share",
        "access",
        _("Share of free events"),
        "percent",
        _(
            "Events held with no price above zero (no price at all, or only free ones) over "
            "the events held."
        ),
        ("events.PriceCategory (kind, price_net)",),
        _("Prices of the event today: a price changed since is not seen."),
    ),
    _i(
        "solidarity_offer_share",
        "access",
        _("Share of events with a solidarity price"),
        "percent",
        _("Events held offering a solidarity or pay-what-you-want price over the events held."),
        ("events.PriceCategory (kind)",),
        _("Solidarity prices of subscriptions or rooms are not recorded as such."),
    ),
    _i(
        "free_or_solidarity_seats_share",
        "access",
        _("Share of seats free or solidarity"),
        "percent",
        _(
            "Seats of confirmed registrations at the events held taken free (price zero) or at "
            "the solidarity price, over all their seats."
        ),
        ("events.Registration (price_kind, unit_price_net, seats)",),
        _("Price as it stood at registering. Not recorded without registrations."),
    ),
    # --- Occupancy ------------------------------------------------------------------------
    _i(
        "occupancy",
        "occupancy",
        _("Occupancy of the spaces"),
        "percent",
        _(
            "Booked unit-hours over open unit-hours of the bookable spaces, within opening "
            "hours, as the Activity page computes it."
        ),
        ("bookings.Booking", "places.OpeningHours", "places.OpeningException", "places.Space"),
        _(
            "Closed days and French public holidays count as not open. Not recorded when "
            "nothing was open (no opening hours or no bookable space)."
        ),
    ),
    # --- Learning -------------------------------------------------------------------------
    _i(
        "peer_learning_sessions",
        "learning",
        _("Peer-learning dates held"),
        "count",
        _("Dates held of events flagged as peer learning (led by a member for members)."),
        ("events.Event (peer_learning)", "events.Session"),
        _("As the team flags them."),
    ),
    _i(
        "training_sessions",
        "learning",
        _("Training dates held"),
        "count",
        _("Dates held of events of the training kind or with hours of training."),
        ("events.Event (kind, hours)", "events.Session"),
        _("As the team flags them."),
    ),
    _i(
        "training_hours",
        "learning",
        _("Hours of training received"),
        "hours",
        _(
            "For the dates held of training events: each participant's seats × the date's "
            "length (learner-hours, as the attendance certificates count them)."
        ),
        ("events.Session (start, end)", "events.Attendance (seats)"),
        _(
            "Counted only where people are checked in. Not recorded when the place holds no "
            "training event."
        ),
    ),
    # --- Jobs -----------------------------------------------------------------------------
    _i(
        "jobs_fte",
        "jobs",
        _("Jobs on site (full-time equivalent)"),
        "fte",
        _(
            "Sum of the full-time equivalents of the resource team's lines on the place's "
            "sheet; the basis is the number of people."
        ),
        ("places.TeamMember (fte, people)",),
        _(
            "The sheet's lines are not dated: the figure is today's declaration, the same for "
            "every period; jobs of the resident organisations are not recorded."
        ),
    ),
    # --- Revenue --------------------------------------------------------------------------
    _i(
        "revenue_total",
        "revenue",
        _("Revenue"),
        "eur",
        _(
            "Net of tax: issued invoices and credit notes by issue date, plus fundings by the "
            "date received."
        ),
        ("billing.InvoiceLine (net, family)", "billing.Funding (amount, family)"),
        _(
            "Revenue outside tierslieux is not seen. Not recorded when nothing was invoiced "
            "nor received in the period."
        ),
    ),
    _i(
        "revenue_mix",
        "revenue",
        _("Revenue mix"),
        "percent",
        _("Net amount and share of each of the four revenue families."),
        ("billing.InvoiceLine (family)", "billing.Funding (family)"),
        _("As for the revenue."),
    ),
    _i(
        "public_funding_share",
        "revenue",
        _("Public-funding share"),
        "percent",
        _("Fundings from public funders and invoices to public bodies over the revenue."),
        ("billing.Funding (public)", "billing.Customer (kind)"),
        _(
            "As the observatory and billing's dashboard define it; the economic model wants it "
            "at most 30 %."
        ),
    ),
    # --- Surveys --------------------------------------------------------------------------
    _i(
        "satisfaction_mean",
        "surveys",
        _("Users' satisfaction (1 to 5)"),
        "score",
        _(
            "Mean answer to “Overall, are you satisfied with the place?” in the place's "
            "surveys made from the satisfaction template, answered in the period."
        ),
        ("surveys.Survey (template, status, anonymous)", "surveys.Answer (number)"),
        _(
            "Drafts are left out; an anonymous survey with fewer than 5 answers in the period "
            "is left out. Those who answer are not a sample of the users."
        ),
    ),
    _i(
        "modal_split",
        "surveys",
        _("How users come (share of trips)"),
        "percent",
        _(
            "Share of the weekly trips by each mode, from the place's mobility surveys "
            "answered in the period."
        ),
        ("surveys.Answer (mobility days, distance)",),
        _(
            "Drafts and anonymous surveys with fewer than 5 answers in the period are left "
            "out. Respondents only, not extrapolated to all users."
        ),
    ),
    _i(
        "commute_co2",
        "surveys",
        _("CO₂ of the trips (kg a year per respondent)"),
        "kg_co2e",
        _(
            "Mean yearly kg CO₂e of a respondent's trips to the place (ADEME factors, 47 "
            "weeks), as the mobility survey's results estimate it."
        ),
        ("surveys.Answer (mobility days, distance)",),
        _(
            "An estimate: one distance for every mode; respondents who gave no distance are "
            "left out."
        ),
    ),
    # --- Links between organisations -----------------------------------------------------
    _i(
        "co_organisers",
        "links",
        _("Organisations co-organising"),
        "count",
        _("Distinct organisations co-organising an event held in the period."),
        ("events.Event (co_organisers)",),
        _("Outside partners written by name are not counted."),
    ),
    _i(
        "links",
        "links",
        _("Links between organisations"),
        "count",
        _("Pairs of organisations co-organising together an event held in the period."),
        ("events.Event (co_organisers)", "events.Session"),
        _(
            "Only co-organised events: bookings have a single organisation, so no shared "
            "booking is recorded."
        ),
    ),
    _i(
        "new_links",
        "links",
        _("New links of the period"),
        "count",
        _(
            "Pairs co-organising in the period that had co-organised no event held at the "
            "place before it."
        ),
        ("events.Event (co_organisers)", "events.Session"),
        _("Links made elsewhere or before tierslieux are not seen."),
    ),
    _i(
        "shared_bookings",
        "links",
        _("Shared bookings"),
        "count",
        _("Bookings shared by several organisations."),
        ("bookings.Booking (organisation)",),
        _("Not recorded: a booking has at most one organisation."),
        recorded=False,
    ),
    _i(
        "cross_sector_links",
        "links",
        _("Links across sectors"),
        "count",
        _("Pairs of linked organisations from different sectors of activity."),
        ("accounts.Organisation",),
        _(
            "Not recorded: organisations carry no sector of activity (their kind, association "
            "or company, is a legal form, not a sector)."
        ),
        recorded=False,
    ),
)

BY_KEY: dict[str, Indicator] = {indicator.key: indicator for indicator in INDICATORS}
FAMILIES: tuple[str, ...] = tuple(dict.fromkeys(i.family for i in INDICATORS))
PERCENT = Decimal("0.1")
