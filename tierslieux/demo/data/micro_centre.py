"""The Micro-centre pilote: the duplicable 150-300 m2 hybrid place of its blueprint
(``seeds/000_6d729c841a80c6de.txt``), whole: sheet, team, hours, texts and spaces."""

from __future__ import annotations

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
