from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BillingConfig(AppConfig):
    name = "tierslieux.billing"
    label = "billing"
    verbose_name = _("Billing")

    def ready(self) -> None:
        from tierslieux.core import nav

        for tab in [
            nav.Tab(
                "billing",
                _("Billing"),
                "billing_manage:invoices",
                80,
                "manage_billing",
                ("billing_manage:*",),
            ),
            nav.Tab(
                "revenue", _("Revenue"), "revenue:dashboard", 90, "view_figures", ("revenue:*",)
            ),
        ]:
            nav.register(tab)
