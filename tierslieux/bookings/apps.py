from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BookingsConfig(AppConfig):
    name = "tierslieux.bookings"
    label = "bookings"
    verbose_name = _("Bookings")

    def ready(self) -> None:
        from tierslieux.core import nav

        nav.register(
            nav.Tab(
                "bookings",
                _("Bookings"),
                "bookings_manage:board",
                60,
                "manage_bookings",
                ("bookings_manage:*",),
            )
        )
