"""Background tasks of accounts: e-mail is sent by the worker, never inside the request.

A task's arguments are stored in clear in the task table (database backend): they never hold a
secret. The reset e-mail gets the user's id only; its link and token are made by the worker."""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template import loader
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_tasks import task

from tierslieux.accounts.models import User


@task()
def send_email(subject: str, body: str, to: list[str], html: str | None = None) -> int:
    message = EmailMultiAlternatives(subject, body, None, to)
    if html:
        message.attach_alternative(html, "text/html")
    return message.send()


@task()
def send_password_reset(user_id: int) -> int:
    """Make the reset link for `user_id` now, in the worker, and e-mail it."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user.has_usable_password():
        return 0
    site = urlsplit(settings.SITE_URL)
    context = {
        "email": user.email,
        "user": user,
        "uid": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": default_token_generator.make_token(user),
        "protocol": site.scheme or "https",
        "domain": site.netloc,
        "site_name": site.netloc,
    }
    with translation.override(user.language or settings.LANGUAGE_CODE):
        subject = loader.render_to_string("registration/password_reset_subject.txt", context)
        body = loader.render_to_string("registration/password_reset_email.html", context)
    return EmailMultiAlternatives("".join(subject.splitlines()), body, None, [user.email]).send()
