from django.urls import path

from tierslieux.privacy.views import manage, portal

portal_urls = [
    path("me/export.json", portal.export, name="export"),
    path("me/erase/", portal.erase_own, name="erase"),
    path("people/<int:pk>/erase/", portal.erase_person, name="erase_person"),
]

manage_urls = [
    path("people/<int:pk>/export.json", manage.export, name="export"),
]
