from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tierslieux.core import nav


class EconomicsConfig(AppConfig):
    """Will this place hold up? The economic model: a projection engine, scenarios, and a
    running place's actuals against its plan (issue 15)."""

    name = "tierslieux.economics"
    label = "economics"
    verbose_name = _("Economic model")

    def ready(self) -> None:
        # A place's scenarios hold its finances: the tab shows to those who manage billing.
        nav.register(
            nav.Tab(
                "economics",
                _("Economic model"),
                "economics_manage:list",
                82,
                "manage_billing",
                ("economics_manage:*",),
            )
        )
