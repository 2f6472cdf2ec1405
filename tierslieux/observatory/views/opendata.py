"""Open data pages: the licence and links, and the three files (anyone, no login).

`?network=<slug>` restricts a file to one network's places; an unknown network is a 404.
The files answer `Access-Control-Allow-Origin: *` so a map on another site (GoGoCarto,
uMap) can read them directly."""

from __future__ import annotations

import json
from collections import Counter

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from tierslieux.observatory import opendata
from tierslieux.observatory.opendata_queries import open_places, published
from tierslieux.places.models import Network


def _network(request: HttpRequest) -> Network | None:
    slug = request.GET.get("network", "").strip()
    if not slug:
        return None
    network = Network.objects.filter(slug=slug).first()
    if network is None:
        raise Http404(_("No network has the slug “%(slug)s”.") % {"slug": slug})
    return network


def _places(request: HttpRequest) -> list[opendata.OpenPlace]:
    base = f"{request.scheme}://{request.get_host()}"
    return open_places(published(_network(request)), base)


def _file(request: HttpRequest, body: str, content_type: str, stem: str, ext: str) -> HttpResponse:
    network = request.GET.get("network", "").strip()
    response = HttpResponse(body, content_type=content_type)
    filename = f"{stem}-{network}.{ext}" if network else f"{stem}.{ext}"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


def places_csv(request: HttpRequest) -> HttpResponse:
    rows, _left_out = opendata.mednum_rows(_places(request))
    return _file(
        request, opendata.mednum_csv(rows), "text/csv; charset=utf-8", "tiers-lieux", "csv"
    )


def places_geojson(request: HttpRequest) -> HttpResponse:
    body = _json(opendata.feature_collection(_places(request)))
    return _file(request, body, "application/geo+json", "tiers-lieux", "geojson")


def places_gogocarto(request: HttpRequest) -> HttpResponse:
    body = _json(opendata.gogocarto(_places(request)))
    return _file(request, body, "application/json", "tiers-lieux", "gogocarto.json")


def index(request: HttpRequest) -> HttpResponse:
    network = _network(request)
    places = _places(request)
    rows, left_out = opendata.mednum_rows(places)
    reasons = Counter(reason for _place, reason in left_out)
    return render(
        request,
        "observatory/opendata.html",
        {
            "network": network,
            "networks": Network.objects.order_by("name"),
            "query": f"?network={network.slug}" if network else "",
            "place_count": len(places),
            "csv_count": len(rows),
            "located_count": sum(1 for p in places if p.latitude is not None),
            "no_pivot": reasons["no_pivot"],
            "no_address": reasons["no_address"],
            "outside_france": reasons["outside_france"],
            "licence_url": opendata.LICENCE_URL,
            "schema_version": opendata.schema()["version"],
        },
    )
