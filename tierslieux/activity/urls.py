"""The activity app's URLs: `manage_urls` under "manage/<slug:slug>/activity/" (namespace
"activity_manage"), composed in `tierslieux/urls.py`."""

from django.urls import path

from tierslieux.activity.views import manage

manage_urls = [
    path("", manage.overview, name="overview"),
    path("footfall/", manage.count, name="count"),
    path("footfall/import/", manage.import_counts, name="import"),
]
