"""A scenario's data written as TOML, for the "advanced" edit and the command's files
(Python reads TOML, `tomllib`, but does not write it). Pure.

The shape is the scenario's: top-level scalars, then lists of tables (`[[revenue]]`) whose
values are scalars or small inline tables (`ramp = { months = 12, shape = "s" }`). Strings
are written as JSON strings, which are valid TOML basic strings."""

from __future__ import annotations

import json
import math
import re
from typing import Any

BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


def _key(key: str) -> str:
    return key if BARE_KEY.match(key) else json.dumps(key, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(value)
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, dict):
        inner = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    if isinstance(value, list):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise TypeError(type(value).__name__)


def dumps(data: dict[str, Any]) -> str:
    """TOML text that `tomllib.loads` reads back to `data` (floats that are whole numbers
    come back as integers, which the scenario reads the same)."""
    head, tables = [], []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            for item in value:
                tables.append(f"\n[[{_key(key)}]]")
                tables += [f"{_key(k)} = {_value(v)}" for k, v in item.items()]
        else:
            head.append(f"{_key(key)} = {_value(value)}")
    return "\n".join(head + tables) + "\n"
