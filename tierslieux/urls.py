from django.contrib import admin
from django.urls import include, path

from tierslieux.api import api
from tierslieux.bookings import urls as bookings

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("tierslieux.accounts.urls")),
    path("bookings/", include((bookings.public_urls + bookings.portal_urls, "bookings"))),
    path("manage/<slug:slug>/bookings/", include((bookings.manage_urls, "bookings_manage"))),
    path("manage/<slug:slug>/billing/", include(("tierslieux.billing.urls", "billing_manage"))),
    path(
        "manage/<slug:slug>/members/", include(("tierslieux.members.manage_urls", "members_manage"))
    ),
    path("me/<slug:slug>/", include(("tierslieux.members.portal_urls", "portal"))),
    path("manage/<slug:slug>/revenue/", include(("tierslieux.billing.revenue_urls", "revenue"))),
    path("", include("tierslieux.web.urls")),
    path("", include("tierslieux.places.urls")),
]
