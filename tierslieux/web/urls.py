"""The web shell's own page: the signed-in person's home (namespace `web`)."""

from django.urls import path

from tierslieux.web.views import portal

portal_urls = [
    path("dashboard/", portal.dashboard, name="dashboard"),
]
