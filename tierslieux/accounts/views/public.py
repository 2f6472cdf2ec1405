"""Account pages for anyone, logged in or not: the choice of language."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_POST

from tierslieux.accounts import services


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, which also remembers the choice on the user's account."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    if request.user.is_authenticated:
        services.set_language(user=request.user, language=request.POST.get("language", ""))
        request.session["user_language"] = request.user.language
    return response
