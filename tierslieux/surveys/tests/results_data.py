"""The small surveys whose results the tests compute by hand.

`build()`: a place's survey (not anonymous, 8 responses over every kind of question, 20
invitations sent) and an anonymous one (12 responses) where small groups must be hidden; and a
network's survey with no answer. The expected figures are worked out in test_results.py.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from tierslieux.accounts.models import Person
from tierslieux.billing.tests import factories as bf
from tierslieux.places.tests import factories as pf
from tierslieux.surveys import services
from tierslieux.surveys.answering import Answer
from tierslieux.surveys.models import Response, Survey
from tierslieux.surveys.tests import factories as sf


def _choice(key: str, choices: list[str], **more: Any) -> dict[str, Any]:
    return {
        "key": key,
        "label": key.title(),
        "choices": [{"key": c, "label": c.title()} for c in choices],
        **more,
    }


DEFINITION: dict[str, Any] = {
    "sections": [
        {
            "key": "all",
            "title": "Tout",
            "questions": [
                _choice("mode", ["car", "bike", "foot"], kind="single", other=True, label="Mode"),
                _choice("why", ["price", "time", "health", "fun"], kind="multiple", label="Why"),
                {"key": "happy", "kind": "scale", "label": "Happy", "minimum": 1, "maximum": 5},
                {"key": "km", "kind": "number", "label": "Km", "minimum": 0, "unit": "km"},
                {"key": "since", "kind": "date", "label": "Since"},
                {"key": "town", "kind": "commune", "label": "Town"},
                _choice("rank", ["a", "b", "c"], kind="ranking", label="Rank"),
                {"key": "words", "kind": "text", "label": "Words", "multiline": True},
            ],
        }
    ]
}
GUERET, LIMOGES = ("23096", "Guéret"), ("87085", "Limoges")

# Response by response: (mode, other text, why, happy, km, since, town, ranking, words)
ROWS: list[tuple[Any, ...]] = [
    (
        "car",
        "",
        ["price", "time"],
        4,
        10,
        date(2027, 1, 15),
        GUERET,
        ["a", "b", "c"],
        "Le café est très bon",
    ),
    ("car", "", ["time"], 5, 20, date(2027, 1, 20), GUERET, ["b", "a"], "Plus de VÉLOS"),
    ("bike", "", ["health", "fun"], 3, 4, date(2027, 2, 1), LIMOGES, ["a", "c", "b"], ""),
    ("bike", "", ["health"], 5, 6, date(2027, 3, 10), None, ["a"], ""),
    ("foot", "", ["health", "price"], 2, 1, None, None, [], ""),
    ("other", "Trottinette", [], 4, None, None, None, [], ""),
    ("car", "", ["price"], 4, 30, None, None, [], ""),
    ("bike", "", [], None, None, None, None, [], ""),
]

ANONYMOUS: dict[str, Any] = {
    "sections": [
        {
            "key": "all",
            "title": "Tout",
            "questions": [
                _choice("mode", ["car", "bike", "foot"], kind="single", label="Mode"),
                {"key": "happy", "kind": "scale", "label": "Happy", "minimum": 1, "maximum": 5},
                {"key": "km", "kind": "number", "label": "Km", "minimum": 0},
                {"key": "words", "kind": "text", "label": "Words"},
            ],
        }
    ]
}
# 7 by car (5 happy at 4, 1 at 5, 3 give km), 3 by bike (2 happy at 3), 2 on foot.
ANONYMOUS_ROWS: list[tuple[str, int | None, int | None]] = [
    ("car", 4, 12), ("car", 4, 8), ("car", 4, 5), ("car", 4, None), ("car", 4, None),
    ("car", 5, None), ("car", None, None), ("bike", 3, None), ("bike", 3, None),
    ("bike", None, None), ("foot", None, None), ("foot", None, None),
]  # fmt: skip


def _answers(row: tuple[Any, ...]) -> dict[str, Answer]:
    mode, other, why, happy, km, since, town, ranking, words = row
    given = {"mode": Answer("mode", choices=(mode,), text=other)}
    if why:
        given["why"] = Answer("why", choices=tuple(why))
    if happy is not None:
        given["happy"] = Answer("happy", number=Decimal(happy))
    if km is not None:
        given["km"] = Answer("km", number=Decimal(km))
    if since is not None:
        given["since"] = Answer("since", date=since)
    if town is not None:
        given["town"] = Answer("town", commune=town[0], text=town[1])
    if ranking:
        given["rank"] = Answer("rank", choices=tuple(ranking), ranked=True)
    if words:
        given["words"] = Answer("words", text=words)
    return given


def _record(
    survey: Survey, answers: dict[str, Answer], on: date, person: Person | None = None
) -> Response:
    version = survey.current_version()
    assert version is not None
    return services.record_response(
        survey=survey, version=version, answers=answers, channel=Response.Channel.LINK,
        person=person, on=on,
    )  # fmt: skip


def build() -> dict[str, Any]:
    place = bf.place(name="La Fabrique")
    coordinator = pf.coordinator(place)
    survey = sf.survey(place, definition=DEFINITION, actor=coordinator, title="Venir")
    Survey.objects.filter(pk=survey.pk).update(invitation_count=20)
    survey.refresh_from_db()
    alice = Person.objects.create(first_name="Alice", last_name="Martin", email="alice@example.org")
    for n, row in enumerate(ROWS):
        _record(survey, _answers(row), date(2027, 4, 1 + n), alice if n == 0 else None)
    hidden = sf.survey(
        place, definition=ANONYMOUS, actor=coordinator, title="Anonyme", anonymous=True
    )
    for n, (mode, happy, km) in enumerate(ANONYMOUS_ROWS):
        given = {"mode": Answer("mode", choices=(mode,))}
        if happy is not None:
            given["happy"] = Answer("happy", number=Decimal(happy))
        if km is not None:
            given["km"] = Answer("km", number=Decimal(km))
        if n == 0:
            given["words"] = Answer("words", text="Merci à l’équipe")
        _record(hidden, given, date(2027, 4, 1))
    network = pf.network(name="Réseau test")
    empty = sf.survey(network, title="Vide")
    return {
        "place": place, "coordinator": coordinator, "survey": survey, "anonymous": hidden,
        "empty": empty, "network": network, "network_admin": pf.network_admin(network),
        "member": pf.member(place), "other_place": (other := bf.place(name="L'Autre Lieu")),
        "other_coordinator": pf.coordinator(other),
    }  # fmt: skip
