"""The periods of the impact indicators: a calendar year or a quarter, read in each place's
time zone where it matters (a session, a check-in, a booking are instants; a footfall day, a
subscription, an invoice are dates). Pure: the months are `activity.periods`'."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from tierslieux.activity import periods

FIRST_YEAR = 1990
_PATTERN = re.compile(r"^(\d{4})(?:-[QT]([1-4]))?$")


@dataclass(frozen=True)
class Period:
    """A calendar year (`quarter` None) or one of its quarters (1 to 4)."""

    year: int
    quarter: int | None = None

    def __post_init__(self) -> None:
        if self.quarter is not None and not 1 <= self.quarter <= 4:
            raise ValueError(f"quarter {self.quarter} is not 1 to 4")

    @property
    def months(self) -> int:
        return 12 if self.quarter is None else 3

    @property
    def first(self) -> date:
        """The first day, a local date (included)."""
        return date(self.year, 1 if self.quarter is None else 3 * self.quarter - 2, 1)

    @property
    def last(self) -> date:
        """The last day, a local date (included)."""
        following = periods.add_months(self.first, self.months)
        return date.fromordinal(following.toordinal() - 1)

    def month_list(self, tz: ZoneInfo) -> list[periods.Month]:
        """The period's months with their UTC bounds at `tz`'s midnights."""
        return periods.months_ending(self.last, self.months, tz)

    def bounds(self, tz: ZoneInfo) -> tuple[datetime, datetime]:
        """[start, end) in UTC: from the first day's midnight to the midnight after the last
        day, at `tz` (so a DST change or an overseas place shifts them, as it should)."""
        months = self.month_list(tz)
        return months[0].start, months[-1].end

    def code(self) -> str:
        """ "2025" or "2025-Q1": the period written as `parse` reads it."""
        return str(self.year) if self.quarter is None else f"{self.year}-Q{self.quarter}"


def parse(text: str) -> Period:
    """ "2025", "2025-Q1" or "2025-T1" (French "trimestre") into a period; ValueError else."""
    found = _PATTERN.match(text.strip())
    if not found or int(found.group(1)) < FIRST_YEAR:
        raise ValueError(f"{text!r} is neither a year (2025) nor a quarter (2025-Q1)")
    quarter = found.group(2)
    return Period(int(found.group(1)), int(quarter) if quarter else None)


def zone_bounds(timezones: set[str], period: Period) -> dict[str, tuple[datetime, datetime]]:
    """The period's UTC bounds for each time zone of the places at hand (a handful)."""
    return {tz: period.bounds(ZoneInfo(tz)) for tz in sorted(timezones)}
