from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tierslieux.core import nav


class DeskTab(nav.Tab):
    """The team's desk: every page of the bookings back office but the rules pages, which
    have their own tab."""

    def is_current(self, namespace: str, url_name: str) -> bool:
        return namespace == "bookings_manage" and not url_name.startswith("rules")


class BookingsConfig(AppConfig):
    name = "tierslieux.bookings"
    label = "bookings"
    verbose_name = _("Bookings")

    def ready(self) -> None:
        from django.core.signals import request_finished, request_started

        from tierslieux.bookings import models

        # A place's defaults per kind of space are read once per request (`models.rules_of`).
        request_started.connect(models.open_request_scope, dispatch_uid="bookings-rules-open")
        request_finished.connect(models.close_request_scope, dispatch_uid="bookings-rules-close")
        nav.register(
            DeskTab("bookings", _("Bookings"), "bookings_manage:board", 60, "manage_bookings")
        )
        nav.register(
            nav.Tab(
                "booking_rules",
                _("Booking rules"),
                "bookings_manage:rules",
                61,
                "manage_bookings",
                tuple(f"bookings_manage:{name}" for name in RULE_PAGES),
            )
        )


RULE_PAGES = ("rules", "rules_space", "rules_space_reset", "rules_kind", "rules_kind_reset")
