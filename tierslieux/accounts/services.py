"""Writes of the accounts app: tokens and language preference."""

from __future__ import annotations

from django.conf import settings
from django.db import transaction

from tierslieux.accounts.models import ApiToken, User, hash_token
from tierslieux.core import audit, clock


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Return the token row and its raw value, which is shown once and never stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(user=user, name=name, prefix=raw[3:9], digest=hash_token(raw))
    audit.record(actor=user, action="api_token.create", obj=token, changes={"name": name})
    return token, raw


@transaction.atomic
def revoke_api_token(*, actor: User, token: ApiToken) -> None:
    if token.user_id != actor.pk and not actor.is_superuser:
        raise PermissionError("Only the token's owner may revoke it.")
    token.revoked_at = clock.now()
    token.save(update_fields=["revoked_at"])
    audit.record(actor=actor, action="api_token.revoke", obj=token)


def user_for_token(raw: str) -> User | None:
    token = ApiToken.objects.active().select_related("user").filter(digest=hash_token(raw)).first()
    if token is None:
        return None
    now = clock.now()
    if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 300:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def set_language(*, user: User, language: str) -> None:
    if language in dict(settings.LANGUAGES) and user.language != language:
        user.language = language
        user.save(update_fields=["language"])
