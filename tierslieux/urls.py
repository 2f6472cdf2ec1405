from django.contrib import admin
from django.urls import include, path

from tierslieux.api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("tierslieux.accounts.urls")),
    path("", include("tierslieux.web.urls")),
    path("", include("tierslieux.places.urls")),
]
