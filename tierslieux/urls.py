from django.contrib import admin
from django.urls import include, path

from tierslieux.accounts import urls as accounts_urls
from tierslieux.activity import urls as activity_urls
from tierslieux.api import api
from tierslieux.billing import urls as billing_urls
from tierslieux.bookings import urls as bookings_urls
from tierslieux.economics import urls as economics_urls
from tierslieux.events import urls as events_urls
from tierslieux.impact import urls as impact_urls
from tierslieux.joining import urls as joining_urls
from tierslieux.members import urls as members_urls
from tierslieux.observatory import (
    urls_census,
    urls_imports,
    urls_map,
    urls_opendata,
    urls_statistics,
)
from tierslieux.places import urls as places_urls
from tierslieux.privacy import urls as privacy_urls
from tierslieux.surveys import urls as surveys_urls
from tierslieux.web import urls as web_urls

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include(([*joining_urls.public_urls, *joining_urls.portal_urls], "joining"))),
    path("manage/<slug:slug>/joining/", include((joining_urls.manage_urls, "joining_manage"))),
    path("accounts/", include(accounts_urls.public_urls)),
    path("accounts/", include(accounts_urls.portal_urls)),
    path(
        "bookings/",
        include(([*bookings_urls.public_urls, *bookings_urls.portal_urls], "bookings")),
    ),
    path("manage/<slug:slug>/bookings/", include((bookings_urls.manage_urls, "bookings_manage"))),
    path(
        "events/",
        include(([*events_urls.public_urls, *events_urls.registration_urls], "events")),
    ),
    path("manage/<slug:slug>/events/", include((events_urls.manage_urls, "events_manage"))),
    path("manage/<slug:slug>/billing/", include((billing_urls.manage_urls, "billing_manage"))),
    path("manage/<slug:slug>/members/", include((members_urls.manage_urls, "members_manage"))),
    path("me/<slug:slug>/", include((members_urls.portal_urls, "portal"))),
    path("manage/<slug:slug>/activity/", include((activity_urls.manage_urls, "activity_manage"))),
    path("manage/<slug:slug>/revenue/", include((billing_urls.revenue_urls, "revenue"))),
    path("privacy/", include((privacy_urls.portal_urls, "privacy"))),
    path("s/", include((surveys_urls.public_urls, "surveys"))),
    path("manage/<slug:slug>/surveys/", include((surveys_urls.owner_urls, "surveys_manage"))),
    path(
        "network/<slug:network_slug>/surveys/",
        include((surveys_urls.owner_urls, "surveys_network")),
    ),
    path("manage/<slug:slug>/privacy/", include((privacy_urls.manage_urls, "privacy_manage"))),
    path("open-data/", include((urls_opendata.urlpatterns, "opendata"))),
    path("map/", include((urls_map.urlpatterns, "map"))),
    path("", include((web_urls.portal_urls, "web"))),
    path("network/<slug:network_slug>/imports/", include((urls_imports.urlpatterns, "imports"))),
    path(
        "network/<slug:network_slug>/statistics/",
        include((urls_statistics.urlpatterns, "statistics")),
    ),
    path("manage/<slug:slug>/impact/", include((impact_urls.manage_urls, "impact_manage"))),
    path("impact/", include((impact_urls.public_urls, "impact"))),
    path(
        "manage/<slug:slug>/economics/",
        include((economics_urls.manage_urls, "economics_manage")),
    ),
    path(
        "network/<slug:network_slug>/economics/",
        include((economics_urls.network_urls, "economics_network")),
    ),
    path("economics/", include((economics_urls.public_urls, "economics"))),
    path(
        "network/<slug:network_slug>/impact/",
        include((impact_urls.network_urls, "impact_network")),
    ),
    path("network/<slug:network_slug>/", include((urls_census.urlpatterns, "census"))),
    path(
        "",
        include(
            (
                [
                    *places_urls.public_urls,
                    path("manage/<slug:slug>/", include(places_urls.manage_urls)),
                    path("network/<slug:network_slug>/", include(places_urls.network_urls)),
                ],
                "places",
            )
        ),
    ),
]

# Styled pages in the visitor's language; the API's JSON format under /api/v1/.
handler400 = "tierslieux.web.views.errors.bad_request"
handler403 = "tierslieux.web.views.errors.permission_denied"
handler404 = "tierslieux.web.views.errors.page_not_found"
handler500 = "tierslieux.web.views.errors.server_error"
