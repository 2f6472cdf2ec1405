"""Sealed values: what a task must carry that nobody may read at rest.

With the database task backend a task's arguments are stored in clear in the task table (and
shown in the Django admin) until the results are pruned. An e-mail's body may hold a link that
works as a password (an invitation, a sign-up's confirmation, an event registration's page)
and always holds personal data, so the e-mail task gets it sealed: encrypted and authenticated
(Fernet: AES-128-CBC with HMAC-SHA256) with a key derived from `SECRET_KEY` (HKDF, its own
label), so that the database alone, or a backup of it, reveals nothing. A key in
`SECRET_KEY_FALLBACKS` still opens what was sealed before a rotation.
"""

from __future__ import annotations

import base64
import json
from functools import cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings

LABEL = b"tierslieux.core.sealing"


class Unreadable(Exception):
    """A sealed value that no key of the settings opens (or that was altered)."""


@cache
def _fernet(secret: str) -> Fernet:
    key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=LABEL).derive(secret.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _keys() -> MultiFernet:
    secrets = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    return MultiFernet([_fernet(secret) for secret in secrets])


def seal(value: Any) -> str:
    """`value` (anything JSON holds) sealed with the current key."""
    return _keys().encrypt(json.dumps(value).encode()).decode("ascii")


def unseal(sealed: str) -> Any:
    """The value `seal` sealed, with the current key or a fallback one."""
    try:
        return json.loads(_keys().decrypt(sealed.encode("ascii")))
    except (InvalidToken, UnicodeEncodeError) as error:
        raise Unreadable("the sealed value cannot be opened with this instance's keys") from error
