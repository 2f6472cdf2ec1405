"""Open data URLs, mounted under /open-data/ in the namespace `opendata` by tierslieux/urls.py."""

from django.urls import path

from tierslieux.observatory.views import opendata

urlpatterns = [
    path("", opendata.index, name="index"),
    path("places.csv", opendata.places_csv, name="places_csv"),
    path("places.geojson", opendata.places_geojson, name="places_geojson"),
    path("places.gogocarto.json", opendata.places_gogocarto, name="places_gogocarto"),
]
