"""Census files as the national census writes them, built by the tests and the benchmark."""

from __future__ import annotations

import random
from collections.abc import Iterable

COLUMNS = (
    "ID_UNIQUE",
    "NOM",
    "ADRESSE",
    "CODPOST",
    "VILLE",
    "DEPARTEMENT_TL",
    "REGION_TL",
    "LATITUDE",
    "LONGITUDE",
    "INTERNET",
    "EMAIL",
    "TELEPHONE",
    "DESCRI_COU",
    "DATE_OUV",
    "NOM_STRC_GEST",
    "TYPE_STRUCTURE_GEST",
    "RS_MOVILAB",
    "familles_tiers_lieux",
    "statut_lieu",
)
FAMILIES = (
    "Bureaux partagés / Coworking",
    "Fablab / Makerspace / Hackerspace",
    "Tiers-lieux culturels",
    "Ateliers artisanaux partagés",
    "Tiers-lieux nourriciers",
)
# (postcode, commune, latitude, longitude): mainland, Corsica and overseas.
TOWNS = (
    ("59000", "Lille", 50.6366, 3.0635),
    ("23000", "Guéret", 46.1714, 1.8717),
    ("13200", "Arles", 43.6768, 4.6303),
    ("20000", "Ajaccio", 41.9192, 8.7386),
    ("97400", "Saint-Denis", -20.8821, 55.4507),
    ("35000", "Rennes", 48.1173, -1.6778),
)


def line(n: int, prefix: str = "TL", **values: str) -> dict[str, str]:
    """The n-th census line: a coworking in Lille unless `values` say otherwise."""
    postcode, commune, lat, lon = TOWNS[n % len(TOWNS)]
    row = {
        "ID_UNIQUE": f"{prefix}{n:05d}",
        "NOM": f"Tiers-lieu numéro {n}",
        "ADRESSE": f"{n} rue de la République",
        "CODPOST": postcode,
        "VILLE": commune,
        "DEPARTEMENT_TL": postcode[:2],
        "REGION_TL": "",
        # Spread over some 10 km from the town, as a metropolis's places are.
        "LATITUDE": f"{lat - (n * 7919 % 1000) / 10000:.6f}".replace(".", ","),
        "LONGITUDE": f"{lon + (n * 104729 % 1000) / 10000:.6f}".replace(".", ","),
        "INTERNET": f"www.lieu-{n}.fr",
        "EMAIL": f"contact@lieu-{n}.fr",
        "TELEPHONE": "03 20 00 00 00",
        "DESCRI_COU": "Un lieu; ouvert à tous, avec un « atelier ».",
        "DATE_OUV": "2019",
        "NOM_STRC_GEST": f"Association du lieu {n}",
        "TYPE_STRUCTURE_GEST": "Association",
        "RS_MOVILAB": "",
        "familles_tiers_lieux": FAMILIES[n % len(FAMILIES)],
        "statut_lieu": "en activité",
    }
    row.update(values)
    return row


def csv_bytes(rows: Iterable[dict[str, str]]) -> bytes:
    """`;`, UTF-8 with a BOM, CRLF, every field quoted as the census's export does."""

    def quoted(value: str) -> str:
        return '"' + value.replace('"', '""') + '"'

    lines = [";".join(COLUMNS)]
    lines += [";".join(quoted(row.get(c, "")) for c in COLUMNS) for row in rows]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


def census(count: int, seed: int = 11, prefix: str = "TL") -> bytes:
    """`count` lines with shuffled families and a few in project; ids `<prefix>00042`."""
    rng = random.Random(seed)
    rows = []
    for n in range(count):
        families = ";".join(rng.sample(FAMILIES, rng.randint(1, 2)))
        status = "en projet (pas encore ouvert)" if rng.random() < 0.2 else "en activité"
        rows.append(line(n, prefix, familles_tiers_lieux=families, statut_lieu=status))
    return csv_bytes(rows)
