from django.contrib import admin

from tierslieux.places.models import (
    Equipment,
    Network,
    NetworkRole,
    OpeningException,
    OpeningHours,
    Place,
    PlaceRole,
    Space,
    TeamMember,
)


class SpaceInline(admin.TabularInline):
    model = Space
    extra = 0
    fields = ["name", "slug", "kind", "surface_m2", "capacity", "units", "bookable"]


class HoursInline(admin.TabularInline):
    model = OpeningHours
    extra = 0


class ExceptionInline(admin.TabularInline):
    model = OpeningException
    extra = 0


class TeamInline(admin.TabularInline):
    model = TeamMember
    extra = 0


class RoleInline(admin.TabularInline):
    model = PlaceRole
    extra = 0
    autocomplete_fields = ["person", "organisation"]


@admin.register(Place)
class PlaceAdmin(admin.ModelAdmin):
    list_display = ["name", "commune", "status", "location_type", "legal_form", "surface_m2"]
    list_filter = ["network", "status", "location_type", "legal_form", "categories"]
    search_fields = ["name", "commune", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["categories"]
    inlines = [SpaceInline, HoursInline, ExceptionInline, TeamInline, RoleInline]


@admin.register(Space)
class SpaceAdmin(admin.ModelAdmin):
    list_display = ["name", "place", "kind", "capacity", "units", "bookable"]
    list_filter = ["kind", "bookable", "place"]
    search_fields = ["name", "place__name"]
    filter_horizontal = ["equipment"]


admin.site.register(Network)
admin.site.register(Equipment, search_fields=["name"])
admin.site.register(NetworkRole, list_display=["person", "network", "role"])
