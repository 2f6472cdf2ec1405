"""Account pages for anyone, logged in or not: the choice of language, the password-reset
request (limited per visitor's address as well as per account)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tierslieux.accounts import services
from tierslieux.accounts.forms_auth import TaskPasswordResetForm
from tierslieux.accounts.throttle import client_ip
from tierslieux.core import rates

RESET_SCOPE = "password-reset"


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset request, with the task's form (one e-mail per account every few minutes)
    and at most `PASSWORD_RESET_PER_ADDRESS` requests an hour from one visitor's address:
    asking for many accounts' resets from one place is refused with 429, and nothing is sent."""

    form_class = TaskPasswordResetForm

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        address = client_ip(request)
        if not rates.within(RESET_SCOPE, address, settings.PASSWORD_RESET_PER_ADDRESS):
            form = self.get_form()
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Too many reset requests from your connection in the last hour: try again "
                    "later."
                ),
            )
            return self.render_to_response(self.get_context_data(form=form), status=429)
        rates.count(RESET_SCOPE, address)
        return super().post(request, *args, **kwargs)


@require_POST
def set_language(request: HttpRequest) -> HttpResponse:
    """Django's set_language, which also remembers the choice on the user's account."""
    from django.views.i18n import set_language as django_set_language

    response = django_set_language(request)
    if request.user.is_authenticated:
        services.set_language(user=request.user, language=request.POST.get("language", ""))
        request.session["user_language"] = request.user.language
    return response
