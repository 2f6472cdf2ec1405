"""Types shared by every app's services."""

from __future__ import annotations

from typing import Any, Protocol


class Actor(Protocol):
    """Who acts: a logged-in user, an anonymous visitor, or a script's user.

    A Protocol rather than the `User` model so that `core` and `accounts`' callers need no
    import of the user model, and an `AnonymousUser` fits as well (it is refused by the
    access check, not by the type)."""

    @property
    def pk(self) -> Any: ...

    @property
    def is_authenticated(self) -> bool: ...

    @property
    def is_superuser(self) -> bool: ...
