"""The project's URLs, plus a stand-in for the surveys list (`surveys_manage:list`, which the
back office's tab links to) while the builder's pages are not merged: the team's pages of
`collect` render their tabs. Once `builder.owner_urls` names `list`, this adds nothing."""

from importlib import import_module

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from tierslieux.surveys import urls as surveys_urls
from tierslieux.surveys.views import owner

urlpatterns = list(import_module("tierslieux.urls").urlpatterns)  # the project's, above us
if not any(getattr(p, "name", "") == "list" for p in surveys_urls.owner_urls):

    @login_required
    def stand_in_list(request: HttpRequest, **kwargs: str) -> HttpResponse:
        owner.resolve(request, **kwargs)  # 403 to whoever may not manage the surveys
        return HttpResponse()

    stand_in = [path("", stand_in_list, name="list")]
    urlpatterns = [
        path(
            "manage/<slug:slug>/surveys/",
            include(([*stand_in, *surveys_urls.owner_urls], "surveys_manage")),
        ),
        *urlpatterns,
    ]
