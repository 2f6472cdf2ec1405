from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from tierslieux.core.models import AuditEntry, Job


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows the Django admin may show but never add, change nor delete: ledgers, the audit
    log, invoice sequences, bookings (which only their services write)."""

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "object_type", "object_id", "place_id"]
    list_filter = ["action", "object_type"]


@admin.register(Job)
class JobAdmin(ReadOnlyAdmin):
    """Jobs are written by `core.jobs` alone; the admin shows them to find a failure."""

    list_display = ["created_at", "kind", "key", "place_id", "state", "done", "total"]
    list_filter = ["state", "kind"]
