"""The places' URLs: the public pages (directory, a place's page) and the back office.

The lists are mounted by `tierslieux/urls.py` in the namespace `places`; `network_urls` under
/network/<network_slug>/ for the network's administrators."""

from django.urls import path

from tierslieux.places.views import manage as m
from tierslieux.places.views import network, network_roles, public, registers

public_urls = [
    path("", public.directory, name="directory"),
    path("places/<slug:slug>/", public.place_detail, name="detail"),
]

manage_urls = [
    path("", m.overview, name="manage"),
    path("sheet/", m.edit_sheet, name="manage_sheet"),
    path("hours/", m.edit_hours, name="manage_hours"),
    path(
        "hours/exceptions/<int:pk>/remove/",
        m.remove_exception,
        name="manage_exception_remove",
    ),
    path("team/", m.edit_team, name="manage_team"),
    path("registers/", registers.place_registers, name="manage_registers"),
    path("spaces/", m.spaces, name="manage_spaces"),
    path("spaces/new/", m.edit_space, name="manage_space_new"),
    path("spaces/<slug:space_slug>/", m.edit_space, name="manage_space"),
    path("spaces/<slug:space_slug>/delete/", m.delete_space, name="manage_space_delete"),
    path("spaces/<slug:space_slug>/restore/", m.restore_space, name="manage_space_restore"),
    path("people/", m.people, name="manage_people"),
    path("people/new-person/", m.add_person, name="manage_person_new"),
    path("people/<int:person_id>/", m.edit_person, name="manage_person"),
    path("people/new-organisation/", m.add_organisation, name="manage_organisation_new"),
    path(
        "people/organisations/<int:organisation_id>/",
        m.edit_organisation,
        name="manage_organisation",
    ),
    path("roles/<int:role_id>/revoke/", m.revoke_role, name="manage_role_revoke"),
    path("roles/<int:role_id>/grant/", m.grant_role, name="manage_role_grant"),
    path("network-access/", network_roles.network_access, name="manage_network_access"),
    path(
        "network-access/change/",
        network_roles.change_network_access,
        name="manage_network_access_change",
    ),
]

network_urls = [
    path("", network.places, name="network_places"),
    path("places/new/", network.new_place, name="network_place_new"),
    path("places/add/", registers.add_place, name="network_place_add"),
    path("places/<slug:slug>/remove/", registers.remove_place, name="network_place_remove"),
    path("observers/", network_roles.observers, name="network_observers"),
    path(
        "observers/<int:role_id>/remove/",
        network_roles.remove_observer,
        name="network_observer_remove",
    ),
]
