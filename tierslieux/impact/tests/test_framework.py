"""The default framework against the seeds' texts, and a network's copy-on-edit."""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError

from tierslieux.core.models import AuditEntry
from tierslieux.impact import framework_defaults as defaults
from tierslieux.impact import services
from tierslieux.impact.models import Framework
from tierslieux.places.tests import factories as pf


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("**", "").replace("’", "'")).lower()


@pytest.mark.pure
def test_eight_impacts_and_six_commitments_with_their_keys() -> None:
    assert defaults.impact_keys() == (
        "non_programmed_city",
        "trusted_third_party",
        "peer_learning",
        "local_sectors",
        "ecological_transition",
        "breaking_silos",
        "unlikely_connections",
        "pride_and_influence",
    )
    assert defaults.commitment_keys() == (
        "openness",
        "territory",
        "accessibility",
        "user_centred",
        "hybrid_resources",
        "open_model",
    )
    assert [t.key for t in defaults.FUNCTIONS] == [
        "social",
        "cultural",
        "economic",
        "environmental",
    ]
    assert len(defaults.FIELDS) == 4
    assert all(len(c.criteria) >= 3 for c in defaults.COMMITMENTS)
    assert [n for n, _t in defaults.LEVELS] == [1, 2, 3, 4]


# Verbatim from the seeds (they live outside the repository): the study's list of impacts,
# its "Axe : …" lines (without their place) and the charter's line of commitments.
STUDY_TITLES = (
    "De nouvelles manières de faire la ville, sur des **modèles non-programmés**",
    "Un rôle de **tiers de confiance** en tant que guichets complémentaires de services au public",
    "De nouveaux lieux d'apprentissage favorisant **la formation entre pairs**",
    "Un soutien de **filières locales** au service du développement économique",
    "Des avancées limitées en matière de **transition écologique**",
    "Un **décloisonnement des rôles et des silos** dans les organisations publiques comme privées",
    "Des connexions entre acteurs **qui ne se rencontrent pas autrement**",
    "Un motif de **fierté des habitants** et une contribution au rayonnement du territoire",
)
STUDY_AXES = (
    "Axe : Une construction progressive du lieu, basée sur l'émergence d'usages",
    "Axe : Un aménagement trop figé qui limite l'hybridation d'activités",
    "Axe : Une tendance au développement en dehors du coeur de ville",
    "Axe : Un accueil inconditionnel du public",
    "Axe : Une équipe complète au service de l'hospitalité",
    "Axe : Un intermédiaire entre entrepreneurs et acteurs institutionnels",
    'Axe : Un sentiment très fort d\'appartenance à une " famille "',
    "Axe : Les espaces communs comme vivier d'actions collectives",
    "Axe : Un développement d'activités sur un modèle de pair-à-pair",
    "Axe : Une incubation publique de projets à impact territorial",
    "Axe : Un soutien à la professionnalisation d'artistes et d'artisans",
    "Axe : Un besoin de synergies entre résidents d'un même secteur",
    "Axe : Une démarche intégrale basée sur le réemploi",
    "Axe : La consommation d'un service comme prétexte à des projets collectifs",
    "Axe : Un usage encore récurrent de la voiture individuelle",
    "Axe : Un décloisonnement des services au sein de l'administration publique",
    "Axe : Une activité d'intérêt général adossée à une activité commerciale",
    "Axe : Une envie de jouer un rôle au delà des fonctions prédéfinies au sein de l'équipe",
    "Axe : Une relation privilégiée et itérative avec la collectivité locale",
    "Axe : L'évolution d'un incubateur de projets vers une plateforme relationnelle",
    "Axe : Le passage d'un fonctionnement isolé à des actions en réseau",
    "Axe : La marque C-mine, motif de fierté pour la ville",
    "Axe : Une animation intense du territoire, source d'attractivité",
    "Axe : Un projet entrepreneurial marqué par un portage fort",
)
CHARTER_LINE = (
    "- Des **engagements** de ces membres : l'ouverture, le lien au territoire, "
    "l'accessibilité, le fonctionnement centré usagers, l'hybridation des ressources, "
    "le modèle ouvert et duplicable."
)


@pytest.mark.pure
def test_titles_and_axes_are_the_study_s_own_words() -> None:
    assert [_flat(i.title) for i in defaults.IMPACTS] == [_flat(t) for t in STUDY_TITLES]
    axes = [_flat(f"Axe : {a.title}") for i in defaults.IMPACTS for a in i.axes]
    assert axes == [_flat(a) for a in STUDY_AXES]
    assert all(i.conditions for i in defaults.IMPACTS)
    charter = _flat(CHARTER_LINE)
    for commitment in defaults.COMMITMENTS:
        words = _flat(commitment.title).removeprefix("l'").removeprefix("le ")
        assert words in charter, commitment.key


def test_the_default_is_written_once_from_the_defaults() -> None:
    framework = services.load_framework()
    assert services.load_framework() == framework
    tree = services.framework_tree(framework)
    assert [i.key for i in tree["impacts"]] == list(defaults.impact_keys())
    assert [c.key for c in tree["commitments"]] == list(defaults.commitment_keys())
    assert all(len(i.axes.all()) == 3 for i in tree["impacts"])
    assert all([lv.level for lv in c.levels.all()] == [1, 2, 3, 4] for c in tree["commitments"])
    assert [t.key for t in tree["fields"]] == [t.key for t in defaults.FIELDS]
    assert tree["impacts"][0].condition_lines() == list(defaults.IMPACTS[0].conditions)


def test_a_network_edits_its_own_copy_and_resets_it(place, network_admin) -> None:
    other = pf.place()
    default = services.load_framework()
    assert services.framework_for(place) == default
    services.edit_impact(
        network_admin, place.network, "peer_learning", "Apprendre entre pairs", "A\nB"
    )
    copy = services.framework_for(place)
    assert copy != default and copy.network == place.network
    assert copy.impacts.get(key="peer_learning").title == "Apprendre entre pairs"
    assert default.impacts.get(key="peer_learning").title == defaults.IMPACTS[2].title
    assert services.framework_for(other) == default  # another network keeps the default
    axis = services.add_axis(network_admin, place.network, "peer_learning", "Un atelier", "")
    again = services.add_axis(network_admin, place.network, "peer_learning", "Un atelier", "")
    assert (axis.key, again.key) == ("un-atelier", "un-atelier-2")
    services.edit_commitment(
        network_admin, place.network, "openness", "Ouverture", "Texte", {2: "Deuxième pas"}
    )
    assert copy.commitments.get(key="openness").levels.get(level=2).text == "Deuxième pas"
    assert Framework.objects.count() == 2
    services.reset_framework(network_admin, place.network)
    assert services.framework_for(place) == default
    assert AuditEntry.objects.filter(action="impact.framework.reset").count() == 1


def test_bad_edits_are_refused_and_change_nothing(place, network_admin) -> None:
    with pytest.raises(ValidationError) as refused:
        services.edit_impact(network_admin, place.network, "nope", "Titre", "")
    assert refused.value.code == "unknown_impact"
    with pytest.raises(ValidationError) as refused:
        services.edit_impact(network_admin, place.network, "peer_learning", "Deux\nlignes", "")
    assert "title" in refused.value.message_dict
    assert services.framework_for(place).is_default  # the copy was rolled back with the edit
    assert settings.USE_I18N


def test_every_impact_has_indicators_that_exist() -> None:
    from tierslieux.impact import framework_defaults
    from tierslieux.impact.impact_indicators import IMPACT_INDICATORS, indicators_of
    from tierslieux.impact.indicator_defs import BY_KEY

    assert set(IMPACT_INDICATORS) == {i.key for i in framework_defaults.IMPACTS}
    for keys in IMPACT_INDICATORS.values():
        assert keys and set(keys) <= set(BY_KEY)
    assert indicators_of("added_by_a_network") == ()
