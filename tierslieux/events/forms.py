"""The team's forms for events. They check the shape of the input; the services decide."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tierslieux.accounts.models import Organisation, Person
from tierslieux.bookings.forms import DATE, LocalSlotForm
from tierslieux.bookings.recurrence import Recurrence
from tierslieux.core import formatting
from tierslieux.events.models import Audience, Event, PriceCategory, Session
from tierslieux.events.registration_models import MAX_SEATS
from tierslieux.members.forms import DEFAULT_TAX_CODE, MONEY, tax_choices
from tierslieux.places.models import Place, Space

MAX_REPEATS = 60


def _yes(value: object) -> bool:
    return value in (True, "True", "true", "1", "on")


class EventForm(forms.ModelForm):
    # A choice rather than a checkbox: a form posted without it keeps registration required.
    registration_required = forms.TypedChoiceField(
        label=gettext_lazy("Registration"),
        choices=[
            (True, gettext_lazy("Required: people register for a seat")),
            (False, gettext_lazy("None: open to all, people come along")),
        ],
        coerce=_yes,
        required=False,
        empty_value=True,  # type: ignore[arg-type]
        initial=True,
        widget=forms.RadioSelect,
    )
    audiences = forms.MultipleChoiceField(
        label=gettext_lazy("Audiences"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    co_organisers = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Co-organisers in the network"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "access",
            "capacity",
            "registration_required",
            "enrolment",
            "description",
            "audiences",
            "peer_learning",
            "co_organisers",
            "partners",
            "hours",
            "objectives",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 5}),
            "objectives": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {"hours": gettext_lazy("Trainings: the hours a participant attends.")}
        labels = {"enrolment": gettext_lazy("People register")}

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["enrolment"].required = False
        field: Any = self.fields["co_organisers"]
        field.queryset = (
            Organisation.objects.filter(place_roles__place__network_id=place.network_id)
            .distinct()
            .order_by("name")
        )

    def _post_clean(self) -> None:
        """The service validates the instance; the form only checks the input's shape."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("enrolment"):
            data["enrolment"] = self.instance.enrolment or Event.Enrolment.SESSION
        if data.get("kind") != Event.Kind.TRAINING and data.get("hours") is not None:
            self.add_error("hours", _("Hours are given for a training only."))
        return data

    def values(self) -> dict[str, Any]:
        """The fields the services take, `co_organisers` apart."""
        data = dict(self.cleaned_data)
        data.pop("co_organisers", None)
        data["audiences"] = list(data.get("audiences") or [])
        return data


class SessionForm(LocalSlotForm):
    """A date of the event in a space, repeated weekly or monthly if asked."""

    field_order = ["space", "date", "start_time", "end_time", "repeat", "until"]
    space = forms.ModelChoiceField(
        label=gettext_lazy("Space"), queryset=Space.objects.none(), to_field_name="slug"
    )
    repeat = forms.ChoiceField(
        label=gettext_lazy("Repeat"),
        required=False,
        choices=[
            ("", gettext_lazy("Once")),
            ("weekly", gettext_lazy("Every week")),
            ("monthly", gettext_lazy("Every month (same weekday)")),
        ],
    )
    until = forms.DateField(label=gettext_lazy("Until (included)"), required=False, widget=DATE)

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, tz=ZoneInfo(place.timezone), **kwargs)
        spaces = Space.objects.open_for_booking().filter(place=place).select_related("place")
        self.fields["space"].queryset = spaces.order_by("name")  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("repeat") and not data.get("until"):
            self.add_error("until", _("Give the last date of the repetition."))
        elif data.get("repeat") and data.get("date") and data["until"] < data["date"]:
            self.add_error("until", _("The last date comes after the first."))
        return data

    def recurrence(self) -> Recurrence | None:
        data = self.cleaned_data
        if not data.get("repeat"):
            return None
        return Recurrence(freq=data["repeat"], until=data["until"])


class MoveForm(LocalSlotForm):
    field_order = ["space", "date", "start_time", "end_time"]
    space = forms.ModelChoiceField(
        label=gettext_lazy("Space"), queryset=Space.objects.none(), to_field_name="slug"
    )

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, tz=ZoneInfo(place.timezone), **kwargs)
        spaces = Space.objects.open_for_booking().filter(place=place).select_related("place")
        self.fields["space"].queryset = spaces.order_by("name")  # type: ignore[attr-defined]


class PriceForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("Category"), choices=PriceCategory.Kind.choices)
    price_net = forms.DecimalField(
        label=gettext_lazy("Price excluding tax (€)"), min_value=0, required=False, **MONEY
    )
    min_price_net = forms.DecimalField(
        label=gettext_lazy("Minimum price, pay what you want (€)"),
        required=False,
        min_value=0,
        **MONEY,
    )
    tax_code = forms.ChoiceField(label=gettext_lazy("Tax rule"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"tax_code": DEFAULT_TAX_CODE})
        super().__init__(*args, **kwargs)
        field: Any = self.fields["tax_code"]
        field.choices = tax_choices()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        free = data.get("kind") == PriceCategory.Kind.FREE
        if data.get("price_net") is None and not free and "price_net" not in self.errors:
            self.add_error("price_net", _("Give the price."))
        return data


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Reason (optional)"), max_length=200, required=False
    )


SEATS = [(n, str(n)) for n in range(1, MAX_SEATS + 1)]


class TeamRegistrationForm(forms.Form):
    """The team registers someone: a person of the place, or a name and an address."""

    session = forms.ModelChoiceField(label=gettext_lazy("Date"), queryset=Session.objects.none())
    person = forms.ModelChoiceField(
        label=gettext_lazy("A person of the place"),
        queryset=Person.objects.none(),
        required=False,
        empty_label=gettext_lazy("— someone else (name and e-mail below) —"),
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    email = forms.EmailField(label=gettext_lazy("E-mail address"), required=False)
    seats = forms.TypedChoiceField(
        label=gettext_lazy("Seats"), choices=SEATS, coerce=int, initial=1
    )
    price_kind = forms.ChoiceField(label=gettext_lazy("Price"), required=False)
    amount = forms.DecimalField(
        label=gettext_lazy("Amount per seat, pay what you want (€)"),
        required=False,
        min_value=0,
        **MONEY,
    )

    def __init__(self, *args: Any, event: Event, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        if event.enrolment == Event.Enrolment.SERIES:
            del fields["session"]
        else:
            fields["session"].queryset = sessions
            fields["session"].label_from_instance = _session_label(event)
        fields["person"].queryset = (
            Person.objects.filter(place_roles__place_id=event.place_id)
            .distinct()
            .order_by("last_name", "first_name", "id")
        )
        prices = list(event.prices.order_by("price_net", "id"))
        if prices:
            fields["price_kind"].choices = [(p.kind, p.get_kind_display()) for p in prices]
            fields["price_kind"].required = True
        else:
            del fields["price_kind"]
            del fields["amount"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        person = data.get("person")
        if person is None:
            if not (data.get("name") or "").strip() and "name" not in self.errors:
                self.add_error("name", _("Give the person's name, or choose them in the list."))
            if not data.get("email") and "email" not in self.errors:
                self.add_error("email", _("Give an e-mail address."))
        else:
            data["name"] = data.get("name") or str(person)
        return data


def _session_label(event: Event) -> Any:
    tz = ZoneInfo(event.place.timezone)

    def label(session: Session) -> str:
        with timezone.override(tz):
            return formatting.moment(session.start)

    return label


class CheckInForm(forms.Form):
    seats = forms.TypedChoiceField(label=gettext_lazy("People present"), choices=SEATS, coerce=int)


class WalkInForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200)
    email = forms.EmailField(label=gettext_lazy("E-mail address (optional)"), required=False)
    seats = forms.TypedChoiceField(
        label=gettext_lazy("People"), choices=SEATS, coerce=int, initial=1
    )
