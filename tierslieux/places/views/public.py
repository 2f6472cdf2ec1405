"""Public pages: the network directory and a place's page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tierslieux.places import queries
from tierslieux.places.models import Category, OpeningHours, Place


def directory(request: HttpRequest) -> HttpResponse:
    filters = queries.DirectoryFilters(
        q=request.GET.get("q", "").strip(),
        category=request.GET.get("category", ""),
        location_type=request.GET.get("location_type", ""),
        commune=request.GET.get("commune", ""),
        status=request.GET.get("status", ""),
    )
    places = list(queries.directory(filters))
    return render(
        request,
        "places/directory.html",
        {
            "places": places,
            "filters": filters,
            "categories": Category.Code.choices,
            "location_types": Place.LocationType.choices,
            "statuses": Place.Status.choices,
            "communes": queries.communes(),
        },
    )


def place_detail(request: HttpRequest, slug: str) -> HttpResponse:
    place = queries.place_sheet(slug).first()
    if place is None:
        raise Http404
    by_day: dict[int, list[OpeningHours]] = {d: [] for d in range(7)}
    for h in place.hours.all():
        by_day[h.weekday].append(h)
    week = [(label, by_day[day]) for day, label in OpeningHours.Weekday.choices]
    return render(
        request,
        "places/place_detail.html",
        {"place": place, "week": week, "osm_hours": queries.osm_hours(place)},
    )
