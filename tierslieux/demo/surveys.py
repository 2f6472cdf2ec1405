"""The demo's surveys: the micro-centre asks its users how they come (the mobility survey, with
its modal split and CO₂ estimate) and how satisfied they are, and the network asks a town's
inhabitants what they need before a project. Created through the surveys' services as the
coordinator (or the network's administrator) would, answered through the same checks as the
public link, with answers drawn from a seeded generator: the same every time. A place that
has its surveys already is left as it is (the life of the place goes on in the application).
"""

from __future__ import annotations

import random
from typing import Any

from tierslieux.accounts.models import User
from tierslieux.demo.events import coordinator_of
from tierslieux.places.models import Network, NetworkRole, Place
from tierslieux.surveys import services, services_templates
from tierslieux.surveys.models import Survey
from tierslieux.surveys.questionnaire import parse

# How people come to the micro-centre: (weight, mode, days a week, km from … to …).
COMMUTES = [
    (6, "car", (3, 5), (8, 35)),
    (2, "carpool", (2, 4), (10, 30)),
    (2, "bus", (2, 5), (3, 12)),
    (3, "bike", (2, 5), (1, 8)),
    (3, "walk", (3, 5), (0.5, 2)),
    (1, "train", (1, 3), (20, 60)),
]
TOWNS = ["23000 Guéret", "23200 Aubusson", "23300 La Souterraine", "23500 Felletin"]
WORDS = [
    "Un lieu accueillant, on s’y sent bien.",
    "Il faudrait plus de places pour les vélos.",
    "Merci pour les ateliers du jeudi !",
    "Le wifi coupe parfois l’après-midi.",
    "",
]


def _administrator(network: Network) -> User | None:
    role = (
        NetworkRole.objects.filter(
            network=network, role=NetworkRole.Role.ADMIN, person__user__isnull=False
        )
        .select_related("person__user")
        .order_by("id")
        .first()
    )
    return role.person.user if role is not None and role.person is not None else None


def _mobility(rng: random.Random) -> dict[str, list[str]]:
    weights = [c[0] for c in COMMUTES]
    _weight, mode, days, km = rng.choices(COMMUTES, weights=weights)[0]
    answer = {
        "commune": [rng.choice(TOWNS)],
        "distance_km": [str(round(rng.uniform(*km), 1))],
        f"days_{mode}": [str(rng.randint(*days))],
    }
    if rng.random() < 0.3:
        answer["days_remote"] = ["1"]
    return answer


def _satisfaction(rng: random.Random, questions: list[Any]) -> dict[str, list[str]]:
    """An answer to every scale and single choice of the satisfaction questionnaire, leaning
    to the good side, and now and then a word for the team."""
    answer: dict[str, list[str]] = {}
    for question in questions:
        if question.kind == "scale":
            values = list(question.scale_values())
            answer[question.key] = [str(rng.choice(values[len(values) // 2 :]))]
        elif question.kind == "single" and question.choices:
            answer[question.key] = [rng.choice(question.choices).key]
        elif question.kind == "text" and (words := rng.choice(WORDS)):
            answer[question.key] = [words]
    return answer


def _survey(key: str, actor: User, answers: int, rng: random.Random, **owner: Any) -> int:
    survey = services_templates.create_from_template(actor=actor, key=key, **owner)
    survey = services.publish(actor=actor, survey=survey)
    version = survey.current_version()
    assert version is not None
    questions = list(parse(version.definition).questions())
    for _ in range(answers):
        raw = _mobility(rng) if key == "mobility" else _satisfaction(rng, questions)
        services.answer_by_link(survey=survey, raw=raw)
    return answers


def load_surveys(places: dict[str, Place], micro_slug: str, network: Network) -> int:
    """The demo's surveys and their answers; how many answers were written."""
    micro = places[micro_slug]
    actor = coordinator_of(micro)
    written = 0
    rng = random.Random("surveys-demo")
    if actor is not None and not Survey.objects.filter(place=micro).exists():
        written += _survey("mobility", actor, 32, rng, place=micro)
        written += _survey("satisfaction", actor, 18, rng, place=micro)
    admin = _administrator(network)
    if admin is not None and not Survey.objects.filter(network=network).exists():
        survey = services_templates.create_from_template(
            actor=admin, key="inhabitants", network=network
        )
        services.publish(actor=admin, survey=survey)
    return written
