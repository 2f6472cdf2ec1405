"""The team of each Mille Lieux place: one line per role, its head count and total FTE."""

from __future__ import annotations

TEAMS: dict[str, list[dict]] = {
    "iness-narbonne": [
        {"role": "Directrice", "people": 1, "fte": "1.0"},
        {"role": "Cheffe de service", "people": 1, "fte": "1.0"},
        {"role": "Agent d'accueil administratif", "people": 1, "fte": "1.0"},
        {"role": "Concierge du bâtiment", "people": 1, "fte": "1.0"},
        {"role": "Assistante responsable de service", "people": 1, "fte": "1.0"},
        {"role": "Facilitatrice clause sociale", "people": 1, "fte": "1.0"},
        {"role": "Chargée de projets numériques", "people": 1, "fte": "1.0"},
    ],
    "c-mine-genk": [
        {"role": "Chargée de communication et de marketing", "people": 1, "fte": "1.0"},
        {"role": "Chargé de mission (mobilisé ponctuellement)", "people": 2, "fte": "0.4"},
    ],
    "terralab-arles": [
        {"role": "Coiffeuse", "people": 3, "fte": "3.0"},
        {"role": "Chargé de communication de TerraLab (mi-temps)", "people": 1, "fte": "0.5"},
        {"role": "Intervenant extérieur ponctuel", "people": 4, "fte": "0.4"},
    ],
    "bliiida-metz": [
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
    "espace-kenere-pontivy": [
        {"role": "Bibliothécaire", "people": 6, "fte": "6.0"},
        {
            "role": "Bibliothécaire, responsable multimédia et fablab",
            "people": 1,
            "fte": "1.0",
        },
        {"role": "Archiviste", "people": 2, "fte": "2.0"},
    ],
    "la-quincaillerie-gueret": [
        {"role": "Coordinateur de projet - concierge", "people": 1, "fte": "1.0"},
        {"role": "Fabmanager - concierge", "people": 1, "fte": "1.0"},
        {"role": "Médiateur numérique", "people": 1, "fte": "1.0"},
    ],
    "coboi-sant-boi": [
        {"role": "Coordinateur de projet", "people": 1, "fte": "1.0"},
        {"role": "Technicienne innovation sociale", "people": 1, "fte": "1.0"},
        {
            "role": "Designeuse en innovation sociale (mobilisée ponctuellement)",
            "people": 1,
            "fte": "0.2",
        },
    ],
    "les-riverains-auxerre": [
        {"role": "Coordinateur et chargé de développement", "people": 1, "fte": "1.0"},
        {"role": "Chargée de gestion", "people": 1, "fte": "1.0"},
        {"role": "Fabmanager", "people": 1, "fte": "1.0"},
    ],
}
