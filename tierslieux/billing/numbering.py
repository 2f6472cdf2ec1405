"""How an issued invoice's number reads (pure; see docs/algorithms/numbering.md)."""

from __future__ import annotations

WIDTH = 6


def format_number(prefix: str, sequence_number: int) -> str:
    """`F-000123`: the prefix, a hyphen, the place's sequence number on six digits at least
    (so numbers sort as text up to 999,999, and still read past it)."""
    if sequence_number < 1:
        raise ValueError("sequence numbers start at 1")
    return f"{prefix}-{sequence_number:0{WIDTH}d}"
