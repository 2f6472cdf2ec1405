"""The places the map shows: the directory's filters (`places.directory`) plus a "near"
search, a circle around a commune we know or a point, for the offer around a project.

Reads plain values in a fixed number of queries whatever the number of places (the map of a
5,000-place census draws from one query for the places and one for their categories)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django import forms
from django.db.models import FloatField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _

from tierslieux.core.search import Fold, fold
from tierslieux.observatory import geo
from tierslieux.places.directory import DirectoryFilters, DirectoryForm, filtered
from tierslieux.places.models import Category, Place

MIN_RADIUS_KM = 1
MAX_RADIUS_KM = 200
DEFAULT_RADIUS_KM = 20
FIELDS = ("id", "name", "slug", "status", "commune", "postcode", "lat", "lon")


@dataclass(frozen=True)
class Near:
    centre: geo.Point
    radius_km: int
    label: str


@dataclass(frozen=True)
class Search:
    filters: DirectoryFilters
    near: Near | None = None


@dataclass
class MapPlace:
    pk: int
    name: str
    slug: str
    status: str
    commune: str
    postcode: str
    point: geo.Point | None
    categories: list[str] = field(default_factory=list)
    distance_km: float | None = None

    @property
    def category(self) -> str:
        """The category its marker shows: the first of its own, "other" for none."""
        return self.categories[0] if self.categories else Category.Code.OTHER.value

    def category_labels(self) -> list[str]:
        return [str(Category.Code(code).label) for code in self.categories]

    def status_label(self) -> str:
        return str(Place.Status(self.status).label)


class MapForm(DirectoryForm):
    """The directory's filters and the near search (a commune or postcode, or a point)."""

    near = forms.CharField(
        label=_("Near (commune or postcode)"), required=False, max_length=120, strip=True
    )
    lat = forms.FloatField(label=_("Latitude"), required=False, min_value=-90, max_value=90)
    lon = forms.FloatField(label=_("Longitude"), required=False, min_value=-180, max_value=180)
    radius = forms.IntegerField(
        label=_("Radius (km)"),
        required=False,
        min_value=MIN_RADIUS_KM,
        max_value=MAX_RADIUS_KM,
        help_text=_("From 1 to 200 km."),
    )

    def clean(self) -> dict:
        data = super().clean() or {}
        lat, lon, near = data.get("lat"), data.get("lon"), data.get("near")
        self.near_search: Near | None = None
        if (lat is None) != (lon is None) and not self.has_error("lat"):
            if not self.has_error("lon"):
                missing = "lon" if lon is None else "lat"
                self.add_error(missing, _("Give the latitude and the longitude together."))
            return data
        radius = data.get("radius") or DEFAULT_RADIUS_KM
        if lat is not None and lon is not None:
            label = f"{lat:.4f}, {lon:.4f}"
            self.near_search = Near(geo.Point(lat, lon), radius, label)
        elif near:
            centre = commune_point(near)
            if centre is None:
                self.add_error(
                    "near",
                    forms.ValidationError(
                        _(
                            "No place of the directory is in “%(near)s”: give another "
                            "commune or postcode, or a latitude and a longitude."
                        ),
                        code="unknown_commune",
                        params={"near": near},
                    ),
                )
            else:
                self.near_search = Near(centre, radius, near)
        return data

    def directory_fields(self) -> list[forms.BoundField]:
        """The directory's filters but the commune (a list of the communes we have)."""
        names = ("q", "category", "location_type", "status", "departement", "network")
        return [self[name] for name in names]

    def near_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("near", "radius", "lat", "lon")]

    def search(self) -> Search:
        return Search(self.filters(), getattr(self, "near_search", None))


def commune_point(text: str) -> geo.Point | None:
    """The centre of a commune (or postcode) from the places we have there: no outside
    geocoder. Accents and case do not matter ("gueret" is Guéret)."""
    words = fold(text.strip())
    located = Place.objects.filter(latitude__isnull=False, longitude__isnull=False)
    found = located.alias(folded=Fold("commune")).filter(Q(folded=words) | Q(postcode=text.strip()))
    coordinates = found.values_list("latitude", "longitude")
    return geo.centroid(
        geo.Point(float(lat), float(lon))
        for lat, lon in coordinates
        if lat is not None and lon is not None
    )


def places(search: Search) -> QuerySet[Place]:
    """The filtered places, narrowed to the near search's box (its circle is cut in Python)."""
    found = filtered(search.filters)
    if search.near is not None:
        box = geo.bounding_box(search.near.centre, search.near.radius_km)
        found = found.filter(
            latitude__gte=_decimal(box.south),
            latitude__lte=_decimal(box.north),
            longitude__gte=_decimal(box.west),
            longitude__lte=_decimal(box.east),
        )
    return found


def rows(found: QuerySet[Place], near: Near | None = None) -> list[MapPlace]:
    """The places of `found` as plain rows with their categories, in two queries; with a near
    search only those within the circle, nearest first, their distance set."""
    result = [
        MapPlace(
            pk=pk,
            name=name,
            slug=slug,
            status=status,
            commune=commune,
            postcode=postcode,
            point=None if lat is None or lon is None else geo.Point(lat, lon),
        )
        for pk, name, slug, status, commune, postcode, lat, lon in found.annotate(
            # Floats straight from the database: no Decimal made and converted per row.
            lat=Cast("latitude", FloatField()),
            lon=Cast("longitude", FloatField()),
        ).values_list(*FIELDS)
    ]
    codes: dict[int, list[str]] = defaultdict(list)
    links = Place.categories.through.objects.filter(place_id__in=found.values("pk"))
    for place_id, code in links.order_by("category_id").values_list("place_id", "category__code"):
        codes[place_id].append(code)
    for row in result:
        row.categories = codes.get(row.pk, [])
    if near is None:
        return result
    for row in result:
        if row.point is not None:
            row.distance_km = geo.haversine_km(near.centre, row.point)
    within = [r for r in result if r.distance_km is not None and r.distance_km <= near.radius_km]
    return sorted(within, key=lambda r: (r.distance_km, r.name))


def _decimal(value: float) -> Decimal:
    return Decimal(str(round(value, 6)))
