from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tierslieux.bookings import labels
from tierslieux.core import nav


class EventsConfig(AppConfig):
    name = "tierslieux.events"
    label = "events"
    verbose_name = _("Events")

    def ready(self) -> None:
        nav.register(
            nav.Tab(
                "events",
                _("Events"),
                "events_manage:list",
                62,
                "manage_bookings",
                ("events_manage:*",),
            )
        )
        from tierslieux.events.agenda import public_session_labels

        labels.register(public_session_labels)
