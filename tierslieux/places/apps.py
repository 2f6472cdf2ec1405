from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    name = "tierslieux.places"
    label = "places"
    verbose_name = _("Places")

    def ready(self) -> None:
        from tierslieux.core import nav

        for tab in [
            nav.Tab("overview", _("Overview"), "places:manage", 0, "view_backoffice"),
            nav.Tab("sheet", _("Technical sheet"), "places:manage_sheet", 10, "edit_sheet"),
            nav.Tab("hours", _("Opening hours"), "places:manage_hours", 20, "edit_sheet"),
            nav.Tab("team", _("Team"), "places:manage_team", 30, "edit_sheet"),
            nav.Tab(
                "spaces",
                _("Spaces"),
                "places:manage_spaces",
                40,
                "view_backoffice",
                current=("places:manage_spaces", "places:manage_space", "places:manage_space_new"),
            ),
            nav.Tab(
                "people",
                _("People and roles"),
                "places:manage_people",
                50,
                "view_people",
                current=(
                    "places:manage_people",
                    "places:manage_person",
                    "places:manage_person_new",
                    "places:manage_organisation_new",
                ),
            ),
            nav.Tab(
                "network_access",
                _("Network’s access"),
                "places:manage_network_access",
                95,
                "edit_people",
                ("places:manage_network_access",),
            ),
        ]:
            nav.register(tab)
        _require_two_factor_of_network_admins()


def _require_two_factor_of_network_admins() -> None:
    """With `TL_REQUIRE_2FA_FOR_NETWORK_ADMINS` on, a network's administrators set up a second
    factor before anything else (accounts knows nothing of networks: places registers it)."""
    from tierslieux.accounts import two_factor
    from tierslieux.accounts.models import User
    from tierslieux.places.models import NetworkRole

    def is_network_admin(user: User) -> bool:
        return NetworkRole.objects.filter(person__user=user, role=NetworkRole.Role.ADMIN).exists()

    two_factor.register_requirement(
        "network_admin", "TL_REQUIRE_2FA_FOR_NETWORK_ADMINS", is_network_admin
    )
