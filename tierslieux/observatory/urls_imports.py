"""A network's census imports, under /network/<network_slug>/imports/ (namespace `imports`)."""

from django.urls import path

from tierslieux.observatory.views import imports

urlpatterns = [
    path("", imports.index, name="index"),
    path("<int:pk>/", imports.report, name="report"),
    path("<int:pk>/import/", imports.confirm, name="confirm"),
]
