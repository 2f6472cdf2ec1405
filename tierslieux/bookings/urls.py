from django.urls import path

from tierslieux.bookings import feeds, manage_views, mine_views, views

app_name = "bookings"
urlpatterns = [
    path("feeds/space/<slug:slug>/<slug:space_slug>.ics", feeds.space_feed, name="space-feed"),
    path("feeds/person/<slug:token>.ics", feeds.person_feed, name="person-feed"),
    # Pages for the people who book
    path("mine/", mine_views.mine, name="mine"),
    path("mine/<int:booking_id>/cancel/", mine_views.cancel, name="cancel"),
    path("mine/<int:booking_id>/move/", mine_views.move, name="move"),
    path("mine/<int:booking_id>/check-in/", mine_views.check_in, name="check_in"),
    path("<slug:slug>/calendar/", views.calendar, name="calendar"),
    path("<slug:slug>/book/", views.book, name="book"),
    path("<slug:slug>/slots/", views.slots, name="slots"),
    path("<slug:slug>/quote/", views.quote, name="quote"),
]

# The team's desk, included at "manage/<slug:slug>/bookings/" (namespace "bookings_manage") so
# that it sits in the back office and its access walk.
manage_urlpatterns = [
    path("", manage_views.board, name="board"),
    path("<int:booking_id>/confirm/", manage_views.confirm, name="confirm"),
    path("<int:booking_id>/reject/", manage_views.reject, name="reject"),
    path("<int:booking_id>/check-in/", manage_views.check_in, name="check_in"),
    path("<int:booking_id>/no-show/", manage_views.no_show, name="no_show"),
    path("authorisations/", manage_views.authorisations, name="authorisations"),
]
