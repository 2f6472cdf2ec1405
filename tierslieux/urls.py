from django.contrib import admin
from django.urls import include, path

from tierslieux.api import api
from tierslieux.bookings.urls import manage_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("tierslieux.accounts.urls")),
    path("bookings/", include("tierslieux.bookings.urls")),
    path("manage/<slug:slug>/bookings/", include((manage_urlpatterns, "bookings_manage"))),
    path("", include("tierslieux.web.urls")),
    path("", include("tierslieux.places.urls")),
]
