"""Public pages: the network directory and a place's page."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from tierslieux.core.formatting import colon
from tierslieux.places import directory as directory_filters
from tierslieux.places import queries
from tierslieux.places.models import Category, Network, OpeningHours, Place

PER_PAGE = 30  # a network counts hundreds of places; the map shows them all at once


def directory(request: HttpRequest) -> HttpResponse:
    """The directory, filtered like the map (`places.directory`); a bad filter is named."""
    form = directory_filters.DirectoryForm(request.GET)
    valid = form.is_valid()
    for field, errors in form.errors.items():
        for error in errors:
            messages.error(request, f"{form.fields[field].label}{colon()} {error}")
    filters = form.filters()
    found = directory_filters.filtered(filters).order_by("name", "pk")
    page = Paginator(found.prefetch_related("categories"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "places/directory.html",
        {
            "page": page,
            "places": page.object_list,
            "filters": filters,
            "categories": Category.Code.choices,
            "location_types": Place.LocationType.choices,
            "statuses": Place.Status.choices,
            "communes": directory_filters.communes(),
            "networks": list(Network.objects.order_by("name").only("slug", "name")),
        },
        status=200 if valid else 422,
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
