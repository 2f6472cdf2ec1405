"""Bookings in the Django admin: shown, never added, changed nor deleted there (their
services check conflicts, price them and write the audit log). Booking rules, a place's
defaults per kind and its grace period are shown only too: the back office's rules pages
change them, checked and audited (`services.rules`)."""

from django.contrib import admin

from tierslieux.bookings.models import (
    Booking,
    BookingRules,
    BookingSettings,
    KindRules,
    MachineAuthorisation,
    Series,
)
from tierslieux.core.admin import ReadOnlyAdmin


@admin.register(Booking)
class BookingAdmin(ReadOnlyAdmin):
    list_display = ["space", "place", "start", "end", "units", "status", "person"]
    list_filter = ["status", "place"]
    date_hierarchy = "start"
    raw_id_fields = ["space", "person", "series", "blocked_by", "booked_by"]
    search_fields = ["space__name", "person__last_name", "title"]


@admin.register(BookingRules)
class BookingRulesAdmin(ReadOnlyAdmin):
    list_display = ["space", "min_minutes", "max_minutes", "audience", "approval_required"]


@admin.register(KindRules)
class KindRulesAdmin(ReadOnlyAdmin):
    list_display = ["place", "kind", "min_minutes", "max_minutes", "audience", "approval_required"]
    list_filter = ["kind"]


@admin.register(BookingSettings)
class BookingSettingsAdmin(ReadOnlyAdmin):
    list_display = ["place", "grace_minutes"]


admin.site.register(MachineAuthorisation, raw_id_fields=["person", "space", "granted_by"])


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdmin):
    raw_id_fields = ["space", "person", "place"]
