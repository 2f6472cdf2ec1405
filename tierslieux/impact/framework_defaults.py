"""The default impact framework, as plain data: what `services.load_framework` writes.

Pure (no ORM) so that tests compare it with the seeds and a network's copy starts from it.
Sources, cited on each block:
- the eight impacts, their axes ("Axe : … - place") and the conditions of expression:
  Mille Lieux study, seed `002_02160530ca19453f.txt` ("Les impacts", "Conditions d'expression
  de l'impact"); the conditions are condensed from the study's paragraphs;
- the four functions: seed `001_7b6b64f426cf00cd.txt` (Bota75: "une fonction sociale, une
  fonction culturelle, une fonction économique et une fonction environnementale");
- the four fields of exploration: `DOMAIN.md` (Mille Lieux: transformation of territories,
  relation to work, creation of commons, ecological transition);
- the six commitments: the Lille charter, seed `003_bcdb1494d7d576ad.txt` ("l'ouverture, le lien
  au territoire, l'accessibilité, le fonctionnement centré usagers, l'hybridation des
  ressources, le modèle ouvert et duplicable", with "une démarche de progrès"). The charter
  names the commitments only: the four levels and the criteria are this project's proposal,
  which a network edits in its copy.

Keys are stable: indicators, assessments and reports refer to them; texts may change.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Axis:
    key: str
    title: str
    example: str  # the study's place(s) where the axis was observed


@dataclass(frozen=True)
class Impact:
    key: str
    title: str
    conditions: tuple[str, ...]
    axes: tuple[Axis, ...]


@dataclass(frozen=True)
class Theme:
    key: str
    title: str


@dataclass(frozen=True)
class Commitment:
    key: str
    title: str
    description: str
    criteria: tuple[tuple[str, str], ...]  # (key, text)


SOURCE_IMPACTS = "Mille Lieux (seed 002_02160530ca19453f)"
SOURCE_COMMITMENTS = "Charte du réseau des tiers-lieux de la métropole lilloise (seed 003)"

IMPACTS: tuple[Impact, ...] = (
    Impact(
        "non_programmed_city",
        "De nouvelles manières de faire la ville, sur des modèles non-programmés",
        (
            "Des espaces vacants disponibles, occupés par opportunisme.",
            "Des phases d'expérimentation et des espaces aux fonctions non attribuées, "
            "indispensables à l'émergence d'usages non anticipés.",
            "Une équipe attentive à accueillir les initiatives, sans chercher à tout contrôler.",
            "Une collectivité qui accepte de prendre des risques et de soutenir des projets "
            "non planifiés.",
        ),
        (
            Axis(
                "progressive_construction",
                "Une construction progressive du lieu, basée sur l'émergence d'usages",
                "La Quincaillerie, Guéret",
            ),
            Axis(
                "fixed_layout",
                "Un aménagement trop figé qui limite l'hybridation d'activités",
                "Espace Kenere, Pontivy",
            ),
            Axis(
                "outside_centre",
                "Une tendance au développement en dehors du coeur de ville",
                "Tous terrains",
            ),
        ),
    ),
    Impact(
        "trusted_third_party",
        "Un rôle de tiers de confiance en tant que guichets complémentaires de services au public",
        (
            "L'engagement fort de personnes (concierges, bénévoles, animateurs, résidents) aux "
            "compétences de médiation et d'orientation.",
            "Des signaux non codifiés : noms, images et mobilier qui n'empruntent ni aux "
            "start-up ni aux administrations.",
            "Des collectivités qui délèguent une partie de leurs missions ou tiennent des "
            "permanences dans le lieu.",
        ),
        (
            Axis(
                "unconditional_welcome",
                "Un accueil inconditionnel du public",
                "La Quincaillerie, Guéret",
            ),
            Axis(
                "hospitality_team",
                "Une équipe complète au service de l'hospitalité",
                "IN'ESS, Narbonne",
            ),
            Axis(
                "intermediary",
                "Un intermédiaire entre entrepreneurs et acteurs institutionnels",
                "Les Riverains, Auxerre",
            ),
        ),
    ),
    Impact(
        "peer_learning",
        "De nouveaux lieux d'apprentissage favorisant la formation entre pairs",
        (
            "Une proximité spatiale : un même espace partagé et fréquemment traversé.",
            "Une présence régulière sur le site, parfois encadrée par une charte.",
            "Une autonomie accordée aux usagers dans la programmation du lieu.",
            "Un juste équilibre entre proximité et intimité.",
        ),
        (
            Axis(
                "family_belonging",
                'Un sentiment très fort d\'appartenance à une " famille "',
                "Les Riverains, Auxerre",
            ),
            Axis(
                "common_spaces",
                "Les espaces communs comme vivier d'actions collectives",
                "Bliida, Metz",
            ),
            Axis(
                "peer_to_peer",
                "Un développement d'activités sur un modèle de pair-à-pair",
                "Espace Kenere, Pontivy",
            ),
        ),
    ),
    Impact(
        "local_sectors",
        "Un soutien de filières locales au service du développement économique",
        (
            "Des politiques publiques de développement économique qui s'appuient sur le lieu.",
            "Une diversité de modes d'accompagnement : lieu mis à disposition, formations.",
            "Une phase d'expérimentation sans production de valeur économique immédiate.",
            "Des personnes qui impulsent la mise en relation des initiatives.",
        ),
        (
            Axis(
                "public_incubation",
                "Une incubation publique de projets à impact territorial",
                "Coboï, Sant Boi",
            ),
            Axis(
                "professionalisation",
                "Un soutien à la professionnalisation d'artistes et d'artisans",
                "Bliida, Metz",
            ),
            Axis(
                "sector_synergies",
                "Un besoin de synergies entre résidents d'un même secteur",
                "C-mine, Genk",
            ),
        ),
    ),
    Impact(
        "ecological_transition",
        "Des avancées limitées en matière de transition écologique",
        (
            "Des usagers qui s'organisent eux-mêmes et proposent des actions collectives.",
            "Un lieu démonstrateur de bonnes pratiques (réemploi, gestion des déchets), "
            "appuyé sur des compétences techniques.",
            "Des infrastructures plus larges (transports, bâti ancien) sur lesquelles le lieu "
            "n'a que peu d'influence.",
        ),
        (
            Axis(
                "reuse",
                "Une démarche intégrale basée sur le réemploi",
                "Les Riverains, Auxerre",
            ),
            Axis(
                "service_as_pretext",
                "La consommation d'un service comme prétexte à des projets collectifs",
                "TerraLab, Arles",
            ),
            Axis(
                "car_use",
                "Un usage encore récurrent de la voiture individuelle",
                "IN'ESS, Narbonne",
            ),
        ),
    ),
    Impact(
        "breaking_silos",
        "Un décloisonnement des rôles et des silos dans les organisations publiques comme privées",
        (
            "Des collaborations hors du réseau d'origine, des outils peu familiers.",
            "Un même espace partagé par des acteurs privés et publics.",
            "Des marges de manœuvre en temps, en espace et en rôle.",
        ),
        (
            Axis(
                "public_services",
                "Un décloisonnement des services au sein de l'administration publique",
                "IN'ESS, Narbonne",
            ),
            Axis(
                "general_interest",
                "Une activité d'intérêt général adossée à une activité commerciale",
                "TerraLab, Arles",
            ),
            Axis(
                "beyond_roles",
                "Une envie de jouer un rôle au delà des fonctions prédéfinies au sein de l'équipe",
                "Espace Kenere, Pontivy",
            ),
        ),
    ),
    Impact(
        "unlikely_connections",
        "Des connexions entre acteurs qui ne se rencontrent pas autrement",
        (
            "Des opportunités de « faire ensemble » pour des profils très éloignés.",
            "Des concierges ou coordinateurs aux parcours atypiques.",
            "Des acteurs publics accessibles et réactifs.",
            "Des outils d'action collective : monnaie locale, programmation commune.",
        ),
        (
            Axis(
                "local_authority",
                "Une relation privilégiée et itérative avec la collectivité locale",
                "Les Riverains, Auxerre",
            ),
            Axis(
                "relational_platform",
                "L'évolution d'un incubateur de projets vers une plateforme relationnelle",
                "Coboï, Sant Boi",
            ),
            Axis(
                "networked_action",
                "Le passage d'un fonctionnement isolé à des actions en réseau",
                "TerraLab, Arles",
            ),
        ),
    ),
    Impact(
        "pride_and_influence",
        "Un motif de fierté des habitants et une contribution au rayonnement du territoire",
        (
            "Des friches chargées d'histoire, transformées en élément valorisant.",
            "Un lieu qui transforme le récit du territoire et en répare la mémoire.",
            "Des porteurs qui inscrivent leur initiative dans des enjeux plus larges.",
        ),
        (
            Axis(
                "city_brand",
                "La marque C-mine, motif de fierté pour la ville",
                "C-mine, Genk",
            ),
            Axis(
                "lively_territory",
                "Une animation intense du territoire, source d'attractivité",
                "La Quincaillerie, Guéret",
            ),
            Axis(
                "strong_leadership",
                "Un projet entrepreneurial marqué par un portage fort",
                "Bliida, Metz",
            ),
        ),
    ),
)

FUNCTIONS: tuple[Theme, ...] = (
    Theme("social", "Fonction sociale"),
    Theme("cultural", "Fonction culturelle"),
    Theme("economic", "Fonction économique"),
    Theme("environmental", "Fonction environnementale"),
)

FIELDS: tuple[Theme, ...] = (
    Theme("territories", "Transformation des territoires"),
    Theme("work", "Rapport au travail"),
    Theme("commons", "Création de communs"),
    Theme("ecological_transition", "Transition écologique"),
)

# The progress approach: the same four steps for every commitment.
LEVELS: tuple[tuple[int, str], ...] = (
    (1, "Intention : l'engagement est affirmé, pas encore mis en œuvre"),
    (2, "Premiers pas : des actions ponctuelles"),
    (3, "Pratique établie : des actions régulières et suivies"),
    (4, "Pratique exemplaire : partagée avec le réseau"),
)

COMMITMENTS: tuple[Commitment, ...] = (
    Commitment(
        "openness",
        "L'ouverture",
        "Le lieu est ouvert à tous les publics et à de nouvelles idées.",
        (
            ("open_hours", "Des horaires d'ouverture publiés et tenus"),
            ("free_access", "Un accès libre ou gratuit à au moins un espace"),
            ("open_events", "Des événements ouverts au public"),
        ),
    ),
    Commitment(
        "territory",
        "Le lien au territoire",
        "Le lieu s'inscrit dans son quartier et coopère avec les acteurs locaux.",
        (
            ("local_partners", "Des partenariats avec des acteurs du territoire"),
            ("local_authority", "Un dialogue régulier avec la collectivité"),
            ("local_suppliers", "Des fournisseurs et prestataires locaux"),
        ),
    ),
    Commitment(
        "accessibility",
        "L'accessibilité",
        "Le lieu est accessible physiquement, financièrement et socialement.",
        (
            ("physical", "Un accès pour les personnes à mobilité réduite"),
            ("solidarity_prices", "Des tarifs solidaires ou adaptés"),
            ("transport", "Une desserte en transports en commun ou à vélo"),
        ),
    ),
    Commitment(
        "user_centred",
        "Le fonctionnement centré usagers",
        "Les usagers participent aux décisions et à la vie du lieu.",
        (
            ("governance", "Des usagers associés à la gouvernance"),
            ("feedback", "Une consultation régulière des usagers"),
            ("user_initiatives", "Des activités proposées par les usagers"),
        ),
    ),
    Commitment(
        "hybrid_resources",
        "L'hybridation des ressources",
        "Le lieu combine recettes d'activité, soutiens publics et contributions.",
        (
            ("own_revenue", "Des recettes propres issues des activités"),
            ("mixed_funding", "Plusieurs sources de financement"),
            ("contributions", "Des contributions bénévoles ou en nature reconnues"),
        ),
    ),
    Commitment(
        "open_model",
        "Le modèle ouvert et duplicable",
        "Le lieu documente et partage ses pratiques pour qu'elles essaiment.",
        (
            ("documented", "Des pratiques documentées"),
            ("shared_licence", "Des ressources sous licence libre"),
            ("mentoring", "L'accompagnement d'autres projets de tiers-lieux"),
        ),
    ),
)


def impact_keys() -> tuple[str, ...]:
    return tuple(impact.key for impact in IMPACTS)


def commitment_keys() -> tuple[str, ...]:
    return tuple(commitment.key for commitment in COMMITMENTS)
