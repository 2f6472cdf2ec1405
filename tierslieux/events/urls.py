from django.urls import path

from tierslieux.events.views import manage

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
]
