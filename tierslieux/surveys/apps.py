from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from tierslieux.core import nav


class SurveysConfig(AppConfig):
    name = "tierslieux.surveys"
    label = "surveys"
    verbose_name = _("Surveys")

    def ready(self) -> None:
        nav.register(
            nav.Tab(
                "surveys",
                _("Surveys"),
                "surveys_manage:list",
                70,
                "manage_surveys",
                ("surveys_manage:*",),
            )
        )
