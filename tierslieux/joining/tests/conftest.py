"""E-mails of joining leave after commit; in these tests (one transaction each) they leave at
once, into `mail.outbox`. `test_emails_wait_for_the_commit` checks the real order."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core import mail


@pytest.fixture
def outbox(monkeypatch):
    monkeypatch.setattr(
        "tierslieux.joining.emails.transaction",
        SimpleNamespace(on_commit=lambda callback, *args, **kwargs: callback()),
    )
    return mail.outbox
