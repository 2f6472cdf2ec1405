"""Fill French entries from a JSON map {msgid: msgstr}: `python scripts/translate.py map.json`.

A helper for translators working in bulk; `catalogues.py check` stays the judge.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import polib

PO = Path(__file__).resolve().parent.parent / "tierslieux/locale/fr/LC_MESSAGES/django.po"


def main(path: str) -> int:
    translations = json.loads(Path(path).read_text())
    catalogue = polib.pofile(str(PO))
    for entry in catalogue:
        if entry.msgid in translations:
            value = translations[entry.msgid]
            if entry.msgid_plural:
                entry.msgstr_plural = {0: value[0], 1: value[1]}
            else:
                entry.msgstr = value
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            entry.previous_msgid = None
            entry.previous_msgid_plural = None
            entry.previous_msgctxt = None
    catalogue.save()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
