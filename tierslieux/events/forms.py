"""The team's forms for events. They check the shape of the input; the services decide."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tierslieux.accounts.models import Organisation
from tierslieux.bookings.forms import DATE, LocalSlotForm
from tierslieux.bookings.recurrence import Recurrence
from tierslieux.events.models import Audience, Event, PriceCategory
from tierslieux.members.forms import DEFAULT_TAX_CODE, MONEY, tax_choices
from tierslieux.places.models import Place, Space

MAX_REPEATS = 60


class EventForm(forms.ModelForm):
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

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
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
