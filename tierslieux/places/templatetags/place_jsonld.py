"""`{% place_jsonld place %}`: the place's schema.org JSON-LD script (see `places.jsonld`)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from tierslieux.places import jsonld
from tierslieux.places.models import Place

register = template.Library()


@register.simple_tag(takes_context=True)
def place_jsonld(context: dict[str, Any], place: Place) -> SafeString:
    request = context.get("request")
    path = place.get_absolute_url()
    url = request.build_absolute_uri(path) if request is not None else path
    # `script_text` escapes <, > and &: nothing in a place's sheet can close the script.
    text = mark_safe(jsonld.script_text(jsonld.place_jsonld(place, url)))
    return format_html('<script type="application/ld+json">{}</script>', text)
