"""The built-in questionnaires, each from a source document of the project's seeds (under
shared/seeds/), with the passage it comes from: a survey made from one keeps the citation
(`Survey.source`). The questions themselves are in `templates_questions`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy

from tierslieux.surveys.templates_questions import (
    COMMUNE,
    DISTANCE,
    MOBILITY_DAYS,
    Definition,
    inhabitants,
    mobility,
    needs,
    satisfaction,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

__all__ = ["BUILTIN", "COMMUNE", "DISTANCE", "MOBILITY_DAYS", "Template"]


@dataclass(frozen=True)
class Template:
    key: str
    title: StrOrPromise
    description: StrOrPromise
    intro: StrOrPromise  # what the people asked read first
    source: StrOrPromise  # the document and the passage the questions come from
    seed: str  # the seed file, under shared/seeds/
    anonymous: bool
    definition: Callable[[], Definition]


BUILTIN: dict[str, Template] = {
    "needs": Template(
        key="needs",
        title=gettext_lazy("Needs for a shared place"),
        description=gettext_lazy(
            "Ask organisations what a shared place should offer them: functions, permanent or "
            "occasional activities, spaces, budget, readiness to co-manage."
        ),
        intro=gettext_lazy(
            "We are preparing a shared place. Tell us what your organisation would need from "
            "it and how it could take part: about ten minutes."
        ),
        source=gettext_lazy(
            "“Mutualisation de lieux physiques” (Mutualisons, Bota75 living lab, Brussels): a "
            "questionnaire sent to about a hundred associations (about twenty answered) on "
            "their needs for a shared place, the four functions (environmental, social, "
            "cultural, economic), their permanent or occasional activities, and their "
            "readiness to take part in creating and running the place."
        ),
        seed="001_7b6b64f426cf00cd.txt",
        anonymous=False,
        definition=needs,
    ),
    "satisfaction": Template(
        key="satisfaction",
        title=gettext_lazy("Users' satisfaction and sense of belonging"),
        description=gettext_lazy(
            "How satisfied users are, what they come for, what is missing, whether they feel "
            "they belong, and whether they would recommend the place (0 to 10)."
        ),
        intro=gettext_lazy(
            "Help us make the place better for you: a few questions, about five minutes."
        ),
        source=gettext_lazy(
            "“Mille Lieux: objectiver l'impact des tiers-lieux sur les territoires”: users "
            "describe “a very strong sense of belonging to a family” (Les Riverains, Auxerre) "
            "and connections between people who would not meet otherwise."
        ),
        seed="002_02160530ca19453f.txt",
        anonymous=True,
        definition=satisfaction,
    ),
    "mobility": Template(
        key="mobility",
        title=gettext_lazy("How users come to the place"),
        description=gettext_lazy(
            "Days a week by each mode (car alone, car-pool, bus, tram, train, bike, on foot, "
            "remote work) and the distance: the modal split and an estimate of the CO₂ emitted."
        ),
        intro=gettext_lazy(
            "How do you come to the place? Your answers help improve the ways to get here "
            "and estimate the CO₂ the trips emit: about two minutes."
        ),
        source=gettext_lazy(
            "“Mille Lieux: objectiver l'impact des tiers-lieux sur les territoires”: the users "
            "of IN'ESS (Narbonne) say how they come (“on foot every day, by car every day, 2 "
            "days a week by car, 2 days a month by train and bike”); the car remains the usual "
            "way to come. Emission factors: ADEME, Base Empreinte®, via impactCO2.fr."
        ),
        seed="002_02160530ca19453f.txt",
        anonymous=True,
        definition=mobility,
    ),
    "inhabitants": Template(
        key="inhabitants",
        title=gettext_lazy("Inhabitants' needs before a project"),
        description=gettext_lazy(
            "Before creating a tiers-lieu, ask a town's inhabitants which services are "
            "missing, what they would do there, when and how they would come."
        ),
        intro=gettext_lazy(
            "Your town is thinking of opening a shared place (a tiers-lieu). Tell us what "
            "you would need from it: about five minutes."
        ),
        source=gettext_lazy(
            "A département's free engineering offer to towns creating a tiers-lieu, level 2 "
            "(definition of the project): the diagnosis, including “identifying the need "
            "(a survey, a participatory process)”."
        ),
        seed="004_5eea3eb3d679d78a.txt",
        anonymous=True,
        definition=inhabitants,
    ),
}
