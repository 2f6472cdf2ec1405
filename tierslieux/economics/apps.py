from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EconomicsConfig(AppConfig):
    """Will this place hold up? The economic model: a projection engine, scenarios, and a
    running place's actuals against its plan (issue 15)."""

    name = "tierslieux.economics"
    label = "economics"
    verbose_name = _("Economic model")
