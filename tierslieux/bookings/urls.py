"""The bookings app's URLs, mounted by `tierslieux/urls.py`:

- `public_urls` and `portal_urls` under "bookings/" (namespace "bookings"): the iCal feeds
  (no login: a secret token or public busy times), then the pages of the people who book;
- `manage_urls` under "manage/<slug:slug>/bookings/" (namespace "bookings_manage"): the
  team's desk, in the back office and its access walk.
"""

from django.urls import path

from tierslieux.bookings import feeds
from tierslieux.bookings.views import manage, manage_bookings, manage_rules, portal, portal_mine

public_urls = [
    path("feeds/space/<slug:slug>/<slug:space_slug>.ics", feeds.space_feed, name="space-feed"),
    path("feeds/person/<slug:token>.ics", feeds.person_feed, name="person-feed"),
]

portal_urls = [
    path("mine/", portal_mine.mine, name="mine"),
    path("mine/<int:booking_id>/cancel/", portal_mine.cancel, name="cancel"),
    path("mine/<int:booking_id>/move/", portal_mine.move, name="move"),
    path("mine/<int:booking_id>/check-in/", portal_mine.check_in, name="check_in"),
    path("<slug:slug>/calendar/", portal.calendar, name="calendar"),
    path("<slug:slug>/book/", portal.book, name="book"),
    path("<slug:slug>/slots/", portal.slots, name="slots"),
    path("<slug:slug>/quote/", portal.quote, name="quote"),
]

manage_urls = [
    path("", manage.board, name="board"),
    path("<int:booking_id>/confirm/", manage.confirm, name="confirm"),
    path("<int:booking_id>/reject/", manage.reject, name="reject"),
    path("<int:booking_id>/check-in/", manage.check_in, name="check_in"),
    path("<int:booking_id>/no-show/", manage.no_show, name="no_show"),
    path("authorisations/", manage.authorisations, name="authorisations"),
    # The team's hand on any booking of the place (`views/manage_bookings.py`).
    path("new/", manage_bookings.new, name="new"),
    path("<int:booking_id>/", manage_bookings.detail, name="detail"),
    path("<int:booking_id>/move/", manage_bookings.move, name="move"),
    path("<int:booking_id>/cancel/", manage_bookings.cancel, name="cancel"),
    # Booking rules (`views/manage_rules.py`): which rules each space follows, its own or its
    # kind's defaults, and the place's grace period.
    path("rules/", manage_rules.rules, name="rules"),
    path("rules/kinds/", manage_rules.rules_kind, name="rules_kind"),
    path("rules/kinds/reset/", manage_rules.rules_kind_reset, name="rules_kind_reset"),
    path("rules/spaces/<slug:space_slug>/", manage_rules.rules_space, name="rules_space"),
    path(
        "rules/spaces/<slug:space_slug>/reset/",
        manage_rules.rules_space_reset,
        name="rules_space_reset",
    ),
]
