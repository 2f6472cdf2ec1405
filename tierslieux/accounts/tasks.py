"""Background tasks of accounts: e-mail is sent by the worker, never inside the request.

A task's arguments are stored in clear in the task table (database backend): they never hold a
secret. The reset e-mail gets the user's id only; its link and token are made by the worker.
Every other e-mail is rendered where its data is, then queued sealed (`queue_email`,
`core.sealing`): its links and the recipient's personal data are not readable at rest."""

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
from django_tasks.base import TaskResult

from tierslieux.accounts.models import User
from tierslieux.core.sealing import seal, unseal


def queue_email(subject: str, body: str, to: list[str], html: str | None = None) -> TaskResult:
    """Queue an e-mail for the worker, its content sealed."""
    return send_email.enqueue(seal({"subject": subject, "body": body, "to": to, "html": html}))


@task()
def send_email(sealed: str) -> int:
    """Send an e-mail `queue_email` sealed."""
    content = unseal(sealed)
    message = EmailMultiAlternatives(content["subject"], content["body"], None, content["to"])
    if content.get("html"):
        message.attach_alternative(content["html"], "text/html")
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
