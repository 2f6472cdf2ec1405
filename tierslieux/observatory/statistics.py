"""A network's statistics "like the Lille study": its places per category and status, surfaces
and seats, location types, legal forms, funding shares, opening years, per territory.

Every table is read by one or a few GROUP BY statements over the network's places, never a
statement per place: at 5,000 places (the national census's size) the page stays under
300 ms. Medians come from histograms the database counts (a surface or a share per value with
its number of places), so no place's row is fetched. The figures of the places that run on
tierslieux (members, bookings, revenue…) are `figures.py`'s.

Territories (département, EPCI, commune) are `territory.py`'s; the EPCI of a place comes from
the communes reference (`places/communes.py`), by its postcode and commune.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, F, QuerySet, Sum
from django.db.models.functions import ExtractYear, Substr
from django.utils.translation import gettext as _

from tierslieux.activity import periods
from tierslieux.observatory.territory import BadParameter as BadParameter
from tierslieux.observatory.territory import Territory, departement
from tierslieux.observatory.territory import parse_territory as parse_territory
from tierslieux.places import communes
from tierslieux.places.models import Category, Network, Place, Space
from tierslieux.places.queries import in_network

Cell = str | int | Decimal | None
SECRET_MIN = 3  # "secret statistique": a figure built from fewer places is not shown
FIRST_YEAR = 1990  # the period selector's earliest year


@dataclass(frozen=True)
class Period:
    """Twelve months up to `last`'s month: the last twelve (this month included) or a year."""

    first: date
    last: date
    year: int | None = None
    months: int = 12


def parse_period(value: str | None, today: date) -> Period:
    """ "" or "12m": the last twelve months; a year from 1990 to this one."""
    value = (value or "").strip()
    if value in ("", "12m"):
        return Period(periods.add_months(today.replace(day=1), -11), today)
    if not (value.isdigit() and len(value) == 4 and FIRST_YEAR <= int(value) <= today.year):
        raise BadParameter(
            "period",
            _("The period must be “12m” or a year from %(first)s to %(last)s.")
            % {"first": FIRST_YEAR, "last": today.year},
        )
    year = int(value)
    return Period(date(year, 1, 1), date(year, 12, 31), year)


@dataclass
class Table:
    """One table of the page: its chart, its data table and its CSV (same rows)."""

    key: str
    title: str
    headers: list[str]
    rows: list[list[Cell]]
    chart: str = "bar"  # "bar", "donut" or "" (no chart)
    note: str = ""
    chart_column: int = 1  # the column the chart draws (labels are column 0)
    blank: str = "—"  # what an empty cell shows: not declared, or secret

    def series(self) -> list[tuple[str, Decimal]]:
        """(label, value) pairs of the chart: rows whose value is shown and positive."""
        out = []
        for row in self.rows:
            value = row[self.chart_column]
            if isinstance(value, int | Decimal) and value > 0:
                out.append((str(row[0]), Decimal(value)))
        return out


@dataclass
class Statistics:
    network: Network
    territory: Territory
    places: int
    tables: list[Table] = field(default_factory=list)


def share(part: int | Decimal, whole: int | Decimal) -> Decimal | None:
    """A percentage with one decimal, or None of nothing."""
    if not whole:
        return None
    value = Decimal(part) * 100 / Decimal(whole)
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def median(histogram: Iterable[tuple[int | Decimal, int]]) -> Decimal | None:
    """The median of values given as (value, how many); None of none."""
    pairs = sorted((Decimal(v), n) for v, n in histogram if v is not None and n > 0)
    total = sum(n for _v, n in pairs)
    if not total:
        return None
    wanted = [(total - 1) // 2, total // 2]
    found: list[Decimal] = []
    seen = 0
    for value, n in pairs:
        while wanted and wanted[0] < seen + n:
            found.append(value)
            wanted.pop(0)
        seen += n
    return ((found[0] + found[1]) / 2).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def mean(histogram: Iterable[tuple[int | Decimal, int]]) -> Decimal | None:
    pairs = [(Decimal(v), n) for v, n in histogram if v is not None]
    count = sum(n for _v, n in pairs)
    if not count:
        return None
    total = sum((v * n for v, n in pairs), Decimal(0))
    return (total / count).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def places_of(network: Network, territory: Territory) -> QuerySet[Place]:
    return Place.objects.filter(in_network(network)).filter(territory.filter()).order_by()


def _histogram(places: QuerySet[Place], column: str) -> list[tuple[int, int]]:
    """(value, number of places) of one sheet column, declared values only (one statement)."""
    rows = (
        places.filter(**{f"{column}__isnull": False})
        .values_list(column)
        .annotate(n=Count("id"))
        .values_list(column, "n")
    )
    return list(rows)


def _counted(
    key: str, title: str, counts: Counter[str], labels: Callable[[str], str], total: int
) -> Table:
    rows: list[list[Cell]] = [
        [labels(value), n, share(n, total)] for value, n in counts.most_common() if n
    ]
    return Table(key, title, [_("Value"), _("Places"), _("Share (%)")], rows)


def _label(choices: type) -> Callable[[str], str]:
    names = dict(choices.choices)  # type: ignore[attr-defined]
    return lambda value: str(names.get(value, value or _("Not stated")))


def _sheet_tables(places: QuerySet[Place], total: int) -> list[Table]:
    """Status, location types, legal forms, opening years: one GROUP BY on the four columns."""
    rows = (
        places.annotate(year=ExtractYear("opening_date"))
        .values_list("status", "location_type", "legal_form", "year")
        .annotate(n=Count("id"))
    )
    status: Counter[str] = Counter()
    location: Counter[str] = Counter()
    legal: Counter[str] = Counter()
    years: Counter[int | None] = Counter()
    for st, loc, form, year, n in rows:
        status[st] += n
        location[loc] += n
        legal[form] += n
        years[year] += n
    status_table = _counted("status", _("Places by status"), status, _label(Place.Status), total)
    status_table.chart = "donut"
    year_rows: list[list[Cell]] = [
        [str(year), years[year]] for year in sorted(y for y in years if y is not None)
    ]
    if years[None]:
        year_rows.append([_("Not stated"), years[None]])
    return [
        status_table,
        _counted("location", _("Location types"), location, _label(Place.LocationType), total),
        _counted("legal_form", _("Legal forms"), legal, _label(Place.LegalForm), total),
        Table("opening_years", _("Opening years"), [_("Year"), _("Places")], year_rows),
    ]


def _categories(places: QuerySet[Place], total: int) -> Table:
    """Places per category and status (one statement); a place may have several categories."""
    through = Place.categories.through.objects.filter(place__in=places.values("pk"))
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for code, status, n in (
        through.values_list("category__code", "place__status")
        .annotate(n=Count("place_id"))
        .order_by()
    ):
        counts[code][status] += n
    names = dict(Category.Code.choices)
    rows: list[list[Cell]] = []
    for code in sorted(counts, key=lambda c: -sum(counts[c].values())):
        n = sum(counts[code].values())
        rows.append(
            [
                str(names.get(code, code)),
                n,
                counts[code][Place.Status.OPEN],
                counts[code][Place.Status.PROJECT],
                share(n, total),
            ]
        )
    return Table(
        "categories",
        _("Places per category"),
        [_("Category"), _("Places"), _("Open"), _("In project"), _("Share of places (%)")],
        rows,
        note=_("A place may belong to several categories: the shares do not add up to 100 %."),
    )


def _surfaces(places: QuerySet[Place]) -> Table:
    """Declared surfaces (histogram) and seats: the capacity × units of the places' spaces in
    use, summed per place in the database (one statement each)."""
    surfaces = _histogram(places, "surface_m2")
    seats = list(
        Space.objects.filter(place__in=places.values("pk"), archived_at__isnull=True)
        .values("place_id")
        .annotate(seats=Sum(F("capacity") * F("units")))
        .order_by()
        .values_list("seats", flat=True)
    )
    seat_pairs = list(Counter(seats).items())
    rows: list[list[Cell]] = [
        [
            _("Surface (m²)"),
            sum(n for _v, n in surfaces),
            sum(v * n for v, n in surfaces),
            median(surfaces),
            mean(surfaces),
        ],
        [_("Seats (people)"), len(seats), sum(seats), median(seat_pairs), mean(seat_pairs)],
    ]
    return Table(
        "surfaces",
        _("Surfaces and seats"),
        [_("Figure"), _("Places declaring it"), _("Total"), _("Median"), _("Mean")],
        rows,
        chart="",
        note=_(
            "Surfaces as the technical sheets declare them; seats: the capacity of the "
            "spaces in use times their identical units."
        ),
    )


def _fundings(places: QuerySet[Place]) -> Table:
    """Declared public shares of investment and operation (a histogram each)."""
    rows: list[list[Cell]] = []
    for column, label in (
        ("investment_public_share", _("Investment")),
        ("operation_public_share", _("Operation")),
    ):
        histogram = _histogram(places, column)
        average = mean(histogram)
        rows.append(
            [
                label,
                sum(n for _v, n in histogram),
                average,
                None if average is None else Decimal(100) - average,
                median(histogram),
            ]
        )
    return Table(
        "fundings",
        _("Public and private funding shares"),
        [
            _("Budget"),
            _("Places declaring it"),
            _("Public share, mean (%)"),
            _("Private share, mean (%)"),
            _("Public share, median (%)"),
        ],
        rows,
        chart_column=2,
        note=_("The shares the technical sheets declare, each place counting once."),
    )


def _territories(places: QuerySet[Place], total: int) -> list[Table]:
    """Départements (from the postcode's first three characters) and the largest communes."""
    by_code: dict[str, Counter[str]] = defaultdict(Counter)
    for country, prefix, status, n in (
        places.annotate(prefix=Substr("postcode", 1, 3))
        .values_list("country", "prefix", "status")
        .annotate(n=Count("id"))
    ):
        by_code[departement(prefix, country) or _("Unknown")][status] += n
    rows: list[list[Cell]] = []
    for code in sorted(by_code):
        n = sum(by_code[code].values())
        rows.append([code, n, by_code[code][Place.Status.OPEN], share(n, total)])
    communes = (
        places.values_list("commune", "country")
        .annotate(n=Count("id"))
        .order_by("-n", "commune")[:20]
    )
    commune_rows: list[list[Cell]] = [
        [commune if country == "FR" else f"{commune} ({country})", n, share(n, total)]
        for commune, country, n in communes
    ]
    return [
        Table(
            "departements",
            _("Places per département"),
            [_("Département"), _("Places"), _("Open"), _("Share (%)")],
            rows,
            note=_(
                "From the postcode: Corsica is 2A or 2B, overseas départements have three "
                "digits, places outside France count under their country."
            ),
        ),
        Table(
            "communes",
            _("The 20 communes with the most places"),
            [_("Commune"), _("Places"), _("Share (%)")],
            commune_rows,
        ),
    ]


OUTSIDE_ANY, UNKNOWN, ABROAD = "", "?", "abroad"  # the per-EPCI table's rows that are no EPCI
MAX_EPCI_CHART = 25


def _epci_key(country: str, postcode: str, commune: str) -> str:
    """The SIREN of the place's EPCI, or why it has none."""
    if country != "FR":
        return ABROAD
    sirens = {c.epci for c in communes.communes_for(postcode, commune)}
    return sirens.pop() if len(sirens) == 1 else UNKNOWN


def _epcis(places: QuerySet[Place], total: int) -> Table:
    """Places per EPCI: one GROUP BY on (country, postcode, commune, status), each pair looked
    up in the communes reference (a dict look-up)."""
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for country, postcode, commune, status, n in places.values_list(
        "country", "postcode", "commune", "status"
    ).annotate(n=Count("id")):
        counts[_epci_key(country, postcode, commune)][status] += n
    ref = communes.reference()
    special = {
        OUTSIDE_ANY: _("Commune outside any EPCI"),
        UNKNOWN: _("Commune unknown to the reference"),
        ABROAD: _("Outside France"),
    }
    order = sorted(
        (k for k in counts if k not in special),
        key=lambda k: (-sum(counts[k].values()), ref.epcis[k].name),
    ) + [k for k in special if k in counts]
    rows: list[list[Cell]] = []
    for key in order:
        n = sum(counts[key].values())
        name = special[key] if key in special else ref.epcis[key].name
        siren = key if key in ref.epcis else ""
        rows.append([name, siren, n, counts[key][Place.Status.OPEN], share(n, total)])
    return Table(
        "epcis",
        _("Places per EPCI"),
        [_("EPCI"), _("SIREN"), _("Places"), _("Open"), _("Share (%)")],
        rows,
        chart="bar" if len(rows) <= MAX_EPCI_CHART else "",
        chart_column=2,
        note=_(
            "The EPCI (intercommunality) of the commune the place gives, found in the "
            "%(year)s reference by its postcode and name; “unknown to the reference”: a "
            "name that is none of the postcode’s communes."
        )
        % {"year": communes.VINTAGE},
    )


def network_statistics(network: Network, territory: Territory) -> Statistics:
    """The census tables of the network's places in the territory (about ten statements)."""
    places = places_of(network, territory)
    total = places.count()
    stats = Statistics(network, territory, total)
    if not total:
        return stats
    sheet = _sheet_tables(places, total)
    stats.tables = [
        _categories(places, total),
        *sheet[:1],
        _surfaces(places),
        *sheet[1:3],
        _fundings(places),
        sheet[3],
        *_territories(places, total),
    ]
    if not (territory.epci or territory.commune):
        stats.tables.insert(-1, _epcis(places, total))
    return stats
