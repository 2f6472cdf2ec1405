"""A network's census imports, under /network/<network_slug>/imports/ (namespace `imports`)."""

from django.urls import path

from tierslieux.observatory.views import imports

urlpatterns = [
    path("", imports.index, name="index"),
    path("<int:import_id>/", imports.report, name="report"),
    path("<int:import_id>/import/", imports.confirm, name="confirm"),
]
