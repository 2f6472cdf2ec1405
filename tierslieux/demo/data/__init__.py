"""Demo network data: the eight places of the "Mille Lieux" study and the "Micro-centre pilote".

Pure data, no Django imports, split by subject: ``sheets`` (identity, legal form, funding,
programme), ``teams``, ``hours``, ``texts`` (descriptions and source notes) and ``spaces`` of
the eight Mille Lieux places, keyed by slug, and ``micro_centre`` whole. This module joins them
into what the loader reads: ``PLACES`` (in the study's order) and ``MICRO_CENTRE``.
Figures come from the French seed documents:

- ``seeds/002_02160530ca19453f.txt`` ("Mille Lieux: objectiver l'impact des tiers-lieux sur
  les territoires"): one technical sheet ("fiche technique") and one timeline per place;
- ``seeds/000_6d729c841a80c6de.txt`` ("Micro-centre Pilote"): the blueprint of a duplicable
  150-300 m2 hybrid place.

Conventions:

- shares are integer percentages; each investment / operation pair sums to 100, or both
  members of a pair are ``None`` when the seed gives nothing usable;
- ``team[i]["fte"]`` is the total full-time equivalent of the role line (all its people);
- ``opening_hours`` entries are ``[weekday, "HH:MM", "HH:MM"]`` with 0 = Monday; a split
  day is two entries. Hours, spaces, equipment and coordinates are illustrative unless
  ``source_notes`` says otherwise;
- a space's optional ``inside`` is the slug of the room it stands in (a machine in its
  fablab): booking the room blocks it;
- ``opening_date`` uses the first of the month (or of January) when only a month (or a
  year) is known.
"""

from __future__ import annotations

from tierslieux.demo.data.hours import OPENING_HOURS
from tierslieux.demo.data.micro_centre import MICRO_CENTRE
from tierslieux.demo.data.sheets import SHEETS
from tierslieux.demo.data.spaces import SPACES
from tierslieux.demo.data.teams import TEAMS
from tierslieux.demo.data.texts import DESCRIPTIONS, SOURCE_NOTES

__all__ = ["MICRO_CENTRE", "PLACES"]


def _place(slug: str) -> dict:
    return {
        **SHEETS[slug],
        "team": TEAMS[slug],
        "description": DESCRIPTIONS[slug],
        "opening_hours": OPENING_HOURS[slug],
        "spaces": SPACES[slug],
        "source_notes": SOURCE_NOTES[slug],
    }


PLACES: list[dict] = [_place(slug) for slug in SHEETS]
