"""The network's statistics, under /network/<network_slug>/statistics/."""

from django.urls import path

from tierslieux.observatory.views import statistics

urlpatterns = [
    path("", statistics.statistics, name="page"),
    path("<slug:key>.csv", statistics.statistics_csv, name="csv"),
]
