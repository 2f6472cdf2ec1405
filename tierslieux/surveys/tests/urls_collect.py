"""The project's URLs, plus a stand-in for the surveys list (`surveys_manage:list`, which the
back office's tab links to) while the builder's pages are not merged: the team's pages of
`collect` render their tabs. Once `builder.owner_urls` names `list`, this adds nothing."""

from importlib import import_module

from django.http import HttpResponse
from django.urls import include, path

from tierslieux.surveys import urls as surveys_urls

urlpatterns = list(import_module("tierslieux.urls").urlpatterns)  # the project's, above us
if not any(getattr(p, "name", "") == "list" for p in surveys_urls.owner_urls):
    stand_in = [path("", lambda request, **kwargs: HttpResponse(), name="list")]
    urlpatterns = [
        path(
            "manage/<slug:slug>/surveys/",
            include(([*stand_in, *surveys_urls.owner_urls], "surveys_manage")),
        ),
        *urlpatterns,
    ]
