"""The network's map (`/map/`) and its GeoJSON (`/map/places.geojson`), public.

The page is a filtered, paginated list of places that works without JavaScript; Leaflet,
served by the app, draws the same places from the GeoJSON on top of it."""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.cache import cache
from django.core.paginator import Page, Paginator
from django.db.models import Count, Max, Sum
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import get_conditional_response
from django.utils.http import http_date

from tierslieux.observatory import geo
from tierslieux.observatory import places_query as pq
from tierslieux.places.directory import communes
from tierslieux.places.models import Category

PER_PAGE = 50
GEOJSON = "application/geo+json"
CACHE_SECONDS = 600


def map_page(request: HttpRequest) -> HttpResponse:
    form = pq.MapForm(request.GET)
    valid = form.is_valid()
    search = form.search() if valid else None
    page = None if search is None else listing(search, request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context: dict[str, Any] = {
        "form": form,
        "page": page,
        "search": search,
        "query": query.urlencode(),
        "geojson_url": reverse("map:geojson") + (f"?{query.urlencode()}" if query else ""),
        "communes": communes(),
        "category_labels": {code: str(label) for code, label in Category.Code.choices},
    }
    return render(request, "observatory/map.html", context, status=200 if valid else 422)


def listing(search: pq.Search, number: str | None) -> Page[pq.MapPlace]:
    """One page of the list: nearest first for a near search, else by name (the page's ids
    read first, then only their rows)."""
    found = pq.places(search)
    if search.near is not None:
        return Paginator(pq.rows(found, search.near), PER_PAGE).get_page(number)
    ordered = found.order_by("name", "pk")
    page = Paginator(ordered.values_list("pk", flat=True), PER_PAGE).get_page(number)
    ids = list(page.object_list)
    by_id = {r.pk: r for r in pq.rows(ordered.filter(pk__in=ids))}
    paginator: Any = page.paginator  # counts the ids; the page holds their rows
    return Page([by_id[pk] for pk in ids], page.number, paginator)


def places_geojson(request: HttpRequest) -> HttpResponse:
    """The filtered places as a GeoJSON FeatureCollection; the places without coordinates are
    left out and counted (`without_coordinates`, header `X-Places-Without-Coordinates`).
    Revalidated by an ETag and Last-Modified drawn from the places' update times."""
    form = pq.MapForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    search = form.search()
    found = pq.places(search)
    stamp = found.aggregate(count=Count("pk"), ids=Sum("pk"), latest=Max("updated_at"))
    latest = stamp["latest"]
    digest = hashlib.sha256(
        f"{sorted(request.GET.lists())}|{stamp['count']}|{stamp['ids']}|{latest}".encode()
    ).hexdigest()[:32]
    etag = f'"{digest}"'
    last_modified = latest.timestamp() if latest is not None else None
    cached = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if cached is not None:
        return _with_cache_headers(cached, etag, last_modified)
    # The same document for every visitor until a place changes: kept under its tag, so a
    # change of the places (a new tag) never serves a stale one.
    key = f"observatory:geojson:{digest}"
    kept = cache.get(key)
    if kept is None:
        text, without = collection(pq.rows(found.order_by("name", "pk"), search.near))
        kept = (text.encode(), without)
        cache.set(key, kept, CACHE_SECONDS)
    response = HttpResponse(kept[0], content_type=GEOJSON)
    response["X-Places-Without-Coordinates"] = str(kept[1])
    return _with_cache_headers(response, etag, last_modified)


def collection(places: list[pq.MapPlace]) -> tuple[str, int]:
    """The FeatureCollection of `places` as JSON text ([longitude, latitude]) and the number
    of places left out for want of coordinates (also in the text: `without_coordinates`)."""
    prefix = reverse("places:detail", kwargs={"slug": "slug"}).rsplit("slug/", 1)[0]
    without = sum(1 for p in places if p.point is None)
    return geo.collection_text(
        (_feature(p, prefix) for p in places if p.point is not None),
        without_coordinates=without,
    ), without


def _feature(p: pq.MapPlace, prefix: str) -> dict[str, Any]:
    assert p.point is not None
    properties: dict[str, Any] = {
        "name": p.name,
        "slug": p.slug,
        "url": f"{prefix}{p.slug}/",
        "category": p.category,
        "categories": p.categories,
        "status": p.status,
        "commune": p.commune,
    }
    if p.distance_km is not None:
        properties["distance_km"] = round(p.distance_km, 2)
    return geo.feature(p.point, properties)


def _with_cache_headers(
    response: HttpResponse, etag: str, last_modified: float | None
) -> HttpResponse:
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    # Shared caches may keep it a minute; after that they ask again (a 304 costs one query).
    response["Cache-Control"] = "public, max-age=60"
    return response
