"""Password reset whose e-mail is made and sent by the worker, at most one per few minutes."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.contrib.auth.forms import PasswordResetForm
from django.db import transaction

from tierslieux.accounts.tasks import send_password_reset
from tierslieux.accounts.throttle import claim_reset_email


class TaskPasswordResetForm(PasswordResetForm):
    def save(self, *args: Any, **kwargs: Any) -> None:
        """Queue one e-mail per matching account, unless one went out a moment ago. The task
        gets the user's id only: the link is made in the worker, never stored in the queue."""
        for user in self.get_users(self.cleaned_data["email"]):
            if claim_reset_email(user):
                transaction.on_commit(partial(send_password_reset.enqueue, user.pk))
