"""The scenario pages' forms. The drivers form is built from the scenario's own lines: one
field per figure, named after its path (`revenue[2].occupancy` → `revenue_2_occupancy`), so
that an error of `scenario.parse` lands on the field it names."""

from __future__ import annotations

import re
import tomllib
from typing import Any

from django import forms
from django.db.models import Case, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tierslieux.economics import scenario as sc
from tierslieux.economics import templates_model
from tierslieux.places.models import Network, Place

TEMPLATE_LABELS = {
    "micro-centre:low": gettext_lazy("Micro-centre, small (the low end of the seed's ranges)"),
    "micro-centre:typical": gettext_lazy("Micro-centre, typical (the middle of the ranges)"),
    "micro-centre:high": gettext_lazy("Micro-centre, large (the high end of the ranges)"),
    "micro-centre:rural": gettext_lazy("Micro-centre in a rural area"),
    "micro-centre:small-town": gettext_lazy("Micro-centre in a small town"),
    "micro-centre:urban": gettext_lazy("Micro-centre in a city"),
    "micro-centre:public-host": gettext_lazy("Micro-centre hosted by a public service"),
}
INT_FIELDS = {"start", "end", "months", "deferral"}
# (list, field, label, unit) of the main drivers, in the order of the form.
DRIVERS: tuple[tuple[str, str, Any, str], ...] = (
    ("fixed_costs", "monthly", gettext_lazy("a month"), "€"),
    ("staff", "fte", gettext_lazy("FTE"), ""),
    ("staff", "monthly_cost", gettext_lazy("cost of one FTE a month"), "€"),
    ("revenue", "occupancy", gettext_lazy("occupancy"), "%"),
    ("revenue", "price", gettext_lazy("price"), "€"),
    ("memberships", "count", gettext_lazy("members"), ""),
    ("memberships", "fee", gettext_lazy("fee"), "€"),
    ("grants", "per_year", gettext_lazy("a year"), "€"),
    ("grants", "start", gettext_lazy("first month"), ""),
    ("grants", "end", gettext_lazy("last month"), ""),
    ("investments", "amount", gettext_lazy("amount"), "€"),
    ("loans", "amount", gettext_lazy("amount"), "€"),
    ("loans", "rate", gettext_lazy("rate a year"), "%"),
    ("loans", "months", gettext_lazy("months"), ""),
)
GROUPS = (
    ("fixed_costs", gettext_lazy("Fixed costs")),
    ("staff", gettext_lazy("Staff")),
    ("revenue", gettext_lazy("Revenue: capacity × occupancy × price")),
    ("memberships", gettext_lazy("Members")),
    ("grants", gettext_lazy("Grants (months counted from the opening, 1 = first month)")),
    ("investments", gettext_lazy("Investment")),
    ("loans", gettext_lazy("Loans")),
)


def field_name(path: str) -> str:
    """`revenue[2].occupancy` → `revenue_2_occupancy`."""
    return re.sub(r"\[(\d+)\]\.?", r"_\1_", path)


def _item_label(kind: str, item: dict[str, Any], n: int) -> str:
    if kind == "fixed_costs":
        label = sc.FIXED_LABELS.get(item.get("category", ""), "")
        return f"{label} – {item['label']}" if item.get("label") else str(label)
    if kind == "investments":
        return str(item.get("label") or sc.INVESTMENT_LABELS.get(item.get("category", ""), ""))
    if kind == "staff":
        return str(item.get("role") or _("Post %(n)s") % {"n": n + 1})
    if kind == "loans":
        return str(item.get("lender") or _("Loan %(n)s") % {"n": n + 1})
    if kind == "grants":
        return f"{item.get('label', '')} ({item.get('funder', '')})"
    return str(item.get("label", ""))


class DriversForm(forms.Form):
    """The main drivers of a scenario; `paths` maps each field to the figure it changes,
    `groups` lays them out by list and line."""

    def __init__(self, data_: dict[str, Any], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.paths: dict[str, str] = {}
        self.shown: dict[str, Any] = {}  # the figure as the field shows it (cents at most)
        self.groups: list[tuple[Any, list[tuple[str, list[str]]]]] = []
        self._opening(data_)
        for kind, title in GROUPS:
            found = data_.get(kind)
            items: list[Any] = found if isinstance(found, list) else []
            rows = []
            for n, item in enumerate(items):
                if not isinstance(item, dict):
                    continue
                names = []
                for list_, key, label, unit in DRIVERS:
                    if list_ != kind or key not in item:
                        continue
                    path = f"{kind}[{n}].{key}"
                    name = field_name(path)
                    text = f"{label} ({unit})" if unit else str(label)
                    shown = item[key]
                    if isinstance(shown, float):
                        shown = round(shown, 2)
                        shown = int(shown) if shown.is_integer() else shown  # 2400, not 2400,0
                    if key in INT_FIELDS:
                        field: forms.Field = forms.IntegerField(label=text, initial=shown)
                    else:
                        field = forms.FloatField(label=text, initial=shown, localize=True)
                    self.shown[name] = shown
                    field.widget.attrs.update({"inputmode": "decimal"})
                    self.fields[name] = field
                    self.paths[name] = path
                    names.append(name)
                if names:
                    rows.append((_item_label(kind, item, n), names))
            if rows:
                self.groups.append((title, rows))

    def _opening(self, data_: dict[str, Any]) -> None:
        """The opening month and the horizon, first: a project's date moves most often."""
        names = []
        if isinstance(data_.get("start"), str):
            self.fields["start"] = month_field(gettext_lazy("Opening month"), data_["start"])
            names.append("start")
        if isinstance(data_.get("horizon"), int):
            self.fields["horizon"] = forms.IntegerField(
                label=gettext_lazy("months projected (36 to 60)"), initial=data_["horizon"]
            )
            names.append("horizon")
        for name in names:
            self.shown[name], self.paths[name] = data_[name], name
        if names:
            self.groups.append((gettext_lazy("Opening"), [("", names)]))

    def values(self) -> dict[str, Any]:
        """The figures changed, by path; a whole number stays an integer. A figure left as
        shown keeps its exact value (the template's 4,000 / 1.5 € is shown to the cent)."""
        found = {}
        for name, path in self.paths.items():
            value = self.cleaned_data[name]
            if value == self.shown[name]:
                continue
            if isinstance(value, float) and value.is_integer():
                value = int(value)
            found[path] = value
        return found

    def rows(self) -> list[tuple[Any, list[tuple[str, list[forms.BoundField]]]]]:
        return [(title, [(label, [self[n] for n in names]) for label, names in rows])
                for title, rows in self.groups]  # fmt: skip


def month_field(label: Any, initial: str = "", required: bool = True) -> forms.CharField:
    """A month as the scenario writes it (YYYY-MM); `scenario.parse` checks it."""
    return forms.CharField(
        label=label, initial=initial, required=required, max_length=7,
        widget=forms.TextInput(attrs={"type": "month", "placeholder": "2027-04"}),
    )  # fmt: skip


class NewForm(forms.Form):
    template = forms.ChoiceField(
        label=gettext_lazy("Template"),
        choices=[(n, TEMPLATE_LABELS[n]) for n in templates_model.NAMES],
        initial="micro-centre:typical",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(label=gettext_lazy("Name"), max_length=200, required=False)
    project = forms.CharField(
        label=gettext_lazy("Project"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "A place without a building yet, e.g. “Tiers-lieu de Felletin (projet)”."
        ),
    )
    start = month_field(gettext_lazy("Opening month"), required=False)
    start.help_text = gettext_lazy("The plan's first month; next month if left empty.")


class AdvancedForm(forms.Form):
    project = forms.CharField(label=gettext_lazy("Project"), max_length=200, required=False)
    text = forms.CharField(
        label=gettext_lazy("The whole scenario, in TOML"),
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 30, "spellcheck": "false"}),
    )

    def clean_text(self) -> dict[str, Any]:
        try:
            data = tomllib.loads(self.cleaned_data["text"])
        except tomllib.TOMLDecodeError as error:
            raise forms.ValidationError(
                _("Not valid TOML: %(error)s"), code="toml", params={"error": error}
            ) from None
        return data


class DuplicateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name of the copy"), max_length=200, required=False)


class HandOverForm(forms.Form):
    """The place a network's project became: the network's own places, those still in
    project first."""

    place = forms.ModelChoiceField(
        label=gettext_lazy("The place"), queryset=Place.objects.none(), empty_label=None
    )

    def __init__(self, network: Network, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        in_project = Case(When(status=Place.Status.PROJECT, then=0), default=1)
        places = Place.objects.filter(network=network).order_by(in_project, "name")
        self.fields["place"].queryset = places  # type: ignore[attr-defined]
