"""The map's URLs, mounted at /map/ in the namespace `map` by `tierslieux/urls.py`: public,
for every network (`?network=<slug>` narrows to one)."""

from django.urls import path

from tierslieux.observatory.views import map as views

urlpatterns = [
    path("", views.map_page, name="map"),
    path("places.geojson", views.places_geojson, name="geojson"),
]
