"""Which indicators speak for which of the eight impacts: what the assessment suggests from,
what a report shows beside a verdict. Pure data; keys are `framework_defaults`' impacts and
`indicator_defs`' indicators (a test holds them to both).

The pairing is this project's reading of the Mille Lieux study's conditions of expression: an
indicator is listed where it is one of the things the study looks at for that impact. An
impact a network adds has no indicator: its verdict rests on the team's evidence alone.
"""

from __future__ import annotations

IMPACT_INDICATORS: dict[str, tuple[str, ...]] = {
    # Open, free uses of a place the town did not programme: who comes, and for free.
    "non_programmed_city": (
        "footfall",
        "unique_users",
        "checkins",
        "occupancy",
        "free_events_share",
    ),
    # A complementary counter of services to the public: people served, trust, volunteers.
    "trusted_third_party": (
        "unique_users",
        "members",
        "volunteers",
        "volunteer_hours",
        "satisfaction_mean",
    ),
    # Learning between peers: sessions where members teach members, trainings and hours.
    "peer_learning": ("peer_learning_sessions", "training_sessions", "training_hours"),
    # Local sectors: resident organisations, jobs on site, activity revenue.
    "local_sectors": ("resident_organisations", "jobs_fte", "revenue_total", "revenue_mix"),
    # The ecological transition: how people come, and its CO₂.
    "ecological_transition": ("modal_split", "commute_co2"),
    # Roles and silos opened up: several audiences, co-organised events, solidarity access.
    "breaking_silos": (
        "audiences",
        "co_organisers",
        "solidarity_offer_share",
        "free_or_solidarity_seats_share",
    ),
    # Actors meeting who would not otherwise: links between organisations, new ones.
    "unlikely_connections": ("links", "new_links", "shared_bookings", "cross_sector_links"),
    # Pride of the inhabitants and reach of the territory: events, participants, satisfaction.
    "pride_and_influence": ("events_held", "participants", "audiences", "satisfaction_mean"),
}


def indicators_of(impact_key: str) -> tuple[str, ...]:
    """The indicators that speak for an impact; none for an impact a network added."""
    return IMPACT_INDICATORS.get(impact_key, ())
