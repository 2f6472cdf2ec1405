"""A source's mapping file, and one row turned into the values of a technical sheet.

A mapping (`observatory/mappings/<name>.toml`, read with tomllib) says, after the ANCT
mednum importer's per-source configuration:

- `name`, `label`, `format` ("csv" or "json") and `delimiter`;
- `[identifier]`: the `column` holding the source's id, its `scheme` (the register an
  `ExternalId` keeps it under; empty when the id is our own slug), `match_slug` (a line whose
  id is a place's slug is that place) and `slug_from_id` (a created place takes the id as
  its slug);
- `[columns]`: sheet field = column, or a list of columns (the first non-empty wins);
  `pivot` is the open-data CSV's SIRET-or-RNA column;
- `[values.<field>]`: source value = our code, for `status`, `legal_form`, `location_type`,
  `country` and `categories` (each of the `;`-separated values); `"*"` is the code of a value
  the map does not know (a warning on the line), `""` the code of an empty cell; a code
  starting with `!` rejects the line (the census's "fermé");
- `[defaults]`: what a created place takes for the fields the file does not give (our sheet
  requires a status, a legal form and a location type; the census's identity module has no
  location type); `quiet`: the fields whose `"*"` is expected (no warning).

Values are compared after folding (case, accents, spaces). A blank cell never erases what a
sheet says: census modules leave many cells empty that a network has filled in."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tierslieux.core.search import fold
from tierslieux.core.validators import validate_postcode
from tierslieux.observatory.census import CoordinateProblem, check_coordinates
from tierslieux.observatory.importing.reading import MULTI_SEPARATOR, Row

MAPPINGS_DIR = Path(__file__).resolve().parent.parent / "mappings"

TEXT: tuple[str, ...] = (
    "name",
    "description",
    "address",
    "postcode",
    "commune",
    "email",
    "phone",
    "website",
)
TEXT += ("siret", "rna", "legal_form_detail")
DECIMALS = ("latitude", "longitude")
INTEGERS = ("surface_m2", "visitors_per_year", "events_per_year", "resident_organisations")
CHOICES = ("status", "legal_form", "location_type", "country")
SHEET_FIELDS = frozenset((*TEXT, *DECIMALS, *INTEGERS, *CHOICES, "opening_date"))
MAPPED = SHEET_FIELDS | {"categories", "pivot"}
REQUIRED = ("name", "postcode", "commune")
SIX_PLACES = Decimal("0.000001")
_DATE_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d/%m/%y")


class MappingError(ValueError):
    """A mapping file that cannot be used (a developer's error, shown as is)."""


@dataclass(frozen=True)
class Mapping:
    name: str
    label: str
    file_format: str = "csv"
    delimiter: str = ";"
    id_column: str = ""
    scheme: str = ""
    match_slug: bool = False
    slug_from_id: bool = False
    columns: dict[str, tuple[str, ...]] = field(default_factory=dict)
    values: dict[str, dict[str, str]] = field(default_factory=dict)
    defaults: dict[str, Any] = field(default_factory=dict)
    quiet: frozenset[str] = frozenset()

    def required_columns(self) -> list[str]:
        """Columns a file of this source must have (else it is the wrong file)."""
        wanted = [self.columns[f][0] for f in ("name",) if f in self.columns]
        return [self.id_column, *wanted] if self.id_column else wanted


def key(value: str) -> str:
    """How a source's value is compared with a map's keys."""
    return " ".join(fold(value).split())


def parse(text: str, name: str) -> Mapping:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise MappingError(f"{name}: {error}") from None
    identifier = data.get("identifier", {})
    columns = {
        f: (c,) if isinstance(c, str) else tuple(c) for f, c in data.get("columns", {}).items()
    }
    unknown = set(columns) - MAPPED
    if unknown or "name" not in columns:
        raise MappingError(f"{name}: unknown fields {sorted(unknown)} or no name column")
    values = {f: {key(k): v for k, v in m.items()} for f, m in data.get("values", {}).items()}
    return Mapping(
        name=data.get("name", name),
        label=data.get("label", name),
        file_format=data.get("format", "csv"),
        delimiter=data.get("delimiter", ";"),
        id_column=identifier.get("column", ""),
        scheme=identifier.get("scheme", ""),
        match_slug=bool(identifier.get("match_slug", False)),
        slug_from_id=bool(identifier.get("slug_from_id", False)),
        columns=columns,
        values=values,
        defaults=dict(data.get("defaults", {})),
        quiet=frozenset(data.get("quiet", ())),
    )


def available() -> dict[str, Mapping]:
    """The shipped mappings by name (the upload form's choices)."""
    found = {}
    for path in sorted(MAPPINGS_DIR.glob("*.toml")):
        mapping = parse(path.read_text(encoding="utf-8"), path.stem)
        found[mapping.name] = mapping
    return found


@dataclass
class Converted:
    """A row as sheet values: `fields` holds the non-blank ones, `categories` None when the
    source has no category column (or the cell is blank)."""

    line: int
    ident: str = ""
    fields: dict[str, Any] = field(default_factory=dict)
    categories: tuple[str, ...] | None = None
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return str(self.fields.get("name", ""))


def _cell(mapping: Mapping, row: Row, sheet_field: str) -> str:
    for column in mapping.columns.get(sheet_field, ()):
        value = row.values.get(column, "").strip()
        if value:
            return value
    return ""


def parse_decimal(text: str) -> Decimal:
    """`49,438538`, `49.438538`, `1 200,5`: the census writes a decimal comma."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", text).replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(text) from None
    if not number.is_finite():
        raise ValueError(text)
    return number


def parse_date(text: str) -> date:
    """ISO, French (`15/03/2019`), or a year alone (the 1st of January of that year)."""
    text = text.strip()
    if re.fullmatch(r"\d{4}", text):
        return date(int(text), 1, 1)
    for pattern in _DATE_FORMATS:
        try:
            parsed = datetime.strptime(text[:10] if pattern == "%Y-%m-%d" else text, pattern)  # noqa: DTZ007 (a date, no time)
            return parsed.date()
        except ValueError:
            continue
    raise ValueError(text)


def _number(out: Converted, sheet_field: str, text: str, integer: bool) -> None:
    try:
        number = parse_decimal(text)
        if integer and (number != number.to_integral_value() or number < 0):
            raise ValueError(text)
    except ValueError:
        what = _("a whole number") if integer else _("a number")
        out.reasons.append(
            _("%(field)s: “%(value)s” is not %(what)s.")
            % {"field": sheet_field, "value": text, "what": what}
        )
        return
    out.fields[sheet_field] = int(number) if integer else number.quantize(SIX_PLACES, ROUND_HALF_UP)


def _code(mapping: Mapping, out: Converted, sheet_field: str, text: str) -> str | None:
    table = mapping.values.get(sheet_field)
    if table is None:
        return text
    folded = key(text)
    code = table.get(folded)
    if code is None:
        code = table.get("*")
        if code is None:
            out.reasons.append(
                _("%(field)s: “%(value)s” is not a known value.")
                % {"field": sheet_field, "value": text}
            )
            return None
        if sheet_field not in mapping.quiet:
            out.warnings.append(
                _("%(field)s: “%(value)s” is unknown, taken as “%(code)s”.")
                % {"field": sheet_field, "value": text, "code": code}
            )
    if code.startswith("!"):
        out.reasons.append(
            _("%(field)s: the source says “%(value)s”: not imported.")
            % {"field": sheet_field, "value": text}
        )
        return None
    return code


def _choice(mapping: Mapping, out: Converted, sheet_field: str, text: str) -> None:
    if text:
        code = _code(mapping, out, sheet_field, text)
    else:
        code = mapping.values.get(sheet_field, {}).get("")
    if code:
        out.fields[sheet_field] = code


def _categories(mapping: Mapping, out: Converted, text: str) -> None:
    codes: list[str] = []
    for part in text.split(MULTI_SEPARATOR):
        if part.strip():
            code = _code(mapping, out, "categories", part.strip())
            if code:
                codes.append(code)
    out.categories = tuple(sorted(set(codes))) if codes else None


def _pivot(out: Converted, text: str) -> None:
    compact = text.replace(" ", "")
    out.fields["rna" if compact[:1].upper() == "W" else "siret"] = compact


def convert(mapping: Mapping, row: Row) -> Converted:
    """The row's sheet values, the reasons that reject it and the warnings it carries."""
    out = Converted(line=row.line, ident=row.values.get(mapping.id_column, "").strip())
    for sheet_field in mapping.columns:
        text = _cell(mapping, row, sheet_field)
        if sheet_field == "categories":
            if text:
                _categories(mapping, out, text)
        elif sheet_field in CHOICES:
            _choice(mapping, out, sheet_field, text)
        elif not text:
            continue
        elif sheet_field == "pivot":
            _pivot(out, text)
        elif sheet_field in DECIMALS or sheet_field in INTEGERS:
            _number(out, sheet_field, text, integer=sheet_field in INTEGERS)
        elif sheet_field == "opening_date":
            try:
                out.fields[sheet_field] = parse_date(text)
            except ValueError:
                out.reasons.append(_("opening date: “%(value)s” is not a date.") % {"value": text})
        elif sheet_field == "description":
            out.fields[sheet_field] = text
        elif sheet_field == "website" and not re.match(r"^[a-z][a-z0-9+.-]*://", text, re.I):
            out.fields[sheet_field] = "https://" + text  # the census writes www.example.fr
        else:
            out.fields[sheet_field] = " ".join(text.split())
    _check(out, mapping)
    return out


def _check(out: Converted, mapping: Mapping) -> None:
    labels = {"name": _("name"), "postcode": _("postcode"), "commune": _("commune")}
    for required in REQUIRED:
        if not out.fields.get(required):
            out.reasons.append(_("%(field)s missing.") % {"field": labels[required]})
    country = out.fields.get("country") or mapping.defaults.get("country", "FR")
    postcode = out.fields.get("postcode")
    if postcode and country == "FR" and re.fullmatch(r"\d{4}", postcode):
        # A spreadsheet drops the leading zero of Ain's or Aisne's postcodes.
        out.fields["postcode"] = postcode = postcode.zfill(5)
    if postcode:
        try:
            validate_postcode(postcode, country)
        except ValidationError as error:
            out.reasons.extend(error.messages)
    problem = check_coordinates(
        _float(out.fields.get("latitude")), _float(out.fields.get("longitude")), country
    )
    if problem is not None:
        out.reasons.append(COORDINATE_REASONS[problem]())


def _float(value: Any) -> float | None:
    return None if value is None else float(value)


COORDINATE_REASONS = {
    CoordinateProblem.INCOMPLETE: lambda: _("a latitude without a longitude, or the reverse."),
    CoordinateProblem.SWAPPED: lambda: _("latitude and longitude are swapped."),
    CoordinateProblem.OUTSIDE: lambda: _("the coordinates are outside the country."),
}
