"""The optional second factor: a TOTP app (django-otp), with single-use backup codes.

A person turns it on from their security page (QR code and secret, confirmed with a first code),
and logging in then asks a code after the password. Apps above `accounts` may require it of
some users: they register a predicate here (`register_requirement`), gated by a setting, and
`TwoFactorRequiredMiddleware` sends those users to the set-up page before anything else. So
`accounts` never imports them (import-linter's layers)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass

import segno
from django.conf import settings
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tierslieux.accounts.models import User
from tierslieux.core import audit

BACKUP_CODES = 10
ISSUER = "tierslieux"


@dataclass(frozen=True)
class Requirement:
    name: str
    setting: str  # the boolean setting that turns it on
    applies: Callable[[User], bool]


_requirements: dict[str, Requirement] = {}


def register_requirement(name: str, setting: str, applies: Callable[[User], bool]) -> None:
    """Called from a higher app's `AppConfig.ready()`: users for whom `applies` is true must
    use a second factor when `setting` is on."""
    _requirements[name] = Requirement(name, setting, applies)


def unregister_requirement(name: str) -> None:
    _requirements.pop(name, None)


def required_for(user: User) -> bool:
    return any(
        getattr(settings, r.setting, False) and r.applies(user) for r in _requirements.values()
    )


def is_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def pending_device(user: User) -> TOTPDevice:
    """The unconfirmed device being set up (one at a time: made once, shown until confirmed)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="TOTP", confirmed=False)
    return device


def secret_for_display(device: TOTPDevice) -> str:
    """The key in base32, by groups of four, for typing into an app by hand."""
    from base64 import b32encode

    raw = b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def qr_svg(device: TOTPDevice, user: User) -> str:
    """The provisioning URI as an inline SVG QR code, rendered here: no image service."""
    from base64 import b32encode
    from urllib.parse import quote, urlencode

    secret = b32encode(device.bin_key).decode().rstrip("=")
    label = quote(f"{ISSUER}:{user.email}")
    query = urlencode({"secret": secret, "issuer": ISSUER, "digits": device.digits})
    uri = f"otpauth://totp/{label}?{query}"
    return str(segno.make(uri, error="m").svg_inline(scale=4))


@transaction.atomic
def confirm(user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Turn the second factor on if `code` is right; the backup codes, to show once."""
    if device.user_id != user.pk or device.confirmed or not device.verify_token(_digits(code)):
        return None
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
    codes = _new_backup_codes(user)
    audit.record(actor=user, action="two_factor.enable", obj=user)
    return codes


def _new_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    backup = StaticDevice.objects.create(user=user, name="backup", confirmed=True)
    codes = [f"{secrets.randbelow(10**8):08d}" for _ in range(BACKUP_CODES)]
    StaticToken.objects.bulk_create(
        StaticToken(device=backup, token=_backup_digest(code)) for code in codes
    )
    return codes


def _backup_digest(code: str) -> str:
    """What is stored of a backup code: a keyed hash (16 hex characters, django-otp's column),
    so that the table alone does not give the codes."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, b"tierslieux-backup:" + code.encode(), hashlib.sha256).hexdigest()[:16]


@transaction.atomic
def disable(user: User) -> None:
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(actor=user, action="two_factor.disable", obj=user)


def verify(user: User, code: str) -> TOTPDevice | StaticDevice | None:
    """The device that accepts `code` (a backup code is used up), or None."""
    code = _digits(code)
    if not code:
        return None
    for device in TOTPDevice.objects.filter(user=user, confirmed=True):
        if device.verify_is_allowed()[0] and device.verify_token(code):
            return device
    for backup in StaticDevice.objects.filter(user=user, confirmed=True):
        if backup.verify_token(_backup_digest(code)):
            return backup
    return None


def _digits(code: str) -> str:
    return "".join(ch for ch in (code or "") if ch.isdigit())[:8]
