"""Reading an uploaded census file into rows of text, or refusing it with the line and why.

CSV: UTF-8 (a byte-order mark is dropped), the mapping's delimiter (`;` for the national
census, `,` for the open-data CSV), quoted fields may hold the delimiter and line breaks;
empty lines are skipped. A row is numbered by the line it starts on, as a spreadsheet shows.
JSON: GoGoCarto's `{"data": [...]}` or a bare list of elements; nested objects are flattened
to dotted keys (`geo.latitude`, `address.postalCode`), lists joined with `;` (a category
given as an object gives its `name`). An element is numbered by its rank, from 1."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MULTI_SEPARATOR = ";"


class Malformed(ValueError):
    """The file cannot be read: `line` (0 when the whole file) and a reason for people."""

    def __init__(self, line: int, reason: str) -> None:
        super().__init__(f"{line}: {reason}")
        self.line = line
        self.reason = reason


@dataclass(frozen=True)
class Row:
    line: int
    values: dict[str, str]


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]
    rows: list[Row] = field(default_factory=list)


def _text(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise Malformed(
            line,
            _("the file is not in UTF-8 (byte %(byte)s): save it again as “CSV UTF-8”.")
            % {"byte": f"0x{data[error.start]:02x}"},
        ) from None


def read_csv(data: bytes, delimiter: str = ";") -> Table:
    """The rows of a CSV file; a file with another delimiter, a row with more or fewer fields
    than the header, or a broken quote is refused with its line."""
    text = _text(data)
    if "\x00" in text:
        raise Malformed(0, _("the file holds binary data: it is not a CSV file."))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[Row] = []
    header: list[str] | None = None
    start = 1
    try:
        for record in reader:
            line, start = start, reader.line_num + 1
            if not any(cell.strip() for cell in record):
                continue
            if header is None:
                header = [cell.strip() for cell in record]
                _check_header(header, line, delimiter)
                continue
            if len(record) != len(header):
                raise Malformed(
                    line,
                    ngettext(
                        "%(found)s field where the header has %(expected)s.",
                        "%(found)s fields where the header has %(expected)s.",
                        len(record),
                    )
                    % {"found": len(record), "expected": len(header)},
                )
            rows.append(Row(line, dict(zip(header, (c.strip() for c in record), strict=True))))
    except csv.Error as error:
        raise Malformed(start, _("unreadable CSV: %(error)s.") % {"error": error}) from None
    if header is None:
        raise Malformed(0, _("the file is empty."))
    return Table(tuple(header), rows)


def _check_header(header: list[str], line: int, delimiter: str) -> None:
    if len(header) == 1:
        others = [d for d in ";,\t|" if d != delimiter and d in header[0]]
        if others:
            raise Malformed(
                line,
                _("the columns are separated by “%(found)s”, this source expects “%(expected)s”.")
                % {"found": others[0].replace("\t", "tab"), "expected": delimiter},
            )
    seen: set[str] = set()
    for name in header:
        if name and name in seen:
            raise Malformed(line, _("the column “%(name)s” appears twice.") % {"name": name})
        seen.add(name)


def _flatten(value: Any, prefix: str, out: dict[str, str]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _flatten(inner, f"{prefix}.{key}" if prefix else str(key), out)
    elif isinstance(value, list):
        items = (v.get("name", "") if isinstance(v, dict) else v for v in value)
        out[prefix] = MULTI_SEPARATOR.join(_scalar(v) for v in items if _scalar(v))
    else:
        out[prefix] = _scalar(value)


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return str(value).strip()


def _elements(document: Any) -> Iterator[tuple[int, Any]]:
    if isinstance(document, dict) and isinstance(document.get("data"), list):
        document = document["data"]
    if not isinstance(document, list):
        raise Malformed(0, _('the JSON holds neither a list of elements nor {"data": […]}.'))
    yield from enumerate(document, start=1)


def read_json(data: bytes) -> Table:
    """The elements of a GoGoCarto export; malformed JSON is refused with its line."""
    text = _text(data)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise Malformed(
            error.lineno,
            _("malformed JSON: %(error)s (column %(col)s).")
            % {"error": error.msg, "col": error.colno},
        ) from None
    rows: list[Row] = []
    columns: dict[str, None] = {}
    for number, element in _elements(document):
        if not isinstance(element, dict):
            raise Malformed(number, _("element %(n)s is not an object.") % {"n": number})
        values: dict[str, str] = {}
        _flatten(element, "", values)
        columns.update(dict.fromkeys(values))
        rows.append(Row(number, values))
    return Table(tuple(columns), rows)


def read(data: bytes, file_format: str, delimiter: str = ";") -> Table:
    if file_format == "json":
        return read_json(data)
    return read_csv(data, delimiter)
