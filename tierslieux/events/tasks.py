"""Background tasks of events: a certificate of attendance leaves by e-mail from the worker,
never inside the request (`services.send_certificate` enqueues once committed)."""

from __future__ import annotations

from email.utils import formataddr, parseaddr

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.translation import gettext as _
from django_tasks import task

from tierslieux.accounts.models import User
from tierslieux.events import certificate, emails
from tierslieux.events.models import Registration


@task()
def send_certificate(registration_id: int, issuer_id: int | None) -> int:
    """Render the certificate in the attendee's language and send it, attached, to them."""
    registration = Registration.objects.select_related("event__place", "person__user").get(
        pk=registration_id
    )
    issuer = (
        User.objects.filter(pk=issuer_id).select_related("person").first() if issuer_id else None
    )
    place = registration.event.place
    with translation.override(emails.language_of(registration)):
        facts = certificate.build(registration, issuer=issuer)
        attachment = certificate.render_pdf(facts)
        subject = _("Certificate of attendance: %(title)s") % {"title": registration.event.title}
        body = _(
            "Hello %(name)s,\n\nPlease find attached your certificate of attendance for the "
            "training “%(title)s”.\n\n%(place)s\n"
        ) % {"name": registration.name, "title": registration.event.title, "place": place.name}
    message = EmailMessage(
        subject,
        body,
        formataddr((place.name, parseaddr(settings.DEFAULT_FROM_EMAIL)[1])),
        [registration.email],
        reply_to=[place.email] if place.email else None,
    )
    message.attach(facts.filename, attachment, "application/pdf")
    return message.send()
