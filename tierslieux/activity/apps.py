from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tierslieux.core import nav


class ActivityConfig(AppConfig):
    name = "tierslieux.activity"
    label = "activity"
    verbose_name = _("Activity")

    def ready(self) -> None:
        nav.register(
            nav.Tab(
                "activity",
                _("Activity"),
                "activity_manage:overview",
                85,
                "view_figures",
                ("activity_manage:*",),
            )
        )
