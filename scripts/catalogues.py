"""Check and compile the gettext catalogues with polib, so no GNU gettext install is needed.

`check` fails on a French entry left untranslated or fuzzy, on a format mismatch, or on a
plain space where French typography wants a no-break one (before « : ; ! ? » », after « «)
or on a typewriter apostrophe between letters (l'espace for l’espace); `typography` sets
both right in the French catalogue;
`fresh` fails when the code holds a string missing from the catalogues (it runs Django's
makemessages, which needs GNU gettext's xgettext, and puts the catalogues back as they were);
`compile` writes the .mo files next to the .po files.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "tierslieux" / "locale"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
# French puts a no-break space (U+00A0) before these signs and after the opening guillemet;
# a plain space lets a line break strand "?" or ":" at the start of a line.
# And before the percent sign after a figure or a placeholder: "30 %" ("30 %%" in a
# python-format string), never before a placeholder's own "%(".
PLAIN_SPACE = re.compile(r" (?=[:;!?»])|(?<=«) |(?:(?<=\d)|(?<=\)[sd])) (?=%%|%(?![(sd]))")
NBSP = "\u00a0"
# And the typographic apostrophe (l’espace), never the typewriter one, between two letters.
STRAIGHT_APOSTROPHE = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
APOSTROPHE = "\u2019"


def _typeset(text: str) -> str:
    return STRAIGHT_APOSTROPHE.sub(APOSTROPHE, PLAIN_SPACE.sub(NBSP, text))


def _texts(entry: polib.POEntry) -> list[str]:
    return [entry.msgstr] if not entry.msgid_plural else list(entry.msgstr_plural.values())


def check() -> int:
    problems = []
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        language = po_path.parts[-3]
        catalogue = polib.pofile(str(po_path))
        for entry in catalogue:
            if entry.obsolete:
                continue
            where = f"{po_path.relative_to(LOCALE)}: {entry.msgid!r}"
            if "fuzzy" in entry.flags:
                problems.append(f"{where} is fuzzy")
            if language == "fr" and not entry.translated():
                problems.append(f"{where} has no French translation")
            pairs = (
                [(entry.msgid, entry.msgstr)]
                if not entry.msgid_plural
                else [(entry.msgid_plural, s) for s in entry.msgstr_plural.values()]
            )
            for source, target in pairs:
                if target and sorted(PLACEHOLDER.findall(source)) != sorted(
                    PLACEHOLDER.findall(target)
                ):
                    problems.append(f"{where}: placeholders differ in {target!r}")
            if language == "fr" and any(_typeset(t) != t for t in _texts(entry)):
                problems.append(
                    f"{where}: a plain space before a sign or a straight apostrophe "
                    "(run `scripts/catalogues.py typography`)"
                )
    for problem in problems:
        print(problem)
    print(f"catalogues: {len(problems)} problem(s)")
    return 1 if problems else 0


def _msgids() -> set[str]:
    return {
        entry.msgid
        for po_path in LOCALE.glob("fr/LC_MESSAGES/*.po")
        for entry in polib.pofile(str(po_path))
        if not entry.obsolete
    }


def fresh() -> int:
    before = {path: path.read_bytes() for path in LOCALE.glob("*/LC_MESSAGES/*.po")}
    known = _msgids()
    try:
        subprocess.run(
            ["make", "-s", "makemessages"],
            cwd=LOCALE.parent.parent,
            check=True,
            stdout=subprocess.DEVNULL,
        )
        missing = sorted(_msgids() - known)
    finally:
        for path, content in before.items():
            path.write_bytes(content)
    for msgid in missing:
        print(f"not in the catalogues: {msgid!r} (run `make makemessages` and translate it)")
    print(f"catalogues: {len(missing)} string(s) missing")
    return 1 if missing else 0


def typography() -> int:
    """No-break spaces and apostrophes as French typography wants them, in the French
    catalogues."""
    for po_path in sorted(LOCALE.glob("fr/LC_MESSAGES/*.po")):
        catalogue = polib.pofile(str(po_path))
        changed = 0
        for entry in catalogue:
            if entry.msgid_plural:
                for key, text in entry.msgstr_plural.items():
                    entry.msgstr_plural[key] = _typeset(text)
            else:
                fixed = _typeset(entry.msgstr)
                changed += fixed != entry.msgstr
                entry.msgstr = fixed
        catalogue.save()
        print(f"{po_path.relative_to(LOCALE)}: {changed} entries typeset")
    return 0


def compile_all() -> int:
    for po_path in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        polib.pofile(str(po_path)).save_as_mofile(str(po_path.with_suffix(".mo")))
    return 0


if __name__ == "__main__":
    action = sys.argv[1] if len(sys.argv) > 1 else "check"
    sys.exit(
        {"check": check, "fresh": fresh, "typography": typography, "compile": compile_all}[action]()
    )
