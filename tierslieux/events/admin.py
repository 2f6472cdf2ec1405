"""Events in the Django admin, read only: `events.services` alone writes them (a session's
booking must move and cancel with it)."""

from django.contrib import admin

from tierslieux.core.admin import ReadOnlyAdmin
from tierslieux.events.models import Attendance, Event, PriceCategory, Registration, Session


@admin.register(Event)
class EventAdmin(ReadOnlyAdmin):
    list_display = ["title", "place", "kind", "status", "capacity", "created_at"]
    list_filter = ["kind", "status", "access"]
    search_fields = ["title"]


@admin.register(Session)
class SessionAdmin(ReadOnlyAdmin):
    list_display = ["event", "space", "start", "end", "cancelled_at"]


@admin.register(PriceCategory)
class PriceCategoryAdmin(ReadOnlyAdmin):
    list_display = ["event", "kind", "price_net", "min_price_net", "tax_code"]


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["name", "event", "session", "seats", "status", "source", "created_at"]
    list_filter = ["status", "source"]
    search_fields = ["name", "email"]
    list_select_related = ["event", "session__event"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["registration", "session", "seats", "checked_in_at"]
    list_select_related = ["registration__event", "session__event"]
