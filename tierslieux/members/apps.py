from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "tierslieux.members"
    label = "members"
    verbose_name = _("Members, plans and credits")

    def ready(self) -> None:
        from tierslieux.core import nav

        nav.register(
            nav.Tab(
                "members",
                _("Members and plans"),
                "members_manage:home",
                70,
                "manage_billing",
                ("members_manage:*",),
            )
        )
