"""French national public holidays (jours fériés), computed rather than stored.

Pure: no ORM, no settings. Only the 11 national holidays; local ones (Alsace-Moselle's Good
Friday and Saint-Étienne, the overseas abolition-of-slavery days) are for the caller to add
as closures, because they depend on where the place is.
"""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.easter import easter


def french_public_holidays(year: int) -> dict[date, str]:
    """The national holidays of `year`, by date, in date order.

    Easter-based ones move every year, hence computed. When two fall on the same day
    (Ascension on 1 or 8 May, as in 2008), their names are joined so neither is lost.
    """
    paques = easter(year)
    named = [
        (date(year, 1, 1), "Jour de l'an"),
        (paques + timedelta(days=1), "Lundi de Pâques"),
        (date(year, 5, 1), "Fête du travail"),
        (date(year, 5, 8), "Victoire 1945"),
        (paques + timedelta(days=39), "Ascension"),
        (paques + timedelta(days=50), "Lundi de Pentecôte"),
        (date(year, 7, 14), "Fête nationale"),
        (date(year, 8, 15), "Assomption"),
        (date(year, 11, 1), "Toussaint"),
        (date(year, 11, 11), "Armistice"),
        (date(year, 12, 25), "Noël"),
    ]
    days: dict[date, str] = {}
    for day, name in sorted(named, key=lambda item: item[0]):  # stable: ties keep list order
        days[day] = f"{days[day]} / {name}" if day in days else name
    return days


def holidays_between(start: date, end: date) -> dict[date, str]:
    """The national holidays from `start` to `end`, both included (like `opening_windows`)."""
    return {
        day: name
        for year in range(start.year, end.year + 1)
        for day, name in french_public_holidays(year).items()
        if start <= day <= end
    }
