"""The census's checks, pure (no ORM): coordinates inside the country's territories (and
swapped ones caught), and the duplicates a declaration or an import line may be.

Used by the public declaration, its moderation and the imports: one rule for all three."""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import SequenceMatcher
from enum import StrEnum

from tierslieux.core.search import fold
from tierslieux.observatory.geo import Box, Point, haversine_km

# Boxes around each territory (south, west, north, east), generous by a few km: a point
# outside all of a country's boxes is not in that country. France: the mainland with
# Corsica, then the overseas départements and collectivities.
TERRITORIES: dict[str, tuple[Box, ...]] = {
    "FR": (
        Box(41.3, -5.3, 51.2, 9.7),  # mainland and Corsica
        Box(15.8, -61.9, 16.6, -60.9),  # Guadeloupe
        Box(14.35, -61.3, 14.95, -60.75),  # Martinique
        Box(2.1, -54.7, 5.85, -51.5),  # Guyane
        Box(-21.45, 55.15, -20.8, 55.9),  # La Réunion
        Box(-13.05, 44.95, -12.55, 45.35),  # Mayotte
        Box(46.7, -56.5, 47.2, -56.05),  # Saint-Pierre-et-Miquelon
        Box(17.85, -63.2, 18.15, -62.75),  # Saint-Martin, Saint-Barthélemy
        Box(-28.0, -154.8, -7.8, -134.4),  # Polynésie française
        Box(-22.95, 163.5, -19.5, 168.2),  # Nouvelle-Calédonie
        Box(-14.4, -178.3, -13.15, -176.1),  # Wallis-et-Futuna
    ),
    "BE": (Box(49.45, 2.5, 51.55, 6.45),),
    "LU": (Box(49.4, 5.7, 50.2, 6.55),),
    "CH": (Box(45.8, 5.9, 47.85, 10.55),),
    "ES": (Box(35.2, -9.4, 43.85, 4.4), Box(27.6, -18.2, 29.5, -13.4)),  # with the Canaries
}


# The time zone of a place by the start of its French postcode (overseas), else its country.
OVERSEAS_ZONES = {
    "971": "America/Guadeloupe",
    "972": "America/Martinique",
    "973": "America/Cayenne",
    "974": "Indian/Reunion",
    "975": "America/Miquelon",
    "976": "Indian/Mayotte",
    "97133": "America/St_Barthelemy",
    "97150": "America/Marigot",
    "986": "Pacific/Wallis",
    "987": "Pacific/Tahiti",
    "988": "Pacific/Noumea",
}
COUNTRY_ZONES = {
    "FR": "Europe/Paris",
    "BE": "Europe/Brussels",
    "LU": "Europe/Luxembourg",
    "CH": "Europe/Zurich",
    "ES": "Europe/Madrid",
}


def timezone_for(postcode: str, country: str = "FR") -> str:
    """The place's likely time zone: a Réunion place's day ends before a Paris one's."""
    code = postcode.strip().replace(" ", "")
    if country == "FR":
        for length in (5, 3):
            if code[:length] in OVERSEAS_ZONES:
                return OVERSEAS_ZONES[code[:length]]
    if country == "ES" and code[:2] in {"35", "38"}:
        return "Atlantic/Canary"
    return COUNTRY_ZONES.get(country, "Europe/Paris")


class CoordinateProblem(StrEnum):
    INCOMPLETE = "incomplete"  # a latitude without a longitude, or the reverse
    SWAPPED = "swapped"  # latitude and longitude exchanged
    OUTSIDE = "outside"  # outside every territory of the country


def _inside(point: Point, boxes: Iterable[Box]) -> bool:
    return any(
        b.south <= point.latitude <= b.north and b.west <= point.longitude <= b.east for b in boxes
    )


def check_coordinates(
    latitude: float | None, longitude: float | None, country: str = "FR"
) -> CoordinateProblem | None:
    """None when the point is absent (a place in project may have none) or plausible."""
    if latitude is None and longitude is None:
        return None
    if latitude is None or longitude is None:
        return CoordinateProblem.INCOMPLETE
    boxes = TERRITORIES.get(country, TERRITORIES["FR"])
    if _inside(Point(latitude, longitude), boxes):
        return None
    if _inside(Point(longitude, latitude), boxes):
        return CoordinateProblem.SWAPPED
    return CoordinateProblem.OUTSIDE


# Words that do not tell two places apart: articles, and what every place's name may say.
STOP_WORDS = frozenset(
    {
        "le",
        "la",
        "les",
        "l",
        "de",
        "du",
        "des",
        "d",
        "et",
        "a",
        "au",
        "aux",
        "en",
        "the",
        "of",
        "tiers",
        "lieu",
        "lieux",
        "tierslieu",
        "tierslieux",
    }
)


def name_words(name: str) -> list[str]:
    """The name's telling words, folded (no case, accents, punctuation or articles)."""
    words = re.split(r"[^a-z0-9]+", fold(name))
    telling = [w for w in words if w and w not in STOP_WORDS]
    return telling or [w for w in words if w]


def match_key(name: str, postcode: str) -> str:
    """What two declarations of one place share: their telling words run together ("Fab Lab"
    is "Fablab") and their postcode."""
    return f"{''.join(name_words(name))}|{postcode.strip().replace(' ', '')}"


@functools.lru_cache(maxsize=20_000)
def _words(name: str) -> tuple[str, ...]:
    return tuple(name_words(name))


def name_similarity(a: str, b: str, at_least: float = 0.0) -> float:
    """0 to 1: how alike two names are, whatever their case, accents and word order.

    Below `at_least` the answer is only an upper bound (cheap: the costly sequence matching
    is skipped when even its quick bound is too low); the duplicate search compares every
    pair of nearby places and needs no more."""
    wa, wb = _words(a), _words(b)
    if not wa or not wb:
        return 0.0
    shared = len(set(wa) & set(wb)) / min(len(set(wa)), len(set(wb)))
    # "Fab Lab" and "Fablab", "Co-working" and "Coworking": the words run together.
    texts = [(" ".join(sorted(wa)), " ".join(sorted(wb))), ("".join(wa), "".join(wb))]
    bound = max(shared, *(_quick_ratio(x, y) for x, y in texts))
    if bound < at_least:
        return bound
    return max(shared, *(SequenceMatcher(None, x, y).ratio() for x, y in texts))


@functools.lru_cache(maxsize=40_000)
def _letters(text: str) -> Counter[str]:
    return Counter(text)


def _quick_ratio(x: str, y: str) -> float:
    """An upper bound of `SequenceMatcher(None, x, y).ratio()` (its `quick_ratio`, from the
    letters both share), without building the matcher."""
    if not x and not y:
        return 1.0
    common = sum((_letters(x) & _letters(y)).values())
    return 2.0 * common / (len(x) + len(y))


@dataclass(frozen=True)
class Candidate:
    """What the duplicate search compares: a place, a declaration or an import line."""

    key: int | str
    name: str
    commune: str
    postcode: str = ""
    point: Point | None = None


class Reason(StrEnum):
    SAME_NAME = "same_name"
    SIMILAR_NAME = "similar_name"
    SAME_COMMUNE = "same_commune"
    NEARBY = "nearby"


@dataclass(frozen=True)
class Match:
    candidate: Candidate
    similarity: float  # of the names, 0 to 1
    distance_km: float | None
    reasons: tuple[Reason, ...]


SIMILAR = 0.8  # names this alike in one commune are taken for one place
ALIKE_KM = 5.0  # alike names in two communes this close too
NEARBY_KM = 0.3  # two points this close with somewhat alike names (0.5) too
SAME_POINT_KM = 0.03  # and two points this close whatever their names (one building)


def _same_commune(a: Candidate, b: Candidate) -> bool:
    if a.postcode and b.postcode and a.postcode.strip() != b.postcode.strip():
        return False
    return bool(a.commune) and fold(a.commune.strip()) == fold(b.commune.strip())


def compare(target: Candidate, other: Candidate) -> Match | None:
    """The match between two candidates, or None when nothing says they are one place."""
    distance = haversine_km(target.point, other.point) if target.point and other.point else None
    same_commune = _same_commune(target, other)
    if not same_commune and (distance is None or distance > ALIKE_KM):
        return None  # nothing can match: spare the names' comparison, the costly part
    needed = SIMILAR
    if distance is not None and distance <= NEARBY_KM:
        needed = 0.0 if distance <= SAME_POINT_KM else 0.5
    similarity = name_similarity(target.name, other.name, at_least=needed)
    if similarity < needed:
        return None
    reasons: list[Reason] = []
    if "".join(_words(target.name)) == "".join(_words(other.name)):
        reasons.append(Reason.SAME_NAME)
    elif similarity >= SIMILAR:
        reasons.append(Reason.SIMILAR_NAME)
    if same_commune:
        reasons.append(Reason.SAME_COMMUNE)
    if distance is not None and distance <= NEARBY_KM:
        reasons.append(Reason.NEARBY)
    alike = similarity >= SIMILAR and (
        same_commune or (distance is not None and distance <= ALIKE_KM)
    )
    close = distance is not None and (
        distance <= SAME_POINT_KM or (distance <= NEARBY_KM and similarity >= 0.5)
    )
    if not (alike or close):
        return None
    return Match(other, similarity, distance, tuple(reasons))


def duplicates(target: Candidate, others: Iterable[Candidate]) -> list[Match]:
    """The candidates that may be the same place as `target`, the likeliest first."""
    found = [m for other in others if other.key != target.key if (m := compare(target, other))]
    # An unknown distance sorts after every known one, never before the nearest.
    return sorted(
        found,
        key=lambda m: (-m.similarity, math.inf if m.distance_km is None else m.distance_km),
    )
