"""API of places and their spaces: public reads, writes through `places.services`.

Views stay thin (parse, call a service, serialise): access checks and validation live in the
services, so the API and the web forms refuse the same things with the same messages.
Input schemas are deliberately loose (plain types, no length or range limits) so that the
model's validators speak, in the caller's language, rather than pydantic in English.
"""

from datetime import date, time
from decimal import Decimal, InvalidOperation
from typing import Annotated, Any

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import Count, Model, Prefetch, Q, QuerySet
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext
from ninja import Field, ModelSchema, Query, Router, Schema, Status
from ninja.pagination import PageNumberPagination, paginate
from pydantic import ConfigDict, WithJsonSchema, field_validator

from tierslieux.accounts.api_auth import WRITE_AUTH, current_user
from tierslieux.core.api_schemas import ErrorOut, ValidationErrorOut
from tierslieux.places import queries, services
from tierslieux.places.backoffice import capabilities
from tierslieux.places.models import Category, Network, Place, Space
from tierslieux.places.opening_hours import Exception_, Interval, to_osm

router = Router(tags=["places"])

COORDINATE = Decimal("0.000001")
MAX_PAGE = 100_000


def _choices(choices: Any) -> dict[str, Any]:
    """Document the allowed codes in OpenAPI while the model, not pydantic, validates them."""
    return {"enum": list(choices.values)}


# --- Output ---------------------------------------------------------------------------------


def _drop_titles(schema: dict[str, Any]) -> None:
    """ModelSchema titles come from verbose names, fixed in whichever language was active at
    import; field names and descriptions document the API better than a random language."""
    for prop in schema.get("properties", {}).values():
        prop.pop("title", None)


NO_TITLES = ConfigDict(json_schema_extra=_drop_titles)


READ_ERRORS: dict[int, Any] = {404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    401: ErrorOut,
    403: ErrorOut,
    404: ErrorOut,
    422: ValidationErrorOut,
}


class SpaceOut(ModelSchema):
    model_config = NO_TITLES

    equipment: list[str]

    class Meta:
        model = Space
        fields = [
            "slug",
            "name",
            "kind",
            "description",
            "surface_m2",
            "capacity",
            "units",
            "step_free_access",
            "bookable",
            "archived_at",
        ]

    @staticmethod
    def resolve_equipment(obj: Space) -> list[str]:
        return [item.name for item in obj.equipment.all()]


class TeamLineOut(Schema):
    role: str
    people: int
    fte: float


# A wall-clock time of the place, sent as "09:00:00": JSON Schema's `time` format demands an
# offset, which a time repeated every week across daylight saving time cannot carry.
LocalTime = Annotated[
    time,
    WithJsonSchema(
        {
            "type": "string",
            "pattern": r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]$",
            "description": "HH:MM:SS, the place's local time (its `timezone`)",
        }
    ),
]


class HoursOut(Schema):
    weekday: int = Field(..., description="0 = Monday … 6 = Sunday")
    opens: LocalTime
    closes: LocalTime


class OpeningExceptionOut(Schema):
    start_date: date
    end_date: date
    closed: bool
    opens: LocalTime | None
    closes: LocalTime | None
    reason: str


class PlaceSummaryOut(ModelSchema):
    model_config = NO_TITLES

    network: str
    categories: list[str]
    latitude: float | None
    longitude: float | None
    spaces_count: int

    class Meta:
        model = Place
        fields = ["slug", "name", "status", "commune", "postcode", "country", "location_type"]

    @staticmethod
    def resolve_network(obj: Place) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_categories(obj: Place) -> list[str]:
        return [category.code for category in obj.categories.all()]


def _upcoming_exceptions(place: Place) -> list[Any]:
    """Exceptions not yet over in the place's own calendar: past closures inform no one."""
    today = place.today()
    return [exc for exc in place.opening_exceptions.all() if exc.end_date >= today]


class PlaceOut(ModelSchema):
    """The full technical sheet."""

    model_config = NO_TITLES

    network: str
    categories: list[str]
    latitude: float | None
    longitude: float | None
    programme: list[str]
    team: list[TeamLineOut]
    opening_hours: list[HoursOut]
    opening_hours_osm: str = Field(..., description="OpenStreetMap `opening_hours` syntax")
    opening_exceptions: list[OpeningExceptionOut] = Field(
        ..., description="Closures and special hours that are not over yet"
    )
    spaces: list[SpaceOut]
    permissions: list[str] = Field(..., description="What the caller may do on this place")

    class Meta:
        model = Place
        exclude = ["id", "network", "categories"]

    @staticmethod
    def resolve_network(obj: Place) -> str:
        return obj.network.slug

    @staticmethod
    def resolve_categories(obj: Place) -> list[str]:
        return [category.code for category in obj.categories.all()]

    @staticmethod
    def resolve_team(obj: Place) -> list[Any]:
        return list(obj.team.all())

    @staticmethod
    def resolve_opening_hours(obj: Place) -> list[Any]:
        return list(obj.hours.all())

    @staticmethod
    def resolve_opening_hours_osm(obj: Place) -> str:
        return to_osm(
            [Interval(h.weekday, h.opens, h.closes) for h in obj.hours.all()],
            [
                Exception_(e.start_date, e.end_date, e.closed, e.opens, e.closes)
                for e in _upcoming_exceptions(obj)
            ],
        )

    @staticmethod
    def resolve_opening_exceptions(obj: Place) -> list[Any]:
        return _upcoming_exceptions(obj)

    @staticmethod
    def resolve_spaces(obj: Place) -> list[Any]:
        return list(obj.spaces.all())

    @staticmethod
    def resolve_permissions(obj: Place, context: dict[str, Any]) -> list[str]:
        user = current_user(context["request"])
        return [name for name, granted in capabilities(user, obj).items() if granted]


# --- Input ----------------------------------------------------------------------------------


class PlaceFilters(Schema):
    category: str | None = Field(None, json_schema_extra=_choices(Category.Code))
    location_type: str | None = Field(None, json_schema_extra=_choices(Place.LocationType))
    commune: str | None = Field(None, description="Exact name, case-insensitive")
    q: str | None = Field(None, description="Text in the name, commune or description")
    status: str | None = Field(None, json_schema_extra=_choices(Place.Status))


class PlacePatch(Schema):
    """Every field is optional: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    slug: str | None = None
    description: str | None = None
    status: str | None = Field(None, json_schema_extra=_choices(Place.Status))
    opening_date: date | None = None
    address: str | None = None
    postcode: str | None = None
    commune: str | None = None
    country: str | None = Field(None, json_schema_extra=_choices(Place.Country))
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    location_type: str | None = Field(None, json_schema_extra=_choices(Place.LocationType))
    timezone: str | None = Field(None, description="IANA time zone, e.g. Europe/Paris")
    surface_m2: int | None = None
    legal_form: str | None = Field(None, json_schema_extra=_choices(Place.LegalForm))
    legal_form_detail: str | None = None
    siret: str | None = None
    rna: str | None = None
    programme: list[str] | None = None
    investment_public_share: int | None = None
    investment_private_share: int | None = None
    operation_public_share: int | None = None
    operation_private_share: int | None = None
    visitors_per_year: int | None = None
    events_per_year: int | None = None
    resident_organisations: int | None = None
    email: str | None = None
    phone: str | None = None
    website: str | None = None
    categories: list[str] | None = Field(None, description="Category codes; replaces the set")

    @field_validator("latitude", "longitude")
    @classmethod
    def _six_decimals(cls, value: Decimal | None) -> Decimal | None:
        """GPS devices give more digits than stored; 6 decimals is ~10 cm, so round."""
        if value is None:
            return None
        try:
            return value.quantize(COORDINATE)
        except InvalidOperation:
            return value  # far out of range: the model's validator names the problem


class PlaceCreate(PlacePatch):
    network: str = Field(..., description="Slug of the network the place joins")
    name: str
    status: str = Field(..., json_schema_extra=_choices(Place.Status))
    postcode: str
    commune: str
    location_type: str = Field(..., json_schema_extra=_choices(Place.LocationType))
    legal_form: str = Field(..., json_schema_extra=_choices(Place.LegalForm))


class SpacePatch(Schema):
    """Every field is optional: only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = None
    slug: str | None = None
    kind: str | None = Field(None, json_schema_extra=_choices(Space.Kind))
    description: str | None = None
    surface_m2: int | None = None
    capacity: int | None = None
    units: int | None = None
    step_free_access: bool | None = None
    bookable: bool | None = None
    equipment: list[str] | None = Field(None, description="Equipment names; replaces the set")


class SpaceCreate(SpacePatch):
    name: str
    kind: str = Field(..., json_schema_extra=_choices(Space.Kind))


def _nullable(model: type[Model], name: str) -> bool:
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return False
    return bool(field.null) and not field.many_to_many


def _sent(payload: Schema, model: type[Model]) -> dict[str, Any]:
    """The fields the client sent, and only those: what PATCH changes and POST sets.

    Only a field the model may leave empty (NULL) may be sent as null; a text is emptied
    with "", a set (categories, equipment) with [].
    """
    data = payload.dict(exclude_unset=True)
    nulled = [name for name, value in data.items() if value is None and not _nullable(model, name)]
    if nulled:
        raise ValidationError({name: [gettext("This field cannot be null.")] for name in nulled})
    return data


class Pages(PageNumberPagination):
    """ninja's pages, with bounds: a page number past any real list answers 422, not 500."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=MAX_PAGE)


# --- Queries --------------------------------------------------------------------------------


def _places() -> QuerySet[Place]:
    return Place.objects.select_related("network").prefetch_related("categories")


def _sheet(**lookup: Any) -> Place:
    """One place with everything the sheet shows, in a fixed number of queries."""
    queryset = _places().prefetch_related(
        "team",
        "hours",
        "opening_exceptions",
        Prefetch("spaces", queryset=Space.objects.active().prefetch_related("equipment")),
    )
    return get_object_or_404(queryset, **lookup)


def _space(place_slug: str, space_slug: str) -> Space:
    queryset = Space.objects.select_related("place").prefetch_related("equipment")
    return get_object_or_404(queryset, place__slug=place_slug, slug=space_slug)


# --- Places ---------------------------------------------------------------------------------


@router.get("", response=list[PlaceSummaryOut], summary="List places")
@paginate(Pages, page_size=20, max_page_size=100)
def list_places(request: HttpRequest, filters: Query[PlaceFilters]) -> QuerySet[Place]:
    places = _places().annotate(
        spaces_count=Count("spaces", filter=Q(spaces__archived_at__isnull=True), distinct=True)
    )
    if filters.category:
        places = places.filter(categories__code=filters.category)
    if filters.location_type:
        places = places.filter(location_type=filters.location_type)
    if filters.commune:
        places = places.filter(commune__iexact=filters.commune.strip())
    if filters.status:
        places = places.filter(status=filters.status)
    if filters.q:
        places = queries.matching(places, filters.q)
    return places.order_by("name", "pk")


@router.post("", response={201: PlaceOut, **WRITE_ERRORS}, auth=WRITE_AUTH, summary="Create")
def create_place(request: HttpRequest, payload: PlaceCreate) -> Status[Place]:
    """Network administrators only."""
    data = _sent(payload, Place)
    network = Network.objects.filter(slug=data.pop("network")).first()
    if network is None:
        raise ValidationError({"network": [gettext("Unknown network.")]})
    place = services.create_place(actor=request.user, network=network, **data)
    return Status(201, _sheet(pk=place.pk))


@router.get("/{slug}", response={200: PlaceOut, **READ_ERRORS}, summary="Technical sheet")
def get_place(request: HttpRequest, slug: str) -> Place:
    return _sheet(slug=slug)


@router.patch("/{slug}", response={200: PlaceOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def update_place(request: HttpRequest, slug: str, payload: PlacePatch) -> Place:
    """Coordinators of the place (and its network's administrators)."""
    place = get_object_or_404(Place, slug=slug)
    place = services.update_place(actor=request.user, place=place, **_sent(payload, Place))
    return _sheet(pk=place.pk)


# --- Spaces ---------------------------------------------------------------------------------


@router.get("/{slug}/spaces", response={200: list[SpaceOut], **READ_ERRORS})
def list_spaces(request: HttpRequest, slug: str) -> QuerySet[Space]:
    """The spaces in use; archived ones are left out (`GET …/spaces/{space_slug}` still
    answers for them, with their `archived_at`)."""
    place = get_object_or_404(Place, slug=slug)
    return place.spaces.active().prefetch_related("equipment")


@router.post("/{slug}/spaces", response={201: SpaceOut, **WRITE_ERRORS}, auth=WRITE_AUTH)
def create_space(request: HttpRequest, slug: str, payload: SpaceCreate) -> Status[Space]:
    """Coordinators and staff of the place."""
    place = get_object_or_404(Place, slug=slug)
    space = services.create_space(actor=request.user, place=place, **_sent(payload, Space))
    return Status(201, _space(slug, space.slug))


@router.get("/{slug}/spaces/{space_slug}", response={200: SpaceOut, **READ_ERRORS})
def get_space(request: HttpRequest, slug: str, space_slug: str) -> Space:
    return _space(slug, space_slug)


@router.patch(
    "/{slug}/spaces/{space_slug}", response={200: SpaceOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def update_space(request: HttpRequest, slug: str, space_slug: str, payload: SpacePatch) -> Space:
    """Coordinators and staff of the place."""
    space = services.update_space(
        actor=request.user, space=_space(slug, space_slug), **_sent(payload, Space)
    )
    return _space(slug, space.slug)


class RemovalOut(Schema):
    result: services.Removal = Field(
        description="`deleted` (the space had no history) or `archived` (it has bookings, "
        "rates…: kept, out of the booking pages, restorable)."
    )
    detail: str


@router.delete(
    "/{slug}/spaces/{space_slug}", response={200: RemovalOut, **WRITE_ERRORS}, auth=WRITE_AUTH
)
def delete_space(request: HttpRequest, slug: str, space_slug: str) -> dict[str, Any]:
    """Coordinators and staff of the place. A space without history is deleted; a space with
    bookings, rates or authorisations is archived instead (never lost). Always 200 with
    `result` saying which; deleting an archived space again archives it again (no change)."""
    space = _space(slug, space_slug)
    done = services.delete_space(actor=request.user, space=space)
    if done is services.Removal.DELETED:
        detail = gettext("The space “%(name)s” is deleted.")
    else:
        detail = gettext("The space “%(name)s” has bookings or rates: it is archived, not deleted.")
    return {"result": done, "detail": detail % {"name": space.name}}


@router.post(
    "/{slug}/spaces/{space_slug}/restore",
    response={200: SpaceOut, **WRITE_ERRORS},
    auth=WRITE_AUTH,
)
def restore_space(request: HttpRequest, slug: str, space_slug: str) -> Space:
    """Coordinators and staff of the place: an archived space comes back to the booking pages."""
    services.restore_space(actor=request.user, space=_space(slug, space_slug))
    return _space(slug, space_slug)
