"""Every relation of a model to `accounts.Person` or `User`, and what the export and the
erasure do with it. A test introspects the models: a new foreign key to a person or a login
must be listed here (exported) or in `NOT_PERSONAL` (with the reason), or the build fails."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Relation:
    """`label.field` points to a person (`to="person"`) or a login (`to="user"`).

    `place` is the lookup from the row to its place (None: the row belongs to no place, it
    goes only into the person's own export). `hidden` are fields never exported (secrets)."""

    label: str
    field: str
    to: str
    place: str | None
    hidden: tuple[str, ...] = ()


EXPORTED: tuple[Relation, ...] = (
    Relation("accounts.Person", "user", "user", None),
    Relation("accounts.ApiToken", "user", "user", None, hidden=("digest",)),
    Relation("accounts.UserSession", "user", "user", None, hidden=("session_key",)),
    Relation("otp_totp.TOTPDevice", "user", "user", None, hidden=("key",)),
    Relation("otp_static.StaticDevice", "user", "user", None),
    Relation("accounts.Organisation", "people", "person", "place_roles__place"),
    Relation("places.PlaceRole", "person", "person", "place"),
    Relation("places.NetworkRole", "person", "person", None),
    Relation("billing.Customer", "person", "person", "place", hidden=("iban", "bic")),
    Relation("joining.Invitation", "person", "person", "place", hidden=("digest",)),
    Relation("joining.SignupRequest", "person", "person", "place", hidden=("password", "digest")),
    Relation("members.Subscription", "person", "person", "place"),
    Relation("members.Pass", "person", "person", "place"),
    Relation("members.CreditEntry", "person", "person", "place"),
    Relation("members.Charge", "person", "person", "place"),
    Relation("bookings.Booking", "person", "person", "place"),
    Relation("bookings.Series", "person", "person", "place"),
    Relation("bookings.MachineAuthorisation", "person", "person", "space__place"),
    Relation("bookings.CalendarFeed", "person", "person", None, hidden=("token",)),
    Relation("events.Registration", "person", "person", "event__place"),
    Relation("surveys.Response", "person", "person", "survey__place"),
    Relation("surveys.Invitation", "person", "person", "survey__place", hidden=("digest",)),
    Relation("core.AuditEntry", "actor", "user", "place_id"),
)

# A person or a login named as the author of a team's act: the record belongs to the place's
# accountability, not to the author's private life. The author's name is erased on the
# Person/User itself, so these rows then point to the anonymised person.
_ACT = "names the team member who acted; kept for accountability, anonymised with the person"

NOT_PERSONAL: dict[str, str] = {
    "core.Job.requested_by": "a technical job's requester; " + _ACT,
    "admin.LogEntry.user": "the Django admin's own log of changes; " + _ACT,
    "places.NetworkGrant.granted_by": _ACT,
    "impact.CommitmentAssessment.assessed_by": "who self-assessed the commitments; " + _ACT,
    "impact.YearAssessment.confirmed_by": "who confirmed the year's impact assessment; " + _ACT,
    "impact.Judgement.decided_by": "who decided an impact's verdict; " + _ACT,
    "economics.Scenario.created_by": _ACT,
    "economics.Scenario.updated_by": _ACT,
    "economics.Expense.created_by": _ACT,
    "economics.Grant.created_by": _ACT,
    "billing.InvoiceDelivery.requested_by": _ACT,
    "billing.Payment.recorded_by": _ACT,
    "joining.JoinSettings.decided_by": _ACT,
    "joining.Invitation.invited_by": _ACT,
    "joining.Invitation.accepted_by": "the invitation is exported through its `person`",
    "joining.SignupRequest.decided_by": _ACT,
    "members.CreditEntry.created_by": _ACT,
    "members.BillRun.confirmed_by": _ACT,
    "bookings.MachineAuthorisation.granted_by": _ACT,
    "bookings.Booking.booked_by": "the booking is exported through its `person`; " + _ACT,
    "events.Event.created_by": _ACT,
    "events.Attendance.checked_in_by": _ACT,
    "observatory.Declaration.decided_by": _ACT,
    "observatory.CensusImport.requested_by": _ACT,
    "surveys.Survey.created_by": _ACT,
    "surveys.Response.entered_by": "the team member who typed a paper form in; " + _ACT,
}


def key(relation: Relation) -> str:
    return f"{relation.label}.{relation.field}"
