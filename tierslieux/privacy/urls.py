from django.urls import path

from tierslieux.privacy.views import manage, portal

portal_urls = [
    path("me/export.json", portal.export, name="export"),
    path("me/erase/", portal.erase_own, name="erase"),
    path("people/<int:person_id>/erase/", portal.erase_person, name="erase_person"),
]

manage_urls = [
    path("people/<int:person_id>/export.json", manage.export, name="export"),
]
