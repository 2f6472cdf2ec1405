"""The site's URLs plus a stand-in for the builder's survey list (`surveys_manage:list`, which
the back office's "Surveys" tab links to), used by the results pages' tests only while the
builder's module is not merged: once `surveys_manage:list` exists this module is unused
(`test_results_pages._list_page`) and can go."""

from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from tierslieux.surveys import urls as surveys_urls


def _list(request: HttpRequest, **kwargs: str) -> HttpResponse:
    return HttpResponse("")


_owner = [*surveys_urls.owner_urls, path("", _list, name="list")]
urlpatterns = [
    path("manage/<slug:slug>/surveys/", include((_owner, "surveys_manage"))),
    path("network/<slug:network_slug>/surveys/", include((_owner, "surveys_network"))),
    path("", include("tierslieux.urls")),  # by name: surveys sits below the site's URLs
]
