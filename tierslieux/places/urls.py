from django.urls import path

from tierslieux.places import manage_views as m
from tierslieux.places import views

app_name = "places"
urlpatterns = [
    path("", views.directory, name="directory"),
    path("places/<slug:slug>/", views.place_detail, name="detail"),
    path("manage/<slug:slug>/", m.overview, name="manage"),
    path("manage/<slug:slug>/sheet/", m.edit_sheet, name="manage_sheet"),
    path("manage/<slug:slug>/hours/", m.edit_hours, name="manage_hours"),
    path(
        "manage/<slug:slug>/hours/exceptions/<int:pk>/remove/",
        m.remove_exception,
        name="manage_exception_remove",
    ),
    path("manage/<slug:slug>/team/", m.edit_team, name="manage_team"),
    path("manage/<slug:slug>/spaces/", m.spaces, name="manage_spaces"),
    path("manage/<slug:slug>/spaces/new/", m.edit_space, name="manage_space_new"),
    path("manage/<slug:slug>/spaces/<slug:space_slug>/", m.edit_space, name="manage_space"),
    path(
        "manage/<slug:slug>/spaces/<slug:space_slug>/delete/",
        m.delete_space,
        name="manage_space_delete",
    ),
    path("manage/<slug:slug>/people/", m.people, name="manage_people"),
    path("manage/<slug:slug>/people/new-person/", m.add_person, name="manage_person_new"),
    path("manage/<slug:slug>/people/<int:person_id>/", m.edit_person, name="manage_person"),
    path(
        "manage/<slug:slug>/people/new-organisation/",
        m.add_organisation,
        name="manage_organisation_new",
    ),
    path(
        "manage/<slug:slug>/roles/<int:role_id>/revoke/", m.revoke_role, name="manage_role_revoke"
    ),
    path("manage/<slug:slug>/roles/<int:role_id>/grant/", m.grant_role, name="manage_role_grant"),
]
