"""The only code that writes events (a package: one module per concern, re-exported here)."""

from tierslieux.events.services.attendance import (
    add_walk_in,
    check_in,
    send_certificate,
    undo_check_in,
)
from tierslieux.events.services.events import (
    add_recurring_sessions,
    add_session,
    cancel_event,
    cancel_session,
    create_event,
    move_session,
    publish_event,
    remove_price,
    set_price,
    update_event,
)
from tierslieux.events.services.registrations import (
    Outcome,
    by_token,
    cancel_registration,
    confirm_email,
    register,
    seats_left,
    seats_taken,
    waiting,
)
from tierslieux.events.services.reminders import send_reminders

__all__ = [
    "Outcome",
    "add_recurring_sessions",
    "add_session",
    "add_walk_in",
    "by_token",
    "cancel_event",
    "cancel_registration",
    "cancel_session",
    "check_in",
    "confirm_email",
    "create_event",
    "move_session",
    "publish_event",
    "register",
    "remove_price",
    "seats_left",
    "seats_taken",
    "send_certificate",
    "send_reminders",
    "set_price",
    "undo_check_in",
    "update_event",
    "waiting",
]
