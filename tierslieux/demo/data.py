"""Demo network data: the eight places of the "Mille Lieux" study and the "Micro-centre pilote".

Pure data, no Django imports. Figures come from the French seed documents:

- ``seeds/002_02160530ca19453f.txt`` ("Mille Lieux: objectiver l'impact des tiers-lieux sur
  les territoires"): one technical sheet ("fiche technique") and one timeline per place;
- ``seeds/000_6d729c841a80c6de.txt`` ("Micro-centre Pilote"): the blueprint of a duplicable
  150-300 m2 hybrid place.

Conventions:

- shares are integer percentages; each investment / operation pair sums to 100, or both
  members of a pair are ``None`` when the seed gives nothing usable;
- ``team[i]["fte"]`` is the total full-time equivalent of the role line (all its people);
- ``opening_hours`` entries are ``[weekday, "HH:MM", "HH:MM"]`` with 0 = Monday; a split
  day is two entries. Hours, spaces, equipment and coordinates are illustrative unless
  ``source_notes`` says otherwise;
- a space's optional ``inside`` is the slug of the room it stands in (a machine in its
  fablab): booking the room blocks it;
- ``opening_date`` uses the first of the month (or of January) when only a month (or a
  year) is known.
"""

from __future__ import annotations

PLACES: list[dict] = [
    {
        "slug": "iness-narbonne",
        "name": "IN'ESS",
        "address": "Avenue Pompidor",
        "postcode": "11100",
        "commune": "Narbonne",
        "country": "FR",
        "latitude": "43.1900",
        "longitude": "2.9960",
        "location_type": "periphery",
        "surface_m2": 5000,
        "legal_form": "public_service",
        "legal_form_detail": "Service de l'agglomération du Grand Narbonne",
        "categories": ["support_incubation", "coworking", "fablab", "food", "other"],
        "programme": [
            "Pôle innovation et cohésion sociales du Grand Narbonne",
            "Pépinière d'entreprises",
            "Organismes de formation",
            "Mission Locale",
            "Coworking",
            "Fablab",
            "Restaurant",
        ],
        "investment_public_share": 100,
        "investment_private_share": 0,
        "operation_public_share": 100,
        "operation_private_share": 0,
        "opening_date": "2014-12-01",
        "status": "open",
        "timezone": "Europe/Paris",
        "team": [
            {"role": "Directrice", "people": 1, "fte": "1.0"},
            {"role": "Cheffe de service", "people": 1, "fte": "1.0"},
            {"role": "Agent d'accueil administratif", "people": 1, "fte": "1.0"},
            {"role": "Concierge du bâtiment", "people": 1, "fte": "1.0"},
            {"role": "Assistante responsable de service", "people": 1, "fte": "1.0"},
            {"role": "Facilitatrice clause sociale", "people": 1, "fte": "1.0"},
            {"role": "Chargée de projets numériques", "people": 1, "fte": "1.0"},
        ],
        "visitors_per_year": 4555,
        "events_per_year": None,
        "resident_organisations": 17,
        "description": (
            "IN'ESS est un équipement du Grand Narbonne dédié à l'accompagnement des projets "
            "professionnels et à la création d'activités, installé dans l'ancienne direction "
            "opérationnelle de France Télécom, au coeur du quartier prioritaire Saint-Jean "
            "Saint-Pierre. Il regroupe des structures de l'économie sociale et solidaire, une "
            "pépinière d'entreprises, des organismes de formation et la Mission Locale, avec un "
            "fablab et un coworking ouverts en 2017 et un restaurant ouvert sur la place publique."
        ),
        "website": "",
        "opening_hours": [
            [0, "08:30", "12:30"],
            [0, "13:30", "17:30"],
            [1, "08:30", "12:30"],
            [1, "13:30", "17:30"],
            [2, "08:30", "12:30"],
            [2, "13:30", "17:30"],
            [3, "08:30", "12:30"],
            [3, "13:30", "17:30"],
            [4, "08:30", "12:30"],
            [4, "13:30", "17:00"],
        ],
        "spaces": [
            {
                "slug": "coworking",
                "name": "Espace de coworking",
                "kind": "coworking",
                "surface_m2": 120,
                "capacity": 16,
                "units": 16,
                "equipment": ["wifi", "imprimante", "coin café", "casiers"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "fablab",
                "name": "Fablab",
                "kind": "workshop",
                "surface_m2": 100,
                "capacity": 12,
                "units": 1,
                "equipment": [
                    "imprimante 3D",
                    "découpeuse laser",
                    "fraiseuse numérique",
                    "établi",
                    "outillage",
                    "wifi",
                ],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "imprimantes-3d",
                "name": "Imprimantes 3D du fablab",
                "kind": "machine",
                "surface_m2": 4,
                "capacity": 1,
                "units": 3,
                "equipment": ["imprimante 3D"],
                "step_free_access": True,
                "bookable": True,
                "inside": "fablab",
            },
            {
                "slug": "salle-formation",
                "name": "Salle de formation",
                "kind": "meeting_room",
                "surface_m2": 60,
                "capacity": 24,
                "units": 1,
                "equipment": ["vidéoprojecteur", "tableau blanc", "wifi"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "restaurant",
                "name": "Restaurant",
                "kind": "other",
                "surface_m2": 150,
                "capacity": 60,
                "units": 1,
                "equipment": ["cuisine", "bar"],
                "step_free_access": True,
                "bookable": False,
            },
        ],
        "source_notes": (
            "From the seed sheet: periphery, 5,000 m2, 100 % public investment and operation, "
            "legal form, 17 resident organisations, 4,555 users and publics welcomed in 2017 "
            "(stored as visitors_per_year), the 7-person team and the programme. Opening date = "
            "official inauguration in December 2014 (seed timeline; the director's quote speaks "
            "of opening in 2012, before the building works). Street name from public press "
            "(no number); coordinates approximate (Saint-Jean Saint-Pierre district). FTEs, "
            "hours and spaces are illustrative."
        ),
    },
    {
        "slug": "c-mine-genk",
        "name": "C-mine",
        "address": "C-mine 10",
        "postcode": "3600",
        "commune": "Genk",
        "country": "BE",
        "latitude": "50.9669",
        "longitude": "5.4950",
        "location_type": "periphery",
        "surface_m2": 340580,
        "legal_form": "other",
        "legal_form_detail": (
            "Entreprise communale autonome (Autonoom Gemeentebedrijf Genk - AGB Genk)"
        ),
        "categories": [
            "cultural_cafe",
            "support_incubation",
            "shared_workshop",
            "fablab",
            "food",
            "other",
        ],
        "programme": [
            "Centre culturel",
            "Centre de design",
            "École d'art",
            "Incubateur pour jeunes entrepreneurs et startupers",
            "Ateliers d'activités du secteur de la création",
            "Logements",
            "Fablab",
            "Cinéma",
            "Restaurants",
            "Espaces divertissement et jeux pour enfants",
            "Espaces publics extérieurs",
        ],
        "investment_public_share": 70,
        "investment_private_share": 30,
        "operation_public_share": None,
        "operation_private_share": None,
        "opening_date": "2005-05-01",
        "status": "open",
        "timezone": "Europe/Brussels",
        "team": [
            {"role": "Chargée de communication et de marketing", "people": 1, "fte": "1.0"},
            {"role": "Chargé de mission (mobilisé ponctuellement)", "people": 2, "fte": "0.4"},
        ],
        "visitors_per_year": 750000,
        "events_per_year": None,
        "resident_organisations": 42,
        "description": (
            "C-mine est un ancien site d'extraction de charbon de Genk transformé en lieu "
            "hybride, destination touristique et culturelle qui capitalise sur le patrimoine "
            "industriel de la région. Le site réunit centre culturel, cinéma, école d'art, "
            "centre de design, fablab et incubateur, et accueille de jeunes entreprises des "
            "industries créatives et du numérique pour renouveler l'activité économique de la "
            "ville."
        ),
        "website": "",
        "opening_hours": [
            [1, "10:00", "18:00"],
            [2, "10:00", "18:00"],
            [3, "10:00", "18:00"],
            [4, "10:00", "18:00"],
            [5, "10:00", "18:00"],
            [6, "10:00", "18:00"],
        ],
        "spaces": [
            {
                "slug": "salle-evenementielle",
                "name": "Salle événementielle",
                "kind": "multipurpose_room",
                "surface_m2": 600,
                "capacity": 400,
                "units": 1,
                "equipment": ["sono", "vidéoprojecteur", "scène", "éclairage scénique", "wifi"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "incubateur-crib",
                "name": "Incubateur C-mine Crib",
                "kind": "coworking",
                "surface_m2": 300,
                "capacity": 30,
                "units": 30,
                "equipment": ["wifi", "imprimante", "coin café", "tableau blanc"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "fablab",
                "name": "Fablab",
                "kind": "workshop",
                "surface_m2": 150,
                "capacity": 15,
                "units": 1,
                "equipment": ["imprimante 3D", "découpeuse laser", "fraiseuse numérique", "établi"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "ateliers-creatifs",
                "name": "Ateliers du secteur de la création",
                "kind": "workshop",
                "surface_m2": 60,
                "capacity": 4,
                "units": 10,
                "equipment": ["établi", "évier", "wifi"],
                "step_free_access": True,
                "bookable": False,
            },
            {
                "slug": "espaces-publics",
                "name": "Espaces publics extérieurs",
                "kind": "outdoor",
                "surface_m2": 20000,
                "capacity": 2000,
                "units": 1,
                "equipment": ["mobilier extérieur"],
                "step_free_access": True,
                "bookable": False,
            },
        ],
        "source_notes": (
            "From the seed sheet: periphery, 340,580 m2 (whole former mine site), investment "
            "70 % public / 30 % private, operation left None (the seed says it is public, private "
            "or hybrid depending on the organisation), legal form (an autonomous municipal "
            "company, mapped to 'other'), 42 organisations (330 jobs), 750,000 visitors a year, "
            "the 3-person team and the programme. Opening date = 'Lancement de C-mine' (May 2005) "
            "in the seed timeline. Address and coordinates from public knowledge. FTE of the two "
            "occasional staff (0.4 total), hours and spaces are illustrative; the event rooms "
            "reflect the seed's C-mine Synergie renting event spaces."
        ),
    },
    {
        "slug": "terralab-arles",
        "name": "TerraLab",
        "address": "",
        "postcode": "13200",
        "commune": "Arles",
        "country": "FR",
        "latitude": "43.6768",
        "longitude": "4.6303",
        "location_type": "historic_centre",
        "surface_m2": 80,
        "legal_form": "association",
        "legal_form_detail": "Association, adossée à une SARL (salon de coiffure)",
        "categories": ["cultural_cafe", "food", "other"],
        "programme": [
            "Salon de coiffure",
            "Ateliers créatifs",
            "Événements culturels hors les murs",
            "Bibliothèque partagée",
            "Boutique éphémère",
            "Ateliers cuisine",
            "Expositions",
        ],
        "investment_public_share": 0,
        "investment_private_share": 100,
        "operation_public_share": 0,
        "operation_private_share": 100,
        "opening_date": "2017-03-01",
        "status": "open",
        "timezone": "Europe/Paris",
        "team": [
            {"role": "Coiffeuse", "people": 3, "fte": "3.0"},
            {"role": "Chargé de communication de TerraLab (mi-temps)", "people": 1, "fte": "0.5"},
            {"role": "Intervenant extérieur ponctuel", "people": 4, "fte": "0.4"},
        ],
        "visitors_per_year": None,
        "events_per_year": None,
        "resident_organisations": None,
        "description": (
            "TerraLab est une association créée au sein du salon de coiffure Terre de Beauté, "
            "spécialisé dans les colorations végétales et les produits naturels, en plein coeur "
            "de la cité historique d'Arles. Elle propose pendant les longs temps de pose des "
            "activités culturelles et de bien-être fondées sur la consommation responsable et la "
            "solidarité : bibliothèque partagée, expositions, ateliers et coupe suspendue."
        ),
        "website": "",
        "opening_hours": [
            [1, "09:00", "19:00"],
            [2, "09:00", "19:00"],
            [3, "09:00", "19:00"],
            [4, "09:00", "19:00"],
            [5, "09:00", "18:00"],
        ],
        "spaces": [
            {
                "slug": "salon-coiffure",
                "name": "Salon de coiffure",
                "kind": "other",
                "surface_m2": 45,
                "capacity": 8,
                "units": 1,
                "equipment": ["bac à shampoing", "fauteuil de coiffure", "wifi"],
                "step_free_access": True,
                "bookable": False,
            },
            {
                "slug": "espace-ateliers-expositions",
                "name": "Espace ateliers et expositions",
                "kind": "multipurpose_room",
                "surface_m2": 25,
                "capacity": 12,
                "units": 1,
                "equipment": ["cimaises", "tables pliantes", "wifi"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "bibliotheque-partagee",
                "name": "Bibliothèque partagée",
                "kind": "other",
                "surface_m2": 3,
                "capacity": 2,
                "units": 1,
                "equipment": ["étagères"],
                "step_free_access": True,
                "bookable": False,
            },
        ],
        "source_notes": (
            "From the seed sheet: historic centre (the value sits on the line after "
            "'Localisation :'), 80 m2, 100 % private investment and operation, legal form, the "
            "team and the programme. Users figures are not stored: the seed gives 20 salon "
            "clients a day and 350 participants in cultural events in 2018, neither of which is "
            "a yearly visitor or event count. Opening date = creation of the TerraLab association "
            "(March 2017; the salon itself opened in May 2010). FTE of the hairdressers and of "
            "the occasional speakers, street address (unknown, left empty), town-centre "
            "coordinates, hours and spaces are assumed. The seed says the place moves out of the "
            "historic centre in 2019."
        ),
    },
    {
        "slug": "bliiida-metz",
        "name": "Bliiida",
        "address": "7 avenue de Blida",
        "postcode": "57000",
        "commune": "Metz",
        "country": "FR",
        "latitude": "49.1283",
        "longitude": "6.1843",
        "location_type": "city_centre",
        "surface_m2": 30000,
        "legal_form": "saeml",
        "legal_form_detail": (
            "SAEML (Société anonyme d'économie mixte locale, propriétaire) et association "
            "(gestionnaire)"
        ),
        "categories": [
            "shared_workshop",
            "support_incubation",
            "coworking",
            "food",
            "fablab",
            "other",
        ],
        "programme": [
            "Ateliers d'artistes et d'artisans",
            "Pépinière d'entreprises du secteur des industries créatives",
            "Coworking",
            "Cantine",
            "Fablab",
            "Résidences de création éphémères",
            "Résidences d'entreprises partenaires",
            "Jardin partagé",
        ],
        "investment_public_share": 80,
        "investment_private_share": 20,
        "operation_public_share": 56,
        "operation_private_share": 44,
        "opening_date": "2014-01-01",
        "status": "open",
        "timezone": "Europe/Paris",
        "team": [
            {"role": "Directeur", "people": 1, "fte": "1.0"},
            {"role": "Secrétaire générale", "people": 1, "fte": "1.0"},
            {"role": "Chargée de marketing", "people": 1, "fte": "1.0"},
            {"role": "Chargée de projets et programmation", "people": 1, "fte": "1.0"},
            {"role": "Concierge", "people": 1, "fte": "1.0"},
            {"role": "Commercialisation d'espace et administration", "people": 1, "fte": "1.0"},
            {"role": "Responsable des partenariats et startups", "people": 1, "fte": "1.0"},
            {"role": "Fabmanager", "people": 1, "fte": "1.0"},
            {"role": "Régisseur", "people": 1, "fte": "1.0"},
            {"role": "Chargée de communication", "people": 1, "fte": "1.0"},
            {"role": "Chargée d'administration", "people": 1, "fte": "1.0"},
            {"role": "Autre membre de l'équipe (rôle non précisé)", "people": 1, "fte": "1.0"},
        ],
        "visitors_per_year": 19000,
        "events_per_year": None,
        "resident_organisations": 5,
        "description": (
            "Bliiida (anciennement TCRM-BLIDA) est un tiers-lieu de création, de production et "
            "d'innovation artistique et numérique ouvert depuis 2014 dans les anciens entrepôts "
            "de bus TCRM de Metz, à l'initiative de la municipalité. Il accueille des industries "
            "créatives, des ateliers d'artistes et d'artisans, une pépinière, un coworking, un "
            "fablab et une cantine ; la SAEML Metz Techno'pôles gère le site et une association "
            "anime le lieu."
        ),
        "website": "",
        "opening_hours": [
            [0, "09:00", "19:00"],
            [1, "09:00", "19:00"],
            [2, "09:00", "19:00"],
            [3, "09:00", "19:00"],
            [4, "09:00", "19:00"],
        ],
        "spaces": [
            {
                "slug": "coworking",
                "name": "Coworking",
                "kind": "coworking",
                "surface_m2": 400,
                "capacity": 40,
                "units": 40,
                "equipment": ["wifi", "imprimante", "coin café", "casiers"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "fablab",
                "name": "Fablab",
                "kind": "workshop",
                "surface_m2": 200,
                "capacity": 20,
                "units": 1,
                "equipment": [
                    "imprimante 3D",
                    "découpeuse laser",
                    "fraiseuse numérique",
                    "établi",
                    "outillage",
                ],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "ateliers-artistes-artisans",
                "name": "Ateliers d'artistes et d'artisans",
                "kind": "workshop",
                "surface_m2": 50,
                "capacity": 3,
                "units": 20,
                "equipment": ["établi", "évier", "stockage sécurisé"],
                "step_free_access": True,
                "bookable": False,
            },
            {
                "slug": "halle-evenementielle",
                "name": "Halle événementielle",
                "kind": "multipurpose_room",
                "surface_m2": 390,
                "capacity": 900,
                "units": 1,
                "equipment": ["sono", "vidéoprojecteur", "scène", "éclairage scénique", "bar"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "cantine",
                "name": "Cantine",
                "kind": "other",
                "surface_m2": 120,
                "capacity": 60,
                "units": 1,
                "equipment": ["cuisine", "wifi"],
                "step_free_access": True,
                "bookable": False,
            },
            {
                "slug": "jardin-partage",
                "name": "Jardin partagé",
                "kind": "outdoor",
                "surface_m2": 500,
                "capacity": 30,
                "units": 1,
                "equipment": ["bacs de culture", "composteur", "récupérateur d'eau de pluie"],
                "step_free_access": True,
                "bookable": False,
            },
        ],
        "source_notes": (
            "From the seed sheet: city centre, 30,000 m2 (of which 16,000 m2 used), investment "
            "80 % public / 20 % private, operation 56 % public / 44 % private, legal form "
            "(SAEML owner + managing association, mapped to 'saeml'), 5 resident organisations "
            "in 2019 (82 permanent jobs, 120 workers a day), 19,000 event participants in 2017 "
            "(stored as visitors_per_year), the programme and the 12-person team (the seed "
            "lists 11 roles for 12 people, so one line is 'role not specified'). Opening year "
            "2014 from the seed ('ouvert depuis 2014'). Address from public sources; "
            "coordinates approximate. The event hall size (390 m2, 900 standing) follows public "
            "venue information; FTEs, hours and other spaces are illustrative."
        ),
    },
    {
        "slug": "espace-kenere-pontivy",
        "name": "Espace Kenere",
        "address": "",
        "postcode": "56300",
        "commune": "Pontivy",
        "country": "FR",
        "latitude": "48.0712",
        "longitude": "-2.9655",
        "location_type": "city_centre",
        "surface_m2": 2600,
        "legal_form": "public_service",
        "legal_form_detail": "Service public administratif",
        "categories": ["fablab", "cultural_cafe", "other"],
        "programme": [
            "Médiathèque",
            "Archives municipales",
            "Fablab",
            "Grainothèque",
            "Expositions",
            "Concerts",
            "Conférences",
        ],
        "investment_public_share": 100,
        "investment_private_share": 0,
        "operation_public_share": 100,
        "operation_private_share": 0,
        "opening_date": "2013-09-01",
        "status": "open",
        "timezone": "Europe/Paris",
        "team": [
            {"role": "Bibliothécaire", "people": 6, "fte": "6.0"},
            {
                "role": "Bibliothécaire, responsable multimédia et fablab",
                "people": 1,
                "fte": "1.0",
            },
            {"role": "Archiviste", "people": 2, "fte": "2.0"},
        ],
        "visitors_per_year": 66000,
        "events_per_year": None,
        "resident_organisations": None,
        "description": (
            "L'Espace Kenere est un équipement de la ville de Pontivy qui réunit la médiathèque, "
            "les archives municipales et, depuis 2015, un fablab de 12 m2 installé dans une "
            "ancienne réserve. Il se veut un lieu de vie et de culture, fonctionnel et "
            "contemporain, avec une grainothèque, des expositions, des concerts et des conférences."
        ),
        "website": "",
        "opening_hours": [
            [1, "14:00", "18:00"],
            [2, "10:00", "12:30"],
            [2, "14:00", "18:00"],
            [3, "14:00", "18:00"],
            [4, "14:00", "19:00"],
            [5, "10:00", "12:30"],
            [5, "14:00", "17:00"],
        ],
        "spaces": [
            {
                "slug": "fablab",
                "name": "Fablab",
                "kind": "workshop",
                "surface_m2": 12,
                "capacity": 6,
                "units": 1,
                "equipment": ["imprimante 3D", "ordinateurs", "outillage"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "espace-multimedia",
                "name": "Espace multimédia",
                "kind": "desk",
                "surface_m2": 40,
                "capacity": 8,
                "units": 8,
                "equipment": ["ordinateurs", "wifi", "imprimante"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "salle-animation",
                "name": "Salle d'animation (expositions, concerts, conférences)",
                "kind": "multipurpose_room",
                "surface_m2": 120,
                "capacity": 80,
                "units": 1,
                "equipment": ["vidéoprojecteur", "sono", "cimaises", "wifi"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "grainotheque",
                "name": "Grainothèque",
                "kind": "other",
                "surface_m2": 4,
                "capacity": 4,
                "units": 1,
                "equipment": ["étagères"],
                "step_free_access": True,
                "bookable": False,
            },
        ],
        "source_notes": (
            "From the seed sheet: city centre, 2,600 m2 media library (the fablab itself is "
            "12 m2), 100 % public investment and operation, legal form, 66,000 entries a year "
            "on average (12 regular and 20 occasional fablab users), the 9-person team and the "
            "programme. Opening date = inauguration in September 2013 (seed timeline; fablab "
            "June 2015, seed library March 2017). FTEs (assumed full time), street address "
            "(unknown, left empty), approximate coordinates, hours and spaces other than the "
            "12 m2 fablab are illustrative."
        ),
    },
    {
        "slug": "la-quincaillerie-gueret",
        "name": "La Quincaillerie",
        "address": "",
        "postcode": "23000",
        "commune": "Guéret",
        "country": "FR",
        "latitude": "46.1714",
        "longitude": "1.8716",
        "location_type": "historic_centre",
        "surface_m2": 300,
        "legal_form": "public_service",
        "legal_form_detail": "Service de la Communauté d'Agglomération du Grand Guéret",
        "categories": ["fablab", "coworking", "cultural_cafe", "other"],
        "programme": [
            "Espace de médiation numérique",
            "Fablab",
            "Coworking libre (gratuit)",
            "Postes informatiques en libre accès",
            "Salle d'activité",
            "Espace radio (RPG)",
            "Espace de convivialité",
            "Bar autogéré",
            "Espace de test de la Réalité Virtuelle",
            "Espace d'exposition",
        ],
        "investment_public_share": 100,
        "investment_private_share": 0,
        "operation_public_share": 80,
        "operation_private_share": 20,
        "opening_date": "2014-03-01",
        "status": "open",
        "timezone": "Europe/Paris",
        "team": [
            {"role": "Coordinateur de projet - concierge", "people": 1, "fte": "1.0"},
            {"role": "Fabmanager - concierge", "people": 1, "fte": "1.0"},
            {"role": "Médiateur numérique", "people": 1, "fte": "1.0"},
        ],
        "visitors_per_year": 5000,
        "events_per_year": None,
        "resident_organisations": 12,
        "description": (
            "La Quincaillerie est un espace ouvert de médiation numérique installé par "
            "l'agglomération du Grand Guéret dans une ancienne quincaillerie du centre-ville. "
            "Elle met à disposition un espace public numérique, des salles de réunion, un "
            "coworking libre et un fablab, propose des services de conciergerie, des ateliers et "
            "des activités culturelles ; ce tiers-lieu d'assemblage local fédère les implications "
            "citoyennes."
        ),
        "website": "",
        "opening_hours": [
            [1, "10:00", "19:00"],
            [2, "10:00", "19:00"],
            [3, "10:00", "19:00"],
            [4, "10:00", "22:00"],
            [5, "14:00", "18:00"],
        ],
        "spaces": [
            {
                "slug": "coworking-libre",
                "name": "Coworking libre",
                "kind": "coworking",
                "surface_m2": 60,
                "capacity": 10,
                "units": 8,
                "equipment": ["wifi", "coin café", "imprimante"],
                "step_free_access": True,
                "bookable": False,
            },
            {
                "slug": "fablab",
                "name": "Fablab",
                "kind": "workshop",
                "surface_m2": 50,
                "capacity": 10,
                "units": 1,
                "equipment": [
                    "imprimante 3D",
                    "découpeuse laser",
                    "brodeuse numérique",
                    "plotter de découpe",
                    "établi",
                ],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "imprimantes-3d",
                "name": "Imprimantes 3D",
                "kind": "machine",
                "surface_m2": 3,
                "capacity": 1,
                "units": 3,
                "equipment": ["imprimante 3D"],
                "step_free_access": True,
                "bookable": True,
                "inside": "fablab",
            },
            {
                "slug": "salle-activite",
                "name": "Salle d'activité",
                "kind": "multipurpose_room",
                "surface_m2": 60,
                "capacity": 30,
                "units": 1,
                "equipment": ["vidéoprojecteur", "tableau blanc", "mobilier modulable", "wifi"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "espace-radio",
                "name": "Espace radio (RPG)",
                "kind": "other",
                "surface_m2": 15,
                "capacity": 4,
                "units": 1,
                "equipment": ["table de mixage", "micros"],
                "step_free_access": True,
                "bookable": False,
            },
            {
                "slug": "espace-convivialite",
                "name": "Espace de convivialité et bar autogéré",
                "kind": "other",
                "surface_m2": 60,
                "capacity": 40,
                "units": 1,
                "equipment": ["bar", "coin café", "cimaises", "wifi"],
                "step_free_access": True,
                "bookable": False,
            },
        ],
        "source_notes": (
            "From the seed sheet: historic centre, 300 m2, investment 100 % public, operation "
            "80 % public / 20 % private, legal form, 12 resident associations, 5,000 to 6,000 "
            "visitors a year (lower bound stored), the 3-person team and the programme. Opening "
            "date = 'mars 2014 Inauguration de La Quincaillerie Numérique' as the seed's "
            "(garbled) timeline reads; note that the Grand Guéret website gives an inauguration "
            "on 6 March 2015. The seed describes the 300 m2 town-centre shop used before the "
            "2019 move (public sources give the later address 22 avenue Charles de Gaulle), so "
            "the address is left empty and coordinates are the town centre. Fablab machines "
            "follow public descriptions (three 3D printers, laser cutter, digital embroidery); "
            "FTEs, hours and other spaces are illustrative."
        ),
    },
    {
        "slug": "coboi-sant-boi",
        "name": "Coboi",
        "address": "",
        "postcode": "08830",
        "commune": "Sant Boi de Llobregat",
        "country": "ES",
        "latitude": "41.3436",
        "longitude": "2.0366",
        "location_type": "city_centre",
        "surface_m2": 50,
        "legal_form": "public_service",
        "legal_form_detail": "Programme de la ville de Sant Boi de Llobregat",
        "categories": ["support_incubation", "living_lab", "cultural_cafe", "other"],
        "programme": [
            "Incubateur dans une maison de quartier",
            "Bar associatif",
            "Associations de quartier",
            "Dispositif d'aide au retour à l'emploi",
            "Salle de concert",
            "Expositions",
            "Concerts",
            "Conférences",
        ],
        "investment_public_share": 100,
        "investment_private_share": 0,
        "operation_public_share": 100,
        "operation_private_share": 0,
        "opening_date": "2012-11-01",
        "status": "open",
        "timezone": "Europe/Madrid",
        "team": [
            {"role": "Coordinateur de projet", "people": 1, "fte": "1.0"},
            {"role": "Technicienne innovation sociale", "people": 1, "fte": "1.0"},
            {
                "role": "Designeuse en innovation sociale (mobilisée ponctuellement)",
                "people": 1,
                "fte": "0.2",
            },
        ],
        "visitors_per_year": 45,
        "events_per_year": None,
        "resident_organisations": 16,
        "description": (
            "Coboi est un laboratoire d'innovation sociale intégré au dernier étage de la maison "
            "de quartier Casal Casablanca, à Sant Boi de Llobregat, dans l'agglomération de "
            "Barcelone. Incubateur public, il sélectionne chaque année par appel à projets une "
            "dizaine de projets et leur offre pendant six mois un espace de travail et des outils "
            "méthodologiques pour explorer de nouvelles manières de collaborer."
        ),
        "website": "",
        "opening_hours": [
            [0, "09:00", "14:00"],
            [0, "16:00", "20:00"],
            [1, "09:00", "14:00"],
            [1, "16:00", "20:00"],
            [2, "09:00", "14:00"],
            [2, "16:00", "20:00"],
            [3, "09:00", "14:00"],
            [3, "16:00", "20:00"],
            [4, "09:00", "14:00"],
        ],
        "spaces": [
            {
                "slug": "espace-incubation",
                "name": "Espace d'incubation",
                "kind": "coworking",
                "surface_m2": 40,
                "capacity": 10,
                "units": 8,
                "equipment": ["wifi", "tableau blanc", "mobilier modulable"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "salle-concert-casal",
                "name": "Salle de concert de la maison de quartier",
                "kind": "multipurpose_room",
                "surface_m2": 150,
                "capacity": 120,
                "units": 1,
                "equipment": ["sono", "scène", "vidéoprojecteur"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "bar-associatif",
                "name": "Bar associatif",
                "kind": "other",
                "surface_m2": 60,
                "capacity": 40,
                "units": 1,
                "equipment": ["bar", "coin café"],
                "step_free_access": True,
                "bookable": False,
            },
        ],
        "source_notes": (
            "From the seed sheet: city centre, 50 m2 (inside a 1,100 m2 neighbourhood centre), "
            "100 % public investment and operation, legal form, 16 projects supported a year "
            "(stored as resident_organisations) and 45 nomad entrepreneurs a year (stored as "
            "visitors_per_year), the 3-person team and the programme (which lists the uses of "
            "the host casal). Opening date = 'novembre 2012 Ouverture de Coboi' (the seed adds "
            "that it moved and became Coboi Lab in November 2018). Street address unknown (left "
            "empty), town coordinates; the designer's FTE, hours and spaces are illustrative."
        ),
    },
    {
        "slug": "les-riverains-auxerre",
        "name": "Les Riverains",
        "address": "Gare d'Auxerre-Saint-Gervais",
        "postcode": "89000",
        "commune": "Auxerre",
        "country": "FR",
        "latitude": "47.7921",
        "longitude": "3.5849",
        "location_type": "city_centre",
        "surface_m2": 300,
        "legal_form": "association",
        "legal_form_detail": "association",
        "categories": ["fablab", "coworking", "cultural_cafe", "support_incubation", "other"],
        "programme": [
            "Fablab",
            "Médialab",
            "Makerspace",
            "Recyclerie - ressourcerie",
            "Coworking",
            "Bar associatif",
            "Studio de création",
            "Bureaux",
            "Jardin partagé",
        ],
        "investment_public_share": 90,
        "investment_private_share": 10,
        "operation_public_share": 100,
        "operation_private_share": 0,
        "opening_date": "2017-09-01",
        "status": "open",
        "timezone": "Europe/Paris",
        "team": [
            {"role": "Coordinateur et chargé de développement", "people": 1, "fte": "1.0"},
            {"role": "Chargée de gestion", "people": 1, "fte": "1.0"},
            {"role": "Fabmanager", "people": 1, "fte": "1.0"},
        ],
        "visitors_per_year": 1200,
        "events_per_year": 35,
        "resident_organisations": 12,
        "description": (
            "Les Riverains est un tiers-lieu open-source installé dans la gare d'Auxerre, dédié "
            "à l'expérimentation et à l'appropriation des nouveaux usages numériques citoyens et "
            "des usages éco-responsables. Né de la communauté du fablab l'Atelier des Beaux "
            "Boulons, cet espace hybride réunit fablab, recyclerie, coworking et bar associatif "
            "et agit comme pré-incubateur de projets pour l'agglomération auxerroise."
        ),
        "website": "",
        "opening_hours": [
            [0, "09:00", "18:00"],
            [1, "09:00", "18:00"],
            [2, "09:00", "18:00"],
            [3, "09:00", "18:00"],
            [3, "19:00", "22:00"],
            [4, "09:00", "18:00"],
            [5, "10:00", "17:00"],
        ],
        "spaces": [
            {
                "slug": "coworking",
                "name": "Coworking",
                "kind": "coworking",
                "surface_m2": 60,
                "capacity": 12,
                "units": 10,
                "equipment": ["wifi", "coin café", "imprimante"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "fablab-makerspace",
                "name": "Fablab et makerspace",
                "kind": "workshop",
                "surface_m2": 80,
                "capacity": 15,
                "units": 1,
                "equipment": ["imprimante 3D", "découpeuse laser", "établi", "outillage"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "decoupeuse-laser",
                "name": "Découpeuse laser",
                "kind": "machine",
                "surface_m2": 4,
                "capacity": 1,
                "units": 1,
                "equipment": ["découpeuse laser"],
                "step_free_access": True,
                "bookable": True,
                "inside": "fablab-makerspace",
            },
            {
                "slug": "medialab-studio",
                "name": "Médialab et studio de création",
                "kind": "other",
                "surface_m2": 25,
                "capacity": 5,
                "units": 1,
                "equipment": ["micros", "caméra", "presse de sérigraphie", "ordinateurs"],
                "step_free_access": True,
                "bookable": True,
            },
            {
                "slug": "bar-associatif",
                "name": "Bar associatif",
                "kind": "other",
                "surface_m2": 30,
                "capacity": 25,
                "units": 1,
                "equipment": ["bar", "coin café", "wifi"],
                "step_free_access": True,
                "bookable": False,
            },
            {
                "slug": "jardin-partage",
                "name": "Jardin partagé",
                "kind": "outdoor",
                "surface_m2": 100,
                "capacity": 20,
                "units": 1,
                "equipment": ["bacs de culture", "composteur"],
                "step_free_access": True,
                "bookable": False,
            },
        ],
        "source_notes": (
            "From the seed sheet: city centre (the value sits on the line after "
            "'Localisation :'), 300 m2, investment 90 % public / 10 % private, operation 100 % "
            "public, association, 5 associations + 7 companies resident (12), about 1,200 "
            "visitors over 35 events in 2018 (18 professional users a day), the 3-person team "
            "and the programme. Opening date = inauguration in September 2017 (seed timeline). "
            "The seed places it in the Auxerre railway station and says it moves to a brownfield "
            "site in 2020; station name used as address, coordinates approximate. FTEs, hours "
            "and spaces are illustrative."
        ),
    },
]

MICRO_CENTRE: dict = {
    "slug": "micro-centre-pilote",
    "name": "Micro-centre pilote",
    "address": "8 rue de la Filature",
    "postcode": "24000",
    "commune": "Périgueux",
    "country": "FR",
    "latitude": "45.1846",
    "longitude": "0.7214",
    "location_type": "city_centre",
    "surface_m2": 240,
    "legal_form": "association",
    "legal_form_detail": "Association loi 1901",
    "categories": ["coworking", "shared_workshop", "support_incubation", "food", "other"],
    "programme": [
        "Ateliers et formations",
        "Réunions et événements",
        "Projections et conférences",
        "Activités physiques douces",
        "Travail individuel en coworking",
        "Rendez-vous professionnels et permanences",
        "Prototypage et fabrication à petite échelle",
        "Cuisine pédagogique",
        "Méditation et relaxation",
        "Consultations santé et bien-être",
        "Ateliers sensoriels",
        "Jardin pédagogique et terrasse conviviale",
        "Accompagnement de projets",
        "Petite restauration et boutique de produits locaux",
    ],
    "investment_public_share": 30,
    "investment_private_share": 70,
    "operation_public_share": 25,
    "operation_private_share": 75,
    "opening_date": None,
    "status": "project",
    "timezone": "Europe/Paris",
    "team": [
        {"role": "Coordinateur.trice", "people": 1, "fte": "1.0"},
        {"role": "Assistant.e polyvalent.e", "people": 1, "fte": "0.5"},
    ],
    "visitors_per_year": None,
    "events_per_year": None,
    "resident_organisations": None,
    "description": (
        "Le Micro-centre pilote est un espace physique hybride de 150 à 300 m2, conçu pour être "
        "duplicable, adaptable et économiquement viable dans différents contextes territoriaux. "
        "Il réunit un espace polyvalent, un coworking, un atelier pratique, un espace bien-être "
        "et un extérieur, avec une gouvernance partagée et au plus 30 % de financements publics."
    ),
    "website": "",
    "opening_hours": [
        [0, "09:00", "19:00"],
        [1, "09:00", "19:00"],
        [2, "09:00", "21:00"],
        [3, "09:00", "19:00"],
        [4, "09:00", "19:00"],
        [5, "10:00", "17:00"],
    ],
    "spaces": [
        {
            "slug": "espace-polyvalent",
            "name": "Espace polyvalent principal",
            "kind": "multipurpose_room",
            "surface_m2": 80,
            "capacity": 50,
            "units": 1,
            "equipment": [
                "mobilier modulable",
                "sono",
                "vidéoprojecteur",
                "éclairage adaptable",
                "rangements",
            ],
            "step_free_access": True,
            "bookable": True,
        },
        {
            "slug": "coworking",
            "name": "Espace de coworking",
            "kind": "coworking",
            "surface_m2": 50,
            "capacity": 8,
            "units": 8,
            "equipment": ["wifi", "connexion haut débit", "coin café", "imprimante"],
            "step_free_access": True,
            "bookable": True,
        },
        {
            "slug": "salle-reunion",
            "name": "Salle de réunion",
            "kind": "meeting_room",
            "surface_m2": 12,
            "capacity": 6,
            "units": 1,
            "equipment": ["tableau blanc", "écran", "wifi"],
            "step_free_access": True,
            "bookable": True,
        },
        {
            "slug": "atelier-pratique",
            "name": "Atelier pratique",
            "kind": "workshop",
            "surface_m2": 40,
            "capacity": 12,
            "units": 1,
            "equipment": ["établi", "outillage", "évier", "stockage sécurisé"],
            "step_free_access": True,
            "bookable": True,
        },
        {
            "slug": "decoupeuse-laser",
            "name": "Découpeuse laser de l'atelier",
            "kind": "machine",
            "surface_m2": 2,
            "capacity": 1,
            "units": 1,
            "equipment": ["découpeuse laser"],
            "step_free_access": True,
            "bookable": True,
            "inside": "atelier-pratique",
        },
        {
            "slug": "espace-bien-etre",
            "name": "Espace bien-être et santé",
            "kind": "wellbeing",
            "surface_m2": 30,
            "capacity": 10,
            "units": 1,
            "equipment": ["sol adapté", "tapis", "coussins", "rangements"],
            "step_free_access": True,
            "bookable": True,
        },
        {
            "slug": "exterieur",
            "name": "Extérieur (jardin et terrasse)",
            "kind": "outdoor",
            "surface_m2": 60,
            "capacity": 30,
            "units": 1,
            "equipment": [
                "mobilier extérieur",
                "bacs de culture",
                "récupérateur d'eau de pluie",
                "composteur",
            ],
            "step_free_access": True,
            "bookable": True,
        },
    ],
    "source_notes": (
        "From the blueprint seed: 150-300 m2 total, the five spaces with their m2 ranges and "
        "base equipment (multipurpose 80 of 60-100, coworking 50 of 40-60 with 8 desks of 5-10, "
        "workshop 40 of 30-50, wellbeing 30 of 20-40, outdoor of variable size), one meeting "
        "room for 6 (blueprint: 1-2 rooms of 4-6 people), coordinator 1 FTE and multi-skilled "
        "assistant 0.5 FTE, association as one of the legal options, and the programme. "
        "Assumed: the address is fictional (a plausible street in Périgueux, town-centre "
        "coordinates); surface 240 m2 indoor (spaces plus reception and circulation, outdoor "
        "excluded); shares 30/70 for investment and 25/75 for operation, chosen to respect "
        "'max 30 % public funding'; hours, capacities, the workshop's laser cutter and the 60 m2 "
        "outdoor size are illustrative. It is a project, so opening date and users figures are "
        "None (targets: 100-150 individual members, 10-15 member organisations)."
    ),
}
