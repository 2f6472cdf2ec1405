"""The question editor's operations on a questionnaire's JSON form (`questionnaire.dump`).

Each operation returns a new definition and leaves its argument as it was; `services_builder`
saves the result through `services.edit_definition`, which checks it whole (`questionnaire.parse`)
and makes a new version when the current one has answers.

Keys are made once from the labels (`new_key`) and never change afterwards: answers and results
refer to them, across versions. A key is never given again in the same survey, even after its
question was removed (its old answers would otherwise read as the new question's).

Pure: no database, no request.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable
from typing import Any

from django.utils.text import slugify

from tierslieux.surveys import questionnaire

Definition = dict[str, Any]
KEY_LENGTH = 30  # room left for a "_2" suffix within questionnaire.KEY's 40 characters
RESERVED = {questionnaire.OTHER, "new", "move", "remove"}  # choice "other", the editor's URLs


class NotFound(LookupError):
    """No section or question bears that key (a stale page, a forged form)."""


def new_key(label: str, taken: Iterable[str], prefix: str = "q") -> str:
    """A key made from `label` ("Comment venez-vous ?" → "comment_venez_vous"), unique among
    `taken`."""
    base = slugify(label).replace("-", "_")[:KEY_LENGTH].strip("_")
    if not base or not base[0].isalpha():
        base = f"{prefix}_{base}".strip("_")[:KEY_LENGTH]
    used = set(taken)
    key, n = base, 1
    while key in used or key in RESERVED:
        n += 1
        key = f"{base}_{n}"
    return key


def keys(definition: Definition) -> set[str]:
    """Every section and question key of a definition (what a new key must avoid)."""
    found: set[str] = set()
    for section in definition.get("sections", []):
        found.add(section["key"])
        for question in section.get("questions", []):
            found.add(question["key"])
    return found


def choice_keys(definitions: Iterable[Definition], question: str) -> set[str]:
    """The keys a question's choices bore in any version (a new choice takes none of them)."""
    return {
        c["key"]
        for definition in definitions
        for section in definition.get("sections", [])
        for q in section.get("questions", [])
        if q["key"] == question
        for c in q.get("choices", [])
    }


def choices_from_lines(
    lines: Iterable[str], existing: list[dict[str, str]], taken: Iterable[str] = ()
) -> list[dict[str, str]]:
    """Choices typed one per line. A line keeping an existing label keeps its key; a line
    in place of a label that is gone is that choice renamed (it keeps its key too); any other
    line is a new choice with a new key."""
    labels = [line.strip() for line in lines if line.strip()]
    by_label = {c["label"]: c["key"] for c in existing}
    kept = {by_label[label] for label in labels if label in by_label}
    used = set(taken) | {c["key"] for c in existing}
    choices: list[dict[str, str]] = []
    for n, label in enumerate(labels):
        key = by_label.get(label)
        if key is None and n < len(existing) and existing[n]["key"] not in kept:
            key = existing[n]["key"]  # renamed in place
            kept.add(key)
        if key is None or key in {c["key"] for c in choices}:
            key = new_key(label, used, prefix="c")
        used.add(key)
        choices.append({"key": key, "label": label})
    return choices


def _copy(definition: Definition) -> Definition:
    data = copy.deepcopy(definition)
    data.setdefault("sections", [])
    return data


def _section(data: Definition, key: str) -> dict[str, Any]:
    for section in data["sections"]:
        if section["key"] == key:
            return section
    raise NotFound(key)


def find_question(definition: Definition, key: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """(section, question) of the question `key`."""
    for section in definition.get("sections", []):
        for question in section.get("questions", []):
            if question["key"] == key:
                return section, question
    raise NotFound(key)


def add_section(definition: Definition, title: str, intro: str, taken: Iterable[str]) -> Definition:
    data = _copy(definition)
    key = new_key(title, set(taken) | keys(data), prefix="s")
    data["sections"].append({"key": key, "title": title, "intro": intro, "questions": []})
    return data


def update_section(definition: Definition, key: str, title: str, intro: str) -> Definition:
    data = _copy(definition)
    section = _section(data, key)
    section["title"], section["intro"] = title, intro
    return data


def _move(items: list[Any], index: int, delta: int) -> bool:
    target = index + delta
    if not 0 <= target < len(items):
        return False
    items[index], items[target] = items[target], items[index]
    return True


def move_section(definition: Definition, key: str, delta: int) -> Definition:
    data = _copy(definition)
    sections = data["sections"]
    _move(sections, sections.index(_section(data, key)), delta)
    return data


def remove_section(definition: Definition, key: str) -> Definition:
    data = _copy(definition)
    data["sections"].remove(_section(data, key))
    return data


def add_question(
    definition: Definition, section: str, fields: dict[str, Any], taken: Iterable[str]
) -> tuple[Definition, str]:
    """The definition with a new question at the end of `section`, and the question's key."""
    data = _copy(definition)
    target = _section(data, section)
    key = new_key(fields["label"], set(taken) | keys(data))
    target.setdefault("questions", []).append({"key": key, **fields})
    return data, key


def update_question(definition: Definition, key: str, fields: dict[str, Any]) -> Definition:
    """The question's fields replaced by `fields` (its key and kind stay)."""
    data = _copy(definition)
    section, question = find_question(data, key)
    questions = section["questions"]
    questions[questions.index(question)] = {"key": key, "kind": question["kind"], **fields}
    return data


def move_question(definition: Definition, key: str, delta: int) -> Definition:
    """One place up (-1) or down (+1); past its section's edge, into the neighbouring section."""
    data = _copy(definition)
    section, question = find_question(data, key)
    questions = section["questions"]
    index = questions.index(question)
    if _move(questions, index, delta):
        return data
    sections = data["sections"]
    neighbour = sections.index(section) + delta
    if 0 <= neighbour < len(sections):
        questions.remove(question)
        others = sections[neighbour].setdefault("questions", [])
        if delta < 0:
            others.append(question)
        else:
            others.insert(0, question)
    return data


def remove_question(definition: Definition, key: str) -> Definition:
    data = _copy(definition)
    section, question = find_question(data, key)
    section["questions"].remove(question)
    return data


def conditioned_on(definition: Definition, key: str) -> list[str]:
    """The labels of the questions shown only after an answer to `key` (removing or moving
    it would leave them hanging)."""
    return [
        q["label"]
        for s in definition.get("sections", [])
        for q in s.get("questions", [])
        if (q.get("condition") or {}).get("question") == key
    ]
