from django.apps import AppConfig
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "tierslieux.web"
    label = "web"
    verbose_name = _("Web pages")

    def ready(self) -> None:
        from tierslieux.web.checks import check_secret_key

        checks.register(check_secret_key, checks.Tags.security)
        # gunicorn and the worker run no system check: a weak key stops them here.
        errors = check_secret_key()
        if errors:
            raise ImproperlyConfigured(f"{errors[0].msg} {errors[0].hint}")
