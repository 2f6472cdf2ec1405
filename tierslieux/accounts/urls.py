"""The accounts' URLs, mounted under /accounts/ without a namespace (Django's auth views look
their names up bare: `login`, `password_reset_done` …)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from tierslieux.accounts.views import portal, public, security, two_factor

public_urls = [
    path("login/", two_factor.LoginView.as_view(), name="login"),
    path("login/code/", two_factor.login_code, name="login_code"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password-reset/",
        public.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password-reset/sent/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reset/done/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("language/", public.set_language, name="set_language"),
]

portal_urls = [
    path("password/", security.PasswordChangeView.as_view(), name="password_change"),
    path(
        "password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"
    ),
    path("two-factor/", two_factor.setup, name="two_factor"),
    path("two-factor/off/", two_factor.disable, name="two_factor_disable"),
    path("sessions/", security.sessions, name="sessions"),
    path("sessions/<int:pk>/end/", security.revoke_session, name="session_revoke"),
    path("sessions/end-others/", security.revoke_other_sessions, name="sessions_revoke_others"),
    path("tokens/", portal.api_tokens, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", portal.revoke_api_token, name="api_token_revoke"),
]
