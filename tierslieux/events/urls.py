from django.urls import path

from tierslieux.events import feeds
from tierslieux.events.views import (
    attendance,
    manage,
    manage_registrations,
    public,
    registration,
)

manage_urls = [
    path("", manage.events, name="list"),
    path("new/", manage.new, name="new"),
    path("<int:event_id>/", manage.detail, name="detail"),
    path("<int:event_id>/edit/", manage.edit, name="edit"),
    path("<int:event_id>/sessions/", manage.add_sessions, name="add_sessions"),
    path(
        "<int:event_id>/sessions/<int:session_id>/move/",
        manage.move_session,
        name="move_session",
    ),
    path(
        "<int:event_id>/sessions/<int:session_id>/cancel/",
        manage.cancel_session,
        name="cancel_session",
    ),
    path("<int:event_id>/prices/", manage.set_price, name="set_price"),
    path("<int:event_id>/prices/<int:price_id>/remove/", manage.remove_price, name="remove_price"),
    path("<int:event_id>/publish/", manage.publish, name="publish"),
    path("<int:event_id>/cancel/", manage.cancel, name="cancel"),
    # Registrations, attendance at the door, certificates.
    path("<int:event_id>/registrations/", manage_registrations.registrations, name="registrations"),
    path(
        "<int:event_id>/registrations.csv",
        manage_registrations.registrations_csv,
        name="registrations_csv",
    ),
    path(
        "<int:event_id>/registrations/add/",
        manage_registrations.add,
        name="add_registration",
    ),
    path(
        "<int:event_id>/registrations/<int:registration_id>/cancel/",
        manage_registrations.cancel,
        name="cancel_registration",
    ),
    path(
        "<int:event_id>/registrations/<int:registration_id>/certificate/pdf/",
        manage_registrations.certificate_pdf,
        name="certificate",
    ),
    path(
        "<int:event_id>/registrations/<int:registration_id>/certificate/send/",
        manage_registrations.send_certificate,
        name="send_certificate",
    ),
    path(
        "<int:event_id>/sessions/<int:session_id>/registrations/",
        manage_registrations.registrations,
        name="session_registrations",
    ),
    path(
        "<int:event_id>/sessions/<int:session_id>/registrations.csv",
        manage_registrations.registrations_csv,
        name="session_registrations_csv",
    ),
    path(
        "<int:event_id>/sessions/<int:session_id>/attendance/",
        attendance.attendance,
        name="attendance",
    ),
    path(
        "<int:event_id>/sessions/<int:session_id>/attendance/walk-in/",
        attendance.walk_in,
        name="walk_in",
    ),
    path(
        "<int:event_id>/sessions/<int:session_id>/attendance/<int:registration_id>/present/",
        attendance.check_in,
        name="check_in",
    ),
    path(
        "<int:event_id>/sessions/<int:session_id>/attendance/<int:registration_id>/undo/",
        attendance.undo,
        name="undo_check_in",
    ),
]

# Mounted under "events/" in the namespace "events": the public agendas, an event's page and
# the iCal feeds (`views/public.py`, `feeds.py`), for anyone.
public_urls = [
    path("places/<slug:slug>/", public.place_agenda, name="agenda"),
    path("places/<slug:slug>/agenda.ics", feeds.place_feed, name="feed"),
    path("places/<slug:slug>/<int:event_id>/", public.event_page, name="event"),
    path("networks/<slug:network_slug>/", public.network_agenda, name="network_agenda"),
    path("networks/<slug:network_slug>/agenda.ics", feeds.network_feed, name="network_feed"),
]

# Mounted with `public_urls` (under "events/", namespace "events"): registering, the
# attendee's pages opened from their e-mails' links (`token`), and "My registrations".
registration_urls = [
    path(
        "places/<slug:slug>/<int:event_id>/register/",
        registration.register,
        name="register",
    ),
    path(
        "places/<slug:slug>/<int:event_id>/register/sent/",
        registration.sent,
        name="registration_sent",
    ),
    path("registrations/<str:token>/confirm/", registration.confirm, name="registration_confirm"),
    path("registrations/<str:token>/", registration.registration, name="registration"),
    path("registrations/<str:token>/cancel/", registration.cancel, name="registration_cancel"),
    path("mine/", registration.mine, name="mine"),
    path("mine/<int:registration_id>/cancel/", registration.mine_cancel, name="mine_cancel"),
]
