"""The census's URLs, under /network/<network_slug>/ in the namespace `census`: the public
declaration, and the moderation queue of the network's administrators."""

from django.urls import path

from tierslieux.observatory.views import census

urlpatterns = [
    path("declare/", census.declare, name="declare"),
    path("declare/sent/", census.declared, name="declared"),
    path("census/", census.queue, name="queue"),
    path("census/<int:declaration_id>/accept/", census.accept, name="accept"),
    path("census/<int:declaration_id>/merge/<int:place_id>/", census.merge, name="merge"),
    path("census/<int:declaration_id>/decline/", census.decline, name="decline"),
    path("census/duplicates/", census.duplicates, name="duplicates"),
    path(
        "census/places/<int:place_id>/merge-into/<int:kept_id>/",
        census.merge_places,
        name="merge_places",
    ),
]
