"""`{% pending_declarations network as n %}`: the network's declarations waiting for its
administrators, for the link to the moderation queue on the network's pages."""

from __future__ import annotations

from django import template

from tierslieux.observatory.census_queries import pending_count
from tierslieux.places.models import Network

register = template.Library()


@register.simple_tag
def pending_declarations(network: Network) -> int:
    return pending_count(network)
