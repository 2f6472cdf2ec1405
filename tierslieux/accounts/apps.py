from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tierslieux.accounts"
    label = "accounts"
    verbose_name = _("Accounts and people")

    def ready(self) -> None:
        from django.contrib.auth.signals import user_logged_in, user_logged_out

        from tierslieux.accounts.signals import forget_session, remember_language

        user_logged_in.connect(remember_language, dispatch_uid="accounts.remember_language")
        user_logged_out.connect(forget_session, dispatch_uid="accounts.forget_session")
