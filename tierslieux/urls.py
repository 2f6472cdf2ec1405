from django.contrib import admin
from django.urls import include, path

from tierslieux.api import api
from tierslieux.billing import urls as billing_urls
from tierslieux.bookings.urls import manage_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("tierslieux.accounts.urls")),
    path("bookings/", include("tierslieux.bookings.urls")),
    path("manage/<slug:slug>/bookings/", include((manage_urlpatterns, "bookings_manage"))),
    path("manage/<slug:slug>/billing/", include((billing_urls.manage_urls, "billing_manage"))),
    path(
        "manage/<slug:slug>/members/", include(("tierslieux.members.manage_urls", "members_manage"))
    ),
    path("me/<slug:slug>/", include(("tierslieux.members.portal_urls", "portal"))),
    path("manage/<slug:slug>/revenue/", include((billing_urls.revenue_urls, "revenue"))),
    path("", include("tierslieux.web.urls")),
    path("", include("tierslieux.places.urls")),
]
