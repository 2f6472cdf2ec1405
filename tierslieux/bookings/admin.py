from django.contrib import admin
from django.http import HttpRequest

from tierslieux.bookings.models import Booking, BookingRules, MachineAuthorisation, Series


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ["space", "place", "start", "end", "units", "status", "person"]
    list_filter = ["status", "place"]
    date_hierarchy = "start"
    raw_id_fields = ["space", "person", "series", "blocked_by", "booked_by"]
    search_fields = ["space__name", "person__last_name", "title"]

    def has_change_permission(self, request: HttpRequest, obj: Booking | None = None) -> bool:
        return False  # bookings change through the services, which check conflicts


@admin.register(BookingRules)
class BookingRulesAdmin(admin.ModelAdmin):
    list_display = ["space", "min_minutes", "max_minutes", "audience", "approval_required"]
    raw_id_fields = ["space"]


admin.site.register(MachineAuthorisation, raw_id_fields=["person", "space", "granted_by"])
admin.site.register(Series, raw_id_fields=["space", "person", "place"])
