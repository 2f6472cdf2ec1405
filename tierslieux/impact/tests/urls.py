"""The project's URLs plus the impact app's, for this app's page tests until the lead mounts
them in `tierslieux/urls.py` (the same prefixes and namespaces)."""

from django.urls import include, path

from tierslieux.impact import urls as impact_urls

urlpatterns = [
    path("manage/<slug:slug>/impact/", include((impact_urls.manage_urls, "impact_manage"))),
    path(
        "network/<slug:network_slug>/impact/",
        include((impact_urls.network_urls, "impact_network")),
    ),
    path("", include("tierslieux.urls")),  # by name: impact sits below the project's URLs
]
