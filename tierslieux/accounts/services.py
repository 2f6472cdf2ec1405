"""Writes of the accounts app: tokens, language preference and browser sessions."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.conf import settings
from django.db import transaction

from tierslieux.accounts.models import ApiToken, User, UserSession, hash_token
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


# --- Browser sessions ---------------------------------------------------------------------------
SEEN_EVERY = 300  # seconds: last_seen_at is written at most this often per session


def _session_store() -> Any:
    return import_module(settings.SESSION_ENGINE).SessionStore


SEEN_KEY = "_tl_seen_at"


def session_seen_due(session: Any) -> bool:
    """Whether this session's `last_seen_at` is due for a refresh (read from the session)."""
    seen = session.get(SEEN_KEY)
    return seen is None or clock.now().timestamp() - seen > SEEN_EVERY


def record_session(*, session: Any, user: User, user_agent: str, ip: str | None) -> None:
    """Note that `session` belongs to `user`, or that it was just seen again."""
    key = session.session_key
    if not key:
        return
    now = clock.now()
    row = UserSession.objects.filter(session_key=key).first()
    if row is None:
        UserSession.objects.get_or_create(
            session_key=key,
            defaults={
                "user": user,
                "user_agent": user_agent[:300],
                "ip_address": ip,
            },
        )
    elif row.user_id == user.pk:
        UserSession.objects.filter(pk=row.pk).update(last_seen_at=now, ip_address=ip)
    session[SEEN_KEY] = now.timestamp()


def forget_session(session_key: str | None) -> None:
    if session_key:
        UserSession.objects.filter(session_key=session_key).delete()


def rekey_session(old: str | None, new: str | None) -> None:
    """The session kept its row when Django gave it a new key (password change)."""
    if old and new and old != new:
        UserSession.objects.filter(session_key=old).update(session_key=new)


@transaction.atomic
def revoke_session(*, user: User, session: UserSession) -> None:
    """End one of `user`'s sessions: whoever holds it is logged out at their next request."""
    if session.user_id != user.pk:
        raise PermissionError("Only the session's owner may end it.")
    _session_store()(session_key=session.session_key).delete()
    session.delete()
    audit.record(actor=user, action="session.revoke", obj=user)


@transaction.atomic
def revoke_other_sessions(*, user: User, keep: str | None) -> int:
    """End every session of `user` except `keep` (the one in use); the count ended."""
    others = list(UserSession.objects.filter(user=user).exclude(session_key=keep or ""))
    store = _session_store()
    for session in others:
        store(session_key=session.session_key).delete()
    UserSession.objects.filter(pk__in=[s.pk for s in others]).delete()
    if others:
        audit.record(actor=user, action="session.revoke_others", obj=user)
    return len(others)
