"""The joining URLs: `public_urls` and `portal_urls` in the namespace `joining` (mounted at the
root), `manage_urls` under a place's back office (`joining_manage`)."""

from django.urls import path

from tierslieux.joining.views import manage as m
from tierslieux.joining.views import portal, public

public_urls = [
    path("places/<slug:slug>/join/", public.signup, name="signup"),
    path("places/<slug:slug>/join/sent/", public.sent, name="sent"),
    path("join/confirm/<str:token>/", public.confirm, name="confirm"),
    path("join/invitation/<str:token>/", public.invitation, name="invitation"),
]

portal_urls = [
    path("accounts/profile/", portal.profile, name="profile"),
    path("accounts/profile/email/<str:token>/", portal.confirm_email, name="email"),
]

manage_urls = [
    path("", m.invitations_page, name="invitations"),
    path("invitations/<int:invitation_id>/resend/", m.resend, name="resend"),
    path("invitations/<int:invitation_id>/revoke/", m.revoke, name="revoke"),
    path("requests/", m.requests_page, name="requests"),
    path("requests/<int:request_id>/accept/", m.accept, name="accept"),
    path("requests/<int:request_id>/decline/", m.decline, name="decline"),
    path("settings/", m.settings_page, name="settings"),
]
