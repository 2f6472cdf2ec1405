"""Creating a survey from a built-in questionnaire (`templates_builtin`): a draft the team
reads, adjusts and publishes, keeping the template's key and the source it cites."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.places.models import Network, Place
from tierslieux.surveys import services
from tierslieux.surveys.models import Survey
from tierslieux.surveys.templates_builtin import BUILTIN


def _consent(owner: str, anonymous: bool) -> str:
    if anonymous:
        return _(
            "Your answers are anonymous: %(owner)s keeps them without your name, your address "
            "or the time you answered, and shows results only for groups of at least 5 "
            "answers. Answering means you agree to your answers being used to improve the "
            "place."
        ) % {"owner": owner}
    return _(
        "%(owner)s keeps your answers to prepare the project and may contact your "
        "organisation about them. Answering means you agree to this. You may ask %(owner)s to "
        "see or delete your answers."
    ) % {"owner": owner}


def create_from_template(
    *, actor: Actor, key: str, place: Place | None = None, network: Network | None = None
) -> Survey:
    """A draft survey of `place` or `network` with the template's questions, written in the
    creator's language; anonymous when the template is (satisfaction, mobility, inhabitants)."""
    template = BUILTIN.get(key)
    if template is None:
        refuse(_("There is no built-in questionnaire “%(key)s”.") % {"key": key}, "template")
    owner = place or network
    owner_name = owner.name if owner is not None else ""
    return services.create_survey(
        actor=actor,
        title=str(template.title),
        place=place,
        network=network,
        definition=template.definition(),
        template=key,
        source=str(template.source),
        intro=str(template.intro),
        consent=_consent(owner_name, template.anonymous),
        thanks=_("Thank you for your answers!"),
        anonymous=template.anonymous,
    )
