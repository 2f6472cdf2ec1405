"""What each Mille Lieux place says of itself (``description``, shown on its page) and where
the figures of its sheet come from (``source_notes``)."""

from __future__ import annotations

DESCRIPTIONS: dict[str, str] = {
    "iness-narbonne": (
        "IN'ESS est un équipement du Grand Narbonne dédié à l'accompagnement des projets "
        "professionnels et à la création d'activités, installé dans l'ancienne direction "
        "opérationnelle de France Télécom, au coeur du quartier prioritaire Saint-Jean "
        "Saint-Pierre. Il regroupe des structures de l'économie sociale et solidaire, une "
        "pépinière d'entreprises, des organismes de formation et la Mission Locale, avec un "
        "fablab et un coworking ouverts en 2017 et un restaurant ouvert sur la place publique."
    ),
    "c-mine-genk": (
        "C-mine est un ancien site d'extraction de charbon de Genk transformé en lieu "
        "hybride, destination touristique et culturelle qui capitalise sur le patrimoine "
        "industriel de la région. Le site réunit centre culturel, cinéma, école d'art, "
        "centre de design, fablab et incubateur, et accueille de jeunes entreprises des "
        "industries créatives et du numérique pour renouveler l'activité économique de la "
        "ville."
    ),
    "terralab-arles": (
        "TerraLab est une association créée au sein du salon de coiffure Terre de Beauté, "
        "spécialisé dans les colorations végétales et les produits naturels, en plein coeur "
        "de la cité historique d'Arles. Elle propose pendant les longs temps de pose des "
        "activités culturelles et de bien-être fondées sur la consommation responsable et la "
        "solidarité : bibliothèque partagée, expositions, ateliers et coupe suspendue."
    ),
    "bliiida-metz": (
        "Bliiida (anciennement TCRM-BLIDA) est un tiers-lieu de création, de production et "
        "d'innovation artistique et numérique ouvert depuis 2014 dans les anciens entrepôts "
        "de bus TCRM de Metz, à l'initiative de la municipalité. Il accueille des industries "
        "créatives, des ateliers d'artistes et d'artisans, une pépinière, un coworking, un "
        "fablab et une cantine ; la SAEML Metz Techno'pôles gère le site et une association "
        "anime le lieu."
    ),
    "espace-kenere-pontivy": (
        "L'Espace Kenere est un équipement de la ville de Pontivy qui réunit la médiathèque, "
        "les archives municipales et, depuis 2015, un fablab de 12 m2 installé dans une "
        "ancienne réserve. Il se veut un lieu de vie et de culture, fonctionnel et "
        "contemporain, avec une grainothèque, des expositions, des concerts et des conférences."
    ),
    "la-quincaillerie-gueret": (
        "La Quincaillerie est un espace ouvert de médiation numérique installé par "
        "l'agglomération du Grand Guéret dans une ancienne quincaillerie du centre-ville. "
        "Elle met à disposition un espace public numérique, des salles de réunion, un "
        "coworking libre et un fablab, propose des services de conciergerie, des ateliers et "
        "des activités culturelles ; ce tiers-lieu d'assemblage local fédère les implications "
        "citoyennes."
    ),
    "coboi-sant-boi": (
        "Coboi est un laboratoire d'innovation sociale intégré au dernier étage de la maison "
        "de quartier Casal Casablanca, à Sant Boi de Llobregat, dans l'agglomération de "
        "Barcelone. Incubateur public, il sélectionne chaque année par appel à projets une "
        "dizaine de projets et leur offre pendant six mois un espace de travail et des outils "
        "méthodologiques pour explorer de nouvelles manières de collaborer."
    ),
    "les-riverains-auxerre": (
        "Les Riverains est un tiers-lieu open-source installé dans la gare d'Auxerre, dédié "
        "à l'expérimentation et à l'appropriation des nouveaux usages numériques citoyens et "
        "des usages éco-responsables. Né de la communauté du fablab l'Atelier des Beaux "
        "Boulons, cet espace hybride réunit fablab, recyclerie, coworking et bar associatif "
        "et agit comme pré-incubateur de projets pour l'agglomération auxerroise."
    ),
}

SOURCE_NOTES: dict[str, str] = {
    "iness-narbonne": (
        "From the seed sheet: periphery, 5,000 m2, 100 % public investment and operation, "
        "legal form, 17 resident organisations, 4,555 users and publics welcomed in 2017 "
        "(stored as visitors_per_year), the 7-person team and the programme. Opening date = "
        "official inauguration in December 2014 (seed timeline; the director's quote speaks "
        "of opening in 2012, before the building works). Street name from public press "
        "(no number); coordinates approximate (Saint-Jean Saint-Pierre district). FTEs, "
        "hours and spaces are illustrative."
    ),
    "c-mine-genk": (
        "From the seed sheet: periphery, 340,580 m2 (whole former mine site), investment "
        "70 % public / 30 % private, operation left None (the seed says it is public, private "
        "or hybrid depending on the organisation), legal form (an autonomous municipal "
        "company, mapped to 'other'), 42 organisations (330 jobs), 750,000 visitors a year, "
        "the 3-person team and the programme. Opening date = 'Lancement de C-mine' (May 2005) "
        "in the seed timeline. Address and coordinates from public knowledge. FTE of the two "
        "occasional staff (0.4 total), hours and spaces are illustrative; the event rooms "
        "reflect the seed's C-mine Synergie renting event spaces."
    ),
    "terralab-arles": (
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
    "bliiida-metz": (
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
    "espace-kenere-pontivy": (
        "From the seed sheet: city centre, 2,600 m2 media library (the fablab itself is "
        "12 m2), 100 % public investment and operation, legal form, 66,000 entries a year "
        "on average (12 regular and 20 occasional fablab users), the 9-person team and the "
        "programme. Opening date = inauguration in September 2013 (seed timeline; fablab "
        "June 2015, seed library March 2017). FTEs (assumed full time), street address "
        "(unknown, left empty), approximate coordinates, hours and spaces other than the "
        "12 m2 fablab are illustrative."
    ),
    "la-quincaillerie-gueret": (
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
    "coboi-sant-boi": (
        "From the seed sheet: city centre, 50 m2 (inside a 1,100 m2 neighbourhood centre), "
        "100 % public investment and operation, legal form, 16 projects supported a year "
        "(stored as resident_organisations) and 45 nomad entrepreneurs a year (stored as "
        "visitors_per_year), the 3-person team and the programme (which lists the uses of "
        "the host casal). Opening date = 'novembre 2012 Ouverture de Coboi' (the seed adds "
        "that it moved and became Coboi Lab in November 2018). Street address unknown (left "
        "empty), town coordinates; the designer's FTE, hours and spaces are illustrative."
    ),
    "les-riverains-auxerre": (
        "From the seed sheet: city centre (the value sits on the line after "
        "'Localisation :'), 300 m2, investment 90 % public / 10 % private, operation 100 % "
        "public, association, 5 associations + 7 companies resident (12), about 1,200 "
        "visitors over 35 events in 2018 (18 professional users a day), the 3-person team "
        "and the programme. Opening date = inauguration in September 2017 (seed timeline). "
        "The seed places it in the Auxerre railway station and says it moves to a brownfield "
        "site in 2020; station name used as address, coordinates approximate. FTEs, hours "
        "and spaces are illustrative."
    ),
}
