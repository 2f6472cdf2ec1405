"""A counter's CSV, read (pure)."""

from __future__ import annotations

from datetime import date

import pytest

from tierslieux.activity.counts_csv import parse, parse_day

pytestmark = pytest.mark.pure


def test_french_and_iso_dates():
    assert parse_day("02/03/2026") == date(2026, 3, 2)
    assert parse_day("2/3/2026 08:00") == date(2026, 3, 2)
    assert parse_day("2026-03-02") == date(2026, 3, 2)
    assert parse_day("2026-03-02T00:00:00") == date(2026, 3, 2)
    assert parse_day("31/02/2026") is None
    assert parse_day("mars") is None


def test_header_names_the_columns_in_any_order():
    text = "Entrées;Jour;Remarque\n120;02/03/2026;x\n1 204;2026-03-03;\n"
    parsed = parse(text, 10_000)
    assert parsed.errors == []
    assert parsed.rows == [(date(2026, 3, 2), 120, 2), (date(2026, 3, 3), 1204, 3)]


def test_no_header_reads_the_first_two_columns():
    parsed = parse("2026-03-02,5\n2026-03-03,7\n", 1000)
    assert [(d.day, n) for d, n, _ in parsed.rows] == [(2, 5), (3, 7)]


def test_bad_rows_are_named_by_line():
    text = "date,count\n2026-03-02,5\n2026-13-01,4\n2026-03-04,beaucoup\n2026-03-02,6\n2026-03-05\n"
    parsed = parse(text, 1000)
    assert [line for line, _ in parsed.errors] == [3, 4, 5, 6]
    assert "2026-13-01" in parsed.errors[0][1]
    assert "beaucoup" in parsed.errors[1][1]
    assert "2" in parsed.errors[2][1]  # the day is already on line 2


def test_a_count_beyond_the_limit_and_an_unknown_header():
    assert parse("date,count\n2026-03-02,5000\n", 1000).errors[0][0] == 2
    assert parse("quand,combien\n2026-03-02,5\n", 1000).errors[0][0] == 1
    assert parse("\n\n", 1000).errors[0][0] == 0
