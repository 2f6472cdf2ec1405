from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tierslieux.core import nav


class ImpactConfig(AppConfig):
    name = "tierslieux.impact"
    label = "impact"
    verbose_name = _("Impact")

    def ready(self) -> None:
        nav.register(
            nav.Tab(
                "impact",
                _("Impact"),
                "impact_manage:framework",
                75,
                "view_figures",
                ("impact_manage:*",),
            )
        )
