from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tierslieux.core.admin import ReadOnlyAdmin
from tierslieux.joining.models import Invitation, JoinSettings, SignupRequest


class _WithoutSecrets(ReadOnlyAdmin):
    """Only the joining services write these rows; the hashes stay out of sight."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        hidden = {"digest", "password"}
        return [name for name in super().get_readonly_fields(request, obj) if name not in hidden]

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return self.get_readonly_fields(request, obj)


@admin.register(Invitation)
class InvitationAdmin(_WithoutSecrets):
    list_display = ["email", "place", "role", "sent_at", "expires_at", "accepted_at", "revoked_at"]
    search_fields = ["email", "last_name"]


@admin.register(SignupRequest)
class SignupRequestAdmin(_WithoutSecrets):
    list_display = ["email", "place", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["email", "last_name"]


@admin.register(JoinSettings)
class JoinSettingsAdmin(_WithoutSecrets):
    list_display = ["place", "signup_open", "auto_accept", "updated_at"]
