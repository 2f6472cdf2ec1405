"""The only code that writes bookings (a package: one module per concern, re-exported here).

Every write runs in one transaction that first locks the rows of the spaces involved
(`SELECT … FOR UPDATE` on PostgreSQL; on SQLite the IMMEDIATE transaction already serialises
writers), then checks, then writes. On PostgreSQL an exclusion constraint backs the check for
exclusive spaces; a violation still comes back as a `BookingConflict`. E-mails leave after
commit, through the task queue.
"""

from tierslieux.bookings.checks import BookingConflict
from tierslieux.bookings.services.core import (
    cancel_booking,
    check_in,
    confirm_booking,
    create_booking,
    mark_no_show,
    move_booking,
    reject_booking,
    retitle_booking,
    tick,
)
from tierslieux.bookings.services.people import (
    authorise,
    calendar_feed_for,
    reset_calendar_feed,
)
from tierslieux.bookings.services.rules import (
    reset_kind_rules,
    reset_space_rules,
    save_booking_settings,
    save_kind_rules,
    save_space_rules,
)
from tierslieux.bookings.services.series import (
    SeriesOutcome,
    cancel_series_from,
    create_series,
)
from tierslieux.bookings.services.team import organisations_of

__all__ = [
    "BookingConflict",
    "SeriesOutcome",
    "authorise",
    "calendar_feed_for",
    "cancel_booking",
    "cancel_series_from",
    "check_in",
    "confirm_booking",
    "create_booking",
    "create_series",
    "mark_no_show",
    "move_booking",
    "organisations_of",
    "reject_booking",
    "reset_calendar_feed",
    "reset_kind_rules",
    "reset_space_rules",
    "retitle_booking",
    "save_booking_settings",
    "save_kind_rules",
    "save_space_rules",
    "tick",
]
