from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class JoiningConfig(AppConfig):
    name = "tierslieux.joining"
    label = "joining"
    verbose_name = _("Joining a place")

    def ready(self) -> None:
        from tierslieux.core import nav

        nav.register(
            nav.Tab(
                "joining",
                _("Invitations and sign-ups"),
                "joining_manage:invitations",
                55,
                "edit_people",
                current=("joining_manage:*",),
            )
        )
