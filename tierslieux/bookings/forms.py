"""Booking forms. People type local wall-clock times of the place; `clean` turns them into
aware instants strictly, so a time skipped or repeated by daylight saving is a form error
instead of a silent guess. The services in `services.py` do the checking and writing."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tierslieux.accounts.models import Organisation, Person
from tierslieux.bookings.availability import AmbiguousLocalTime, NonExistentLocalTime, to_aware
from tierslieux.bookings.models import HEADCOUNT_MAX, NOTE_MAX, Purpose, rules_of
from tierslieux.bookings.recurrence import Recurrence
from tierslieux.core.formatting import day as written_day
from tierslieux.places.models import OpeningHours, Place, Space

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The calendar's range too (`views.portal.parse_day`): beyond it, nothing is bookable.
FIRST_YEAR, LAST_YEAR = 2000, 2200
TIME = forms.TimeInput(attrs={"type": "time", "step": 300}, format="%H:%M")


class LocalSlotForm(forms.Form):
    """A date and two times of the place's wall clock; `cleaned_data` gains `start` and `end`."""

    date = forms.DateField(label=gettext_lazy("Date"), widget=DATE)
    start_time = forms.TimeField(label=gettext_lazy("Start time"), widget=TIME)
    end_time = forms.TimeField(label=gettext_lazy("End time"), widget=TIME)

    def __init__(self, *args: Any, tz: ZoneInfo, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tz = tz

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        day, start, end = data.get("date"), data.get("start_time"), data.get("end_time")
        if day is not None and not FIRST_YEAR <= day.year <= LAST_YEAR:
            self.add_error(
                "date",
                _("Choose a date between %(first)s and %(last)s.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
            )
            return data
        if day is None or start is None or end is None:
            return data
        if end <= start:
            self.add_error("end_time", _("The end must come after the start."))
            return data
        data["start"] = self._aware("start_time", day, start)
        data["end"] = self._aware("end_time", day, end)
        return data

    def _aware(self, name: str, day: datetime.date, wall: datetime.time) -> Any:
        values = {"time": wall.strftime("%H:%M"), "date": written_day(day)}
        try:
            return to_aware(day, wall, self.tz)
        except NonExistentLocalTime:
            self.add_error(
                name,
                _(
                    "%(time)s does not exist on %(date)s here: the clocks go forward "
                    "(daylight saving). Choose another time."
                )
                % values,
            )
        except AmbiguousLocalTime:
            self.add_error(
                name,
                _(
                    "%(time)s happens twice on %(date)s here: the clocks go back "
                    "(daylight saving). Choose another time."
                )
                % values,
            )
        return None


def headcount_field() -> forms.IntegerField:
    return forms.IntegerField(
        label=gettext_lazy("Number of people"),
        min_value=1,
        max_value=HEADCOUNT_MAX,
        required=False,
        help_text=gettext_lazy("Optional: how many people come (the space's capacity at most)."),
    )


def purpose_field() -> forms.ChoiceField:
    return forms.ChoiceField(
        label=gettext_lazy("Purpose"),
        choices=[("", "—"), *Purpose.choices],
        required=False,
    )


def check_headcount(form: forms.Form, data: dict[str, Any]) -> None:
    """The space's capacity bounds the headcount (the service says so too)."""
    space, headcount = data.get("space"), data.get("headcount")
    if space is not None and headcount is not None and headcount > max(space.capacity, 1):
        form.add_error(
            "headcount",
            _("Between 1 and %(capacity)s people fit in this space.")
            % {"capacity": max(space.capacity, 1)},
        )


class BookingForm(LocalSlotForm):
    """One booking, or a recurring series when `repeat` is chosen."""

    REPEAT = [
        ("", gettext_lazy("Does not repeat")),
        ("weekly", gettext_lazy("Every week (or every N weeks)")),
        ("monthly", gettext_lazy("Every month, on the same weekday of the month")),
    ]
    NTH = [
        ("", gettext_lazy("As on the first date")),
        ("1", gettext_lazy("First")),
        ("2", gettext_lazy("Second")),
        ("3", gettext_lazy("Third")),
        ("4", gettext_lazy("Fourth")),
        ("-1", gettext_lazy("Last")),
    ]
    ON_CONFLICT = [
        ("skip", gettext_lazy("Skip it and tell me")),
        ("fail", gettext_lazy("Book nothing")),
    ]

    field_order = ["holder", "space", "date", "start_time", "end_time"]
    holder = forms.ChoiceField(label=gettext_lazy("Book for"), choices=(), required=False)
    space = forms.ModelChoiceField(
        label=gettext_lazy("Space"), queryset=Space.objects.none(), to_field_name="slug"
    )
    units = forms.IntegerField(
        label=gettext_lazy("Units"),
        min_value=1,
        initial=1,
        required=False,
        help_text=gettext_lazy("How many identical units (desks, machines) you need."),
    )
    headcount = headcount_field()
    purpose = purpose_field()
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    note = forms.CharField(
        label=gettext_lazy("Note for the team"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    repeat = forms.ChoiceField(label=gettext_lazy("Repeat"), choices=REPEAT, required=False)
    interval = forms.IntegerField(
        label=gettext_lazy("Every how many weeks or months"),
        min_value=1,
        max_value=52,
        initial=1,
        required=False,
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=gettext_lazy("On these days (weekly)"),
        choices=OpeningHours.Weekday.choices,
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("None ticked: the weekday of the first date."),
    )
    nth = forms.ChoiceField(
        label=gettext_lazy("Which weekday of the month (monthly)"), choices=NTH, required=False
    )
    until = forms.DateField(label=gettext_lazy("Until (included)"), required=False, widget=DATE)
    count = forms.IntegerField(
        label=gettext_lazy("Or a number of occurrences"),
        min_value=1,
        max_value=366,
        required=False,
    )
    on_conflict = forms.ChoiceField(
        label=gettext_lazy("If an occurrence is taken"),
        choices=ON_CONFLICT,
        initial="skip",
        required=False,
        widget=forms.RadioSelect,
    )

    MAIN = (
        "holder",
        "space",
        "date",
        "start_time",
        "end_time",
        "units",
        "headcount",
        "purpose",
        "title",
        "note",
    )
    RECURRENCE = ("repeat", "interval", "weekdays", "nth", "until", "count", "on_conflict")

    def __init__(
        self,
        *args: Any,
        place: Place,
        organisations: Sequence[Organisation] = (),
        **kwargs: Any,
    ) -> None:
        """`organisations`: those the person may book for ("Book for": only when there are)."""
        super().__init__(*args, tz=ZoneInfo(place.timezone), **kwargs)
        spaces = Space.objects.open_for_booking().filter(place=place).order_by("name")
        self.fields["space"].queryset = spaces  # type: ignore[attr-defined]
        self.multi_unit = any(s.units > 1 for s in spaces)
        self.organisations = list(organisations)
        self.fields["holder"].choices = [  # type: ignore[attr-defined]
            ("", _("Myself")),
            *((str(o.pk), o.name) for o in self.organisations),
        ]

    def main_fields(self) -> list[forms.BoundField]:
        hidden = {"units"} if not self.multi_unit else set()
        if not self.organisations:
            hidden.add("holder")
        return [self[name] for name in self.MAIN if name not in hidden]

    def recurrence_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.RECURRENCE]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        space = data.get("space")
        units = data.get("units") or 1
        if space is not None:
            if space.units == 1:
                units = 1
            elif units > space.units:
                self.add_error(
                    "units",
                    _("Between 1 and %(units)s units can be booked here.") % {"units": space.units},
                )
        data["units"] = units
        check_headcount(self, data)
        holder = data.get("holder")
        data["organisation"] = int(holder) if holder else None
        data["recurrence"] = self._recurrence(data)
        return data

    def _recurrence(self, data: dict[str, Any]) -> Recurrence | None:
        freq = data.get("repeat")
        if not freq:
            return None
        until, count, first = data.get("until"), data.get("count"), data.get("date")
        if until is None and count is None:
            self.add_error(
                "until", _("A repeated booking ends on a date or after a number of occurrences.")
            )
            return None
        if until is not None and count is not None:
            self.add_error("count", _("Choose an end date or a number of occurrences, not both."))
            return None
        if until is not None and first is not None and until < first:
            self.add_error("until", _("The end date comes before the first date."))
            return None
        nth = data.get("nth")
        return Recurrence(
            freq=freq,
            interval=data.get("interval") or 1,
            weekdays=tuple(sorted(data.get("weekdays") or ())) if freq == "weekly" else (),
            nth=int(nth) if freq == "monthly" and nth else None,
            until=until,
            count=count,
        )


class MoveForm(LocalSlotForm):
    """Another slot of the same space for an existing booking."""


def people_and_organisations(place: Place) -> list[tuple[Any, Any]]:
    """The choices of whom the team books for: the place's people and its organisations
    (any role), grouped, by name; values "person:<id>" and "organisation:<id>"."""
    people = (
        Person.objects.filter(place_roles__place=place)
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )
    organisations = Organisation.objects.filter(place_roles__place=place).distinct()
    return [
        ("", "—"),
        (
            _("People"),
            [(f"person:{p.pk}", f"{p}{f' ({p.email})' if p.email else ''}") for p in people],
        ),
        (
            _("Organisations"),
            [(f"organisation:{o.pk}", o.name) for o in organisations.order_by("name", "pk")],
        ),
    ]


class TeamBookingForm(LocalSlotForm):
    """A booking the team makes for a person or an organisation of the place."""

    field_order = ["booked_for", "space", "date", "start_time", "end_time", "units"]
    booked_for = forms.ChoiceField(label=gettext_lazy("Booked for"), choices=())
    space = forms.ModelChoiceField(
        label=gettext_lazy("Space"), queryset=Space.objects.none(), to_field_name="slug"
    )
    units = forms.IntegerField(
        label=gettext_lazy("Units"), min_value=1, max_value=10_000, initial=1, required=False
    )
    headcount = headcount_field()
    purpose = purpose_field()
    title = forms.CharField(label=gettext_lazy("Title"), max_length=200, required=False)
    note = forms.CharField(
        label=gettext_lazy("Note"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, tz=ZoneInfo(place.timezone), **kwargs)
        spaces = (
            Space.objects.open_for_booking()
            .filter(place=place)
            .select_related("place", "booking_rules")
            .order_by("name")
        )
        self.fields["space"].queryset = spaces  # type: ignore[attr-defined]
        self.fields["booked_for"].choices = people_and_organisations(place)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        kind, _sep, pk = (data.get("booked_for") or "").partition(":")
        data["person"] = int(pk) if kind == "person" else None
        data["organisation"] = int(pk) if kind == "organisation" else None
        space, units = data.get("space"), data.get("units") or 1
        if space is not None and space.units == 1:
            units = 1
        elif space is not None and units > space.units:
            self.add_error(
                "units",
                _("Between 1 and %(units)s units can be booked here.") % {"units": space.units},
            )
        data["units"] = units
        check_headcount(self, data)
        return data


class TeamMoveForm(LocalSlotForm):
    """Another slot, and possibly another space of the place, for a booking (the team)."""

    field_order = ["space", "date", "start_time", "end_time"]
    space = forms.ModelChoiceField(
        label=gettext_lazy("Space"), queryset=Space.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, tz=ZoneInfo(place.timezone), **kwargs)
        spaces = Space.objects.open_for_booking().filter(place=place).select_related("place")
        self.fields["space"].queryset = spaces.order_by("name")  # type: ignore[attr-defined]


class TeamCancelForm(forms.Form):
    """The team's cancellation: a reason the member reads, and whether to give back."""

    GIVE_BACK = [
        ("back", gettext_lazy("Bill nothing and give any credits back (the team's decision)")),
        ("keep", gettext_lazy("Keep it billed: any credits used stay spent")),
    ]
    reason = forms.CharField(
        label=gettext_lazy("Reason (shown to the person)"), max_length=200, required=False
    )
    credits = forms.ChoiceField(
        label=gettext_lazy("Credits and charge"),
        choices=GIVE_BACK,
        initial="back",
        required=False,
        widget=forms.RadioSelect,
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), max_length=200, required=False)


class AuthorisationForm(forms.Form):
    """A person of the place trained on one of its machines."""

    person = forms.ModelChoiceField(label=gettext_lazy("Person"), queryset=Person.objects.none())
    space = forms.ModelChoiceField(
        label=gettext_lazy("Machine"), queryset=Space.objects.none(), to_field_name="slug"
    )
    granted_on = forms.DateField(label=gettext_lazy("Training done on"), widget=DATE)
    expires_on = forms.DateField(label=gettext_lazy("Expires on"), required=False, widget=DATE)

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = Person.objects.filter(place_roles__place=place).distinct()
        self.fields["person"].queryset = people.order_by("last_name", "first_name")  # type: ignore[attr-defined]
        spaces = Space.objects.active().filter(place=place).select_related("booking_rules")
        machines = [s.pk for s in spaces if rules_of(s).requires_authorisation]
        self.fields["space"].queryset = Space.objects.filter(pk__in=machines).order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        granted, expires = data.get("granted_on"), data.get("expires_on")
        if granted and expires and expires < granted:
            self.add_error("expires_on", _("The expiry comes before the training."))
        return data
