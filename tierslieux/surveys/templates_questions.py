"""The questions of the built-in questionnaires (`templates_builtin`), in the active language.

Each function writes a definition that `questionnaire.parse` reads, every label through
gettext: a survey is created in its creator's language. Question and choice keys are stable:
results, exports and the mobility estimate (`mobility_results`) read them; change a label
freely, never a key.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from tierslieux.surveys.mobility import Mode

Definition = dict[str, Any]

# The mobility questionnaire's keys, read by `mobility_results`.
DISTANCE = "distance_km"
COMMUNE = "commune"
MOBILITY_DAYS: dict[Mode, str] = {mode: f"days_{mode.value}" for mode in Mode}


def _choices(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"key": key, "label": label} for key, label in pairs]


def _q(key: str, kind: str, label: str, **extra: Any) -> dict[str, Any]:
    return {"key": key, "kind": kind, "label": label, **extra}


def _scale5(key: str, label: str, **extra: Any) -> dict[str, Any]:
    return _q(
        key,
        "scale",
        label,
        minimum=1,
        maximum=5,
        low_label=_("not at all"),
        high_label=_("completely"),
        **extra,
    )


def _section(key: str, title: str, *questions: dict[str, Any], intro: str = "") -> Definition:
    return {"key": key, "title": title, "intro": intro, "questions": list(questions)}


def _frequency(key: str, label: str, **extra: Any) -> dict[str, Any]:
    return _q(
        key,
        "single",
        label,
        choices=_choices(
            ("daily", _("every day")),
            ("weekly_several", _("several times a week")),
            ("weekly", _("once a week")),
            ("monthly", _("a few times a month")),
            ("rarely", _("a few times a year")),
        ),
        **extra,
    )


def needs() -> Definition:
    """Bota75's needs questionnaire to organisations, for a shared place."""
    return {
        "sections": [
            _section(
                "organisation",
                _("Your organisation"),
                _q("org_name", "text", _("Name of your organisation"), max_length=200),
                _q(
                    "org_sector",
                    "single",
                    _("Its main field"),
                    required=True,
                    other=True,
                    choices=_choices(
                        ("social", _("social action, solidarity")),
                        ("culture", _("culture, arts")),
                        ("environment", _("environment, ecology")),
                        ("education", _("education, popular education")),
                        ("economy", _("social and solidarity economy, business")),
                        ("citizenship", _("citizen participation, advocacy")),
                        ("health", _("health, wellbeing")),
                    ),
                ),
                _q(
                    "org_size",
                    "single",
                    _("How many employees (full-time equivalent)?"),
                    required=True,
                    choices=_choices(
                        ("none", _("none: volunteers only")),
                        ("size_1_2", _("1 or 2")),
                        ("size_3_9", _("3 to 9")),
                        ("size_10_49", _("10 to 49")),
                        ("size_50_plus", _("50 or more")),
                    ),
                ),
            ),
            _section(
                "functions",
                _("What the place would be for"),
                _q(
                    "functions",
                    "multiple",
                    _("Which functions should the shared place have?"),
                    required=True,
                    choices=_choices(
                        ("environmental", _("environmental")),
                        ("social", _("social")),
                        ("cultural", _("cultural")),
                        ("economic", _("economic")),
                    ),
                ),
                _q(
                    "activity_kind",
                    "single",
                    _("Would you run activities there?"),
                    required=True,
                    choices=_choices(
                        ("permanent", _("yes, permanent activities")),
                        ("occasional", _("yes, occasional activities")),
                        ("both", _("both")),
                        ("none", _("no")),
                    ),
                ),
                _q(
                    "activities_permanent",
                    "multiple",
                    _("Which permanent activities?"),
                    other=True,
                    condition={"question": "activity_kind", "any_of": ["permanent", "both"]},
                    choices=_choices(
                        ("office", _("our offices")),
                        ("tool_library", _("a tool library")),
                        ("residency", _("artists' residencies")),
                        ("workshop", _("a workshop, production")),
                        ("shop", _("a shop or a café")),
                    ),
                ),
                _q(
                    "activities_occasional",
                    "multiple",
                    _("Which occasional activities?"),
                    other=True,
                    condition={"question": "activity_kind", "any_of": ["occasional", "both"]},
                    choices=_choices(
                        ("debates", _("debates, talks")),
                        ("workshops", _("popular education workshops")),
                        ("volunteers", _("meetings of our volunteers")),
                        ("training", _("training")),
                        ("events", _("events, festivals")),
                    ),
                ),
            ),
            _section(
                "spaces",
                _("Spaces"),
                _q(
                    "spaces",
                    "multiple",
                    _("Which spaces would you need?"),
                    other=True,
                    choices=_choices(
                        ("meeting", _("a meeting room")),
                        ("desks", _("offices, desks")),
                        ("hall", _("a hall for events")),
                        ("workshop", _("a workshop")),
                        ("storage", _("storage")),
                        ("kitchen", _("a kitchen")),
                        ("outdoor", _("an outdoor space, a garden")),
                    ),
                ),
                _q(
                    "surface_m2",
                    "number",
                    _("Roughly how many square metres?"),
                    minimum=0,
                    maximum=10000,
                    step=1,
                    unit="m²",
                ),
                _q(
                    "hours",
                    "multiple",
                    _("When?"),
                    choices=_choices(
                        ("weekday", _("weekdays, in the daytime")),
                        ("evening", _("weekday evenings")),
                        ("weekend", _("weekends")),
                    ),
                ),
                _frequency("frequency", _("How often?")),
            ),
            _section(
                "budget",
                _("Your budget"),
                _q(
                    "budget_month",
                    "single",
                    _("What could your organisation pay each month for its use of the place?"),
                    choices=_choices(
                        ("nothing", _("nothing")),
                        ("lt_100", _("less than 100 €")),
                        ("eur_100_300", _("100 to 300 €")),
                        ("eur_300_600", _("300 to 600 €")),
                        ("eur_600_1000", _("600 to 1,000 €")),
                        ("gt_1000", _("more than 1,000 €")),
                    ),
                ),
                _q(
                    "contribution",
                    "multiple",
                    _("How else could you contribute?"),
                    choices=_choices(
                        ("time", _("volunteers' time")),
                        ("skills", _("skills")),
                        ("equipment", _("equipment, furniture")),
                        ("investment", _("an investment in the fit-out")),
                    ),
                ),
            ),
            _section(
                "governance",
                _("Running the place together"),
                _q(
                    "commitment",
                    "single",
                    _("How would you take part?"),
                    required=True,
                    choices=_choices(
                        ("comanage", _("in creating and running the place")),
                        ("occasional_help", _("with occasional help")),
                        ("use", _("as a user only")),
                        ("undecided", _("we do not know yet")),
                    ),
                ),
                _scale5(
                    "comanage_ready",
                    _("How ready are you to co-manage the place (governance, decisions)?"),
                ),
                _q("comments", "text", _("Anything else?"), multiline=True, max_length=3000),
            ),
        ]
    }


def satisfaction() -> Definition:
    """Users' satisfaction and sense of belonging (Mille Lieux)."""
    return {
        "sections": [
            _section(
                "visits",
                _("Your visits"),
                _frequency("frequency", _("How often do you come?"), required=True),
                _q(
                    "come_for",
                    "multiple",
                    _("What do you come for?"),
                    other=True,
                    choices=_choices(
                        ("work", _("to work")),
                        ("meet", _("to meet people")),
                        ("events", _("events, culture")),
                        ("workshops", _("workshops, training, the fablab")),
                        ("services", _("help with procedures, a service")),
                        ("cafe", _("the café, a meal")),
                        ("volunteer", _("to volunteer")),
                    ),
                ),
            ),
            _section(
                "opinion",
                _("Your opinion"),
                _scale5(
                    "satisfaction", _("Overall, are you satisfied with the place?"), required=True
                ),
                _scale5("sat_welcome", _("The welcome")),
                _scale5("sat_spaces", _("The spaces and equipment")),
                _scale5("sat_hours", _("The opening hours")),
                _scale5("sat_activities", _("The activities on offer")),
                _scale5("belonging", _("Do you feel you belong to the place's community?")),
                _q(
                    "met_people",
                    "single",
                    _("Have you met people here you would not have met elsewhere?"),
                    choices=_choices(
                        ("several", _("yes, several")),
                        ("few", _("yes, one or two")),
                        ("no", _("no")),
                    ),
                ),
                _q(
                    "recommend",
                    "scale",
                    _("Would you recommend the place to someone close to you?"),
                    minimum=0,
                    maximum=10,
                    low_label=_("certainly not"),
                    high_label=_("certainly"),
                    required=True,
                ),
            ),
            _section(
                "missing",
                _("What is missing"),
                _q(
                    "missing",
                    "multiple",
                    _("What is missing?"),
                    other=True,
                    choices=_choices(
                        ("hours", _("longer opening hours")),
                        ("events", _("more events")),
                        ("quiet", _("quiet spaces")),
                        ("equipment", _("equipment")),
                        ("food", _("something to eat")),
                        ("access", _("a way to get here without a car")),
                    ),
                ),
                _q("words", "text", _("A word for the team?"), multiline=True, max_length=3000),
            ),
        ]
    }


def mobility() -> Definition:
    """Users' trips: days per week by mode and the distance (Mille Lieux, IN'ESS)."""
    labels = {
        Mode.CAR: _("By car, alone"),
        Mode.CARPOOL: _("By car-pool"),
        Mode.BUS: _("By bus or coach"),
        Mode.TRAM: _("By tram or metro"),
        Mode.TRAIN: _("By train"),
        Mode.BIKE: _("By bike"),
        Mode.WALK: _("On foot"),
        Mode.REMOTE: _("Working remotely instead of coming"),
    }
    days = [
        _q(
            MOBILITY_DAYS[mode],
            "number",
            label,
            minimum=0,
            maximum=7,
            step="0.5",
            unit=_("days a week"),
        )
        for mode, label in labels.items()
    ]
    return {
        "sections": [
            _section(
                "trip",
                _("Your trip"),
                _q(COMMUNE, "commune", _("Which commune do you come from?")),
                _q(
                    DISTANCE,
                    "number",
                    _("How far is it, one way?"),
                    required=True,
                    help=_("From where you leave to the place, in kilometres."),
                    minimum=0,
                    maximum=500,
                    unit="km",
                ),
            ),
            _section(
                "week",
                _("A usual week"),
                *days,
                intro=_(
                    "How many days a week do you come each way? Leave empty or put 0 when "
                    "never; twice a month is about 0.5. A trip that combines two ways counts "
                    "for the one you travel furthest with."
                ),
            ),
        ]
    }


def inhabitants() -> Definition:
    """A town's inhabitants' needs before a project (the département's level 2)."""
    return {
        "sections": [
            _section(
                "needs",
                _("Your needs"),
                _q(
                    "missing_services",
                    "multiple",
                    _("Which services are missing near you?"),
                    other=True,
                    choices=_choices(
                        ("coworking", _("a place to work remotely")),
                        ("meeting_rooms", _("rooms for meetings")),
                        ("public_services", _("help with procedures (public services)")),
                        ("digital", _("help with computers and the internet")),
                        ("cafe", _("a café, a place to meet")),
                        ("workshop", _("a shared workshop, a fablab")),
                        ("culture", _("cultural activities")),
                        ("youth", _("activities for children and young people")),
                        ("shop", _("a shop of local products")),
                    ),
                ),
                _q(
                    "activities",
                    "multiple",
                    _("What would you do in such a place?"),
                    other=True,
                    choices=_choices(
                        ("work", _("work")),
                        ("workshops", _("take part in workshops")),
                        ("events", _("go to events, shows")),
                        ("repair", _("repair, make things")),
                        ("associations", _("meet with my association")),
                        ("volunteer", _("volunteer")),
                    ),
                ),
                _q(
                    "when",
                    "multiple",
                    _("When would you come?"),
                    choices=_choices(
                        ("weekday_day", _("weekdays, in the daytime")),
                        ("weekday_evening", _("weekday evenings")),
                        ("saturday", _("Saturdays")),
                        ("sunday", _("Sundays")),
                        ("holidays", _("school holidays")),
                    ),
                ),
                _q(
                    "how_come",
                    "multiple",
                    _("How would you come?"),
                    choices=_choices(
                        ("walk", _("on foot")),
                        ("bike", _("by bike")),
                        ("car", _("by car")),
                        ("carpool", _("by car-pool")),
                        ("bus", _("by bus")),
                    ),
                ),
                _q(
                    "involvement",
                    "single",
                    _("Would you like to take part in the project?"),
                    choices=_choices(
                        ("run", _("yes, by running activities")),
                        ("opinion", _("yes, by giving my opinion")),
                        ("use", _("I would just come")),
                        ("no", _("no")),
                    ),
                ),
                _q("ideas", "text", _("Your ideas for the place"), multiline=True, max_length=3000),
            ),
            _section(
                "you",
                _("About you"),
                _q(
                    "age",
                    "single",
                    _("Your age"),
                    choices=_choices(
                        ("lt_18", _("under 18")),
                        ("age_18_25", _("18 to 25")),
                        ("age_26_40", _("26 to 40")),
                        ("age_41_60", _("41 to 60")),
                        ("age_61_75", _("61 to 75")),
                        ("gt_75", _("over 75")),
                    ),
                ),
                _q(COMMUNE, "commune", _("Your commune")),
            ),
        ]
    }
