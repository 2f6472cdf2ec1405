"""No secret at rest (issue 12): an invitation's link works as a password, so its e-mail waits
in the task table sealed; the worker opens it and sends the link that works."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tierslieux.accounts.models import hash_token
from tierslieux.joining.models import Invitation

pytestmark = pytest.mark.django_db(transaction=True)  # the worker claims in its own commits


def test_the_invitation_email_waits_sealed_and_leaves_with_its_link(
    client, settings, place, coordinator
):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    client.force_login(coordinator)
    client.post(
        reverse("joining_manage:invitations", args=[place.slug]),
        {"email": "lea@example.org", "first_name": "Léa", "last_name": "Martin", "role": "member"},
    )
    stored = str(DBTaskResult.objects.values_list("args_kwargs", flat=True).get())
    for clue in ("lea@example.org", "Léa", "/join/invitation/", place.name):
        assert clue not in stored
    assert mail.outbox == []

    call_command("worker", batch=True, reload=False, startup_delay=False, interval=0, verbosity=0)

    (message,) = mail.outbox
    assert message.to == ["lea@example.org"]
    raw = re.search(r"/join/invitation/([^/\s]+)/", message.body).group(1)
    assert Invitation.objects.get().digest == hash_token(raw)
