from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ObservatoryConfig(AppConfig):
    """A network's view of its places: the map, statistics and open data (issue 11).

    It sits above `activity` because the network's figures aggregate what the places that run
    on tierslieux record (members, bookings, occupancy, events, revenue); it writes nothing of
    theirs, and shows a network no place's private data."""

    name = "tierslieux.observatory"
    label = "observatory"
    verbose_name = _("Observatory")
