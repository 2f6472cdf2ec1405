"""schema.org JSON-LD of a place's public page, so search engines and linked-data tools read
its address, position and opening hours (issue 11, open data).

Built from the place as its page loads it (`queries.place_sheet`: hours and exceptions
prefetched, no query more); only what the page shows, nothing about people."""

from __future__ import annotations

import json
from typing import Any

from tierslieux.places.models import Place

SCHEMA_DAYS = [
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
]


def _hours(place: Place) -> list[dict[str, Any]]:
    return [
        {
            "@type": "OpeningHoursSpecification",
            "dayOfWeek": f"https://schema.org/{SCHEMA_DAYS[h.weekday]}",
            "opens": f"{h.opens:%H:%M}",
            "closes": f"{h.closes:%H:%M}",
        }
        for h in sorted(place.hours.all(), key=lambda h: (h.weekday, h.opens))
    ]


def _exceptions(place: Place) -> list[dict[str, Any]]:
    """schema.org's way to say "closed": opens and closes both 00:00."""
    return [
        {
            "@type": "OpeningHoursSpecification",
            "validFrom": e.start_date.isoformat(),
            "validThrough": e.end_date.isoformat(),
            "opens": "00:00" if e.closed or e.opens is None else f"{e.opens:%H:%M}",
            "closes": "00:00" if e.closed or e.closes is None else f"{e.closes:%H:%M}",
        }
        for e in place.opening_exceptions.all()
    ]


def place_jsonld(place: Place, url: str) -> dict[str, Any]:
    """A `LocalBusiness` (a `Place` that is also an `Organization`) for the page at `url`."""
    data: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "LocalBusiness",
        "@id": url,
        "url": url,
        "name": place.name,
    }
    address = {
        "streetAddress": place.address,  # a place in project may have none yet
        "postalCode": place.postcode,
        "addressLocality": place.commune,
        "addressCountry": place.country,
    }
    data["address"] = {"@type": "PostalAddress"} | {k: v for k, v in address.items() if v}
    if place.description:
        data["description"] = place.description
    if place.latitude is not None and place.longitude is not None:
        data["geo"] = {
            "@type": "GeoCoordinates",
            "latitude": float(place.latitude),
            "longitude": float(place.longitude),
        }
    hours = _hours(place)
    if hours:
        data["openingHoursSpecification"] = hours
    exceptions = _exceptions(place)
    if exceptions:
        data["specialOpeningHoursSpecification"] = exceptions
    if place.email:
        data["email"] = place.email
    if place.phone:
        data["telephone"] = place.phone
    external = {e.scheme: e.value for e in place.external_ids.all()}
    same_as = [url for url in (place.website, external.pop("movilab", "")) if url]
    if same_as:
        data["sameAs"] = same_as
    categories = [str(c) for c in place.categories.all()]
    if categories:
        data["keywords"] = ", ".join(categories)
    identifiers = [("SIRET", place.siret)] if place.siret else []
    identifiers += [("ID_UNIQUE" if k == "bdtfl" else k, v) for k, v in sorted(external.items())]
    if identifiers:
        data["identifier"] = [
            {"@type": "PropertyValue", "propertyID": key, "value": value}
            for key, value in identifiers
        ]
    data["isPartOf"] = {"@type": "Organization", "name": place.network.name}
    return data


def script_text(data: dict[str, Any]) -> str:
    """JSON safe inside `<script>`: `<`, `>` and `&` escaped, so no text closes the tag."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
