"""Back-office forms of the members pages: catalogue, rate card, subscriptions, credits and
the bill run. They validate input and say precisely what is wrong; the services write."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tierslieux.accounts.models import Organisation, Person
from tierslieux.billing.models import MAX_PRICE, Customer, Family
from tierslieux.billing.tax import RULES
from tierslieux.members.models import DESCRIPTION_LENGTH, Product, RoomRate, Wallet
from tierslieux.places.models import Place, Space

Kind = Product.Kind
# Every amount a team types: in cents, at most a million euros (`billing.MAX_PRICE`).
MONEY: dict[str, Any] = {
    "max_digits": 12,
    "decimal_places": 2,
    "localize": True,
    "max_value": MAX_PRICE,
}
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DEFAULT_TAX_CODE = "vat_20"


def tax_choices(mentions: bool = True) -> list[tuple[str, Any]]:
    """The tax rules with their label (and the legal mention of an exemption)."""
    return [
        (code, f"{rule.label} — {rule.mention}" if rule.mention and mentions else rule.label)
        for code, rule in RULES.items()
    ]


# The fields each kind of product shows beyond the common ones.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    Kind.MEMBERSHIP: ("period", "min_price_net", "notice_days"),
    Kind.PLAN: ("period", "min_price_net", "wallet", "credits", "notice_days"),
    Kind.PASS: ("validity_days", "wallet", "credits"),
    Kind.PACK: ("wallet", "credits", "validity_days"),
    Kind.TICKET: ("min_price_net",),
    Kind.SERVICE: ("min_price_net",),
}
COMMON_FIELDS = ("name", "description", "audience", "price_net", "tax_code", "family", "account")
OPTIONAL_DEFAULTS: dict[str, Any] = {
    "period": "",
    "min_price_net": None,
    "wallet": "",
    "credits": None,
    "validity_days": None,
    "notice_days": 0,
}
CREDITS_HELP: dict[str, Any] = {
    Kind.PLAN: _("Credits granted each month (the plan's allowance)."),
    Kind.PASS: _("A book of passes: the days it holds (leave empty for a single pass)."),
    Kind.PACK: _("The credits the pack holds."),
}
VALIDITY_HELP: dict[str, Any] = {
    Kind.PASS: _("Days the pass covers: 1 for a day pass, 7 for a week, 30 for a month."),
    Kind.PACK: _("Days the credits last after purchase (leave empty: no expiry)."),
}


def default_family(kind: str) -> str:
    return (
        Family.MEMBERSHIPS if kind in (Kind.MEMBERSHIP, Kind.PLAN, Kind.PASS) else Family.SERVICES
    )


def default_account(kind: str) -> str:
    return "756000" if kind == Kind.MEMBERSHIP else "706000"


class ProductForm(forms.Form):
    """A product of one kind: only the fields that kind uses are shown and saved."""

    name = forms.CharField(label=_("Name"), max_length=200)
    description = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=DESCRIPTION_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    audience = forms.ChoiceField(label=_("For"), choices=Product.Audience.choices)
    price_net = forms.DecimalField(label=_("Price excluding tax (€)"), min_value=0, **MONEY)
    min_price_net = forms.DecimalField(
        label=_("Minimum price, pay what you want (€)"),
        required=False,
        min_value=0,
        help_text=_("Leave empty for a fixed price. The buyer chooses at least this much."),
        **MONEY,
    )
    tax_code = forms.ChoiceField(label=_("Tax rule"))
    family = forms.ChoiceField(label=_("Revenue family"), choices=Family.choices)
    account = forms.RegexField(
        label=_("Revenue account"),
        regex=r"^7\d{5,9}$",
        max_length=10,
        error_messages={"invalid": _("Enter a revenue account of class 7, e.g. 706000.")},
    )
    period = forms.ChoiceField(
        label=_("Billing period"),
        choices=[
            (Product.Period.MONTH, Product.Period.MONTH.label),
            (Product.Period.YEAR, Product.Period.YEAR.label),
        ],
    )
    wallet = forms.ChoiceField(
        label=_("Credits in"), required=False, choices=[("", "—"), *Wallet.choices]
    )
    credits = forms.DecimalField(
        label=_("Credits"),
        required=False,
        min_value=Decimal("0.01"),
        max_digits=8,
        decimal_places=2,
        localize=True,
    )
    validity_days = forms.IntegerField(label=_("Valid for (days)"), required=False, min_value=1)
    notice_days = forms.IntegerField(
        label=_("Notice to cancel (days)"),
        min_value=0,
        help_text=_("A cancellation takes effect this many days after it is asked for."),
    )
    active = forms.BooleanField(label=_("On sale"), required=False)

    def __init__(self, *args: Any, kind: str, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        tax_field: Any = self.fields["tax_code"]
        tax_field.choices = tax_choices()
        keep = set(COMMON_FIELDS) | set(KIND_FIELDS[kind]) | ({"active"} if editing else set())
        for name in list(self.fields):
            if name not in keep:
                del self.fields[name]
        if "credits" in self.fields:
            self.fields["credits"].help_text = CREDITS_HELP[kind]
        if "validity_days" in self.fields:
            self.fields["validity_days"].help_text = VALIDITY_HELP[kind]
        if kind == Kind.PACK:
            self.fields["wallet"].required = True
            self.fields["credits"].required = True
        if kind == Kind.PASS:
            self.fields["validity_days"].required = True

    @classmethod
    def initial_for(cls, kind: str) -> dict[str, Any]:
        return {
            "tax_code": DEFAULT_TAX_CODE,
            "family": default_family(kind),
            "account": default_account(kind),
            "audience": Product.Audience.ANYONE,
            "period": Product.Period.YEAR if kind == Kind.MEMBERSHIP else Product.Period.MONTH,
            "notice_days": 0,
        }

    @classmethod
    def initial_from(cls, product: Product) -> dict[str, Any]:
        return {
            name: getattr(product, name) for name in (*COMMON_FIELDS, *OPTIONAL_DEFAULTS, "active")
        }

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        price, minimum = data.get("price_net"), data.get("min_price_net")
        if price is not None and minimum is not None and minimum > price:
            self.add_error(
                "min_price_net",
                ValidationError(
                    _("The minimum price (%(minimum)s) cannot be above the price (%(price)s)."),
                    code="min_above_price",
                    params={"minimum": minimum, "price": price},
                ),
            )
        if "wallet" in self.fields:
            wallet, credits = data.get("wallet"), data.get("credits")
            if wallet and credits is None and "credits" not in self.errors:
                self.add_error("credits", _("Say how many credits go in the wallet."))
            if credits is not None and not wallet and "wallet" not in self.errors:
                self.add_error("wallet", _("Choose the wallet the credits go in."))
        return data

    def changes(self) -> dict[str, Any]:
        """The values to save: the kind's fields, and the defaults of the fields it hides."""
        values = {**OPTIONAL_DEFAULTS, **self.cleaned_data}
        values["wallet"] = values["wallet"] or ""
        if not values["wallet"]:
            values["credits"] = None
        if values["notice_days"] is None:
            values["notice_days"] = 0
        return values


class RateGridForm(forms.Form):
    """The rate card of the bookable spaces: one price and one tax rule per cell (space ×
    customer class × unit). An empty price means no rate: an existing one is deleted."""

    def __init__(
        self, *args: Any, spaces: list[Space], rates: list[RoomRate], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.spaces = spaces
        self.existing = {(r.space_id, r.audience, r.unit): r for r in rates}
        row_tax: dict[int, str] = {}
        for rate in rates:
            row_tax.setdefault(rate.space_id, rate.tax_code)
        self.rows: list[dict[str, Any]] = []
        for space in spaces:
            cells = []
            for audience, audience_label in RoomRate.Audience.choices:
                for unit, unit_label in RoomRate.Unit.choices:
                    key = cell_key(space.pk, audience, unit)
                    current = self.existing.get((space.pk, audience, unit))
                    label = f"{space.name} · {audience_label} · {unit_label}"
                    self.fields[key] = forms.DecimalField(
                        label=label, required=False, min_value=0, **MONEY
                    )
                    self.fields[f"{key}-tax"] = forms.ChoiceField(
                        label=_("Tax rule: %(cell)s") % {"cell": label},
                        choices=tax_choices(mentions=False),
                    )
                    self.initial.setdefault(key, current.price_net if current else None)
                    self.initial.setdefault(
                        f"{key}-tax",
                        current.tax_code if current else row_tax.get(space.pk, DEFAULT_TAX_CODE),
                    )
                    cells.append({"key": key, "audience": audience, "unit": unit})
            self.rows.append({"space": space, "cells": cells})

    def bound_rows(self) -> list[dict[str, Any]]:
        """The grid for the template: per space, per customer class, per unit its price
        and tax fields."""
        units = len(RoomRate.Unit.choices)
        grid = []
        for row in self.rows:
            cells = row["cells"]
            lines = []
            for index, (_audience, label) in enumerate(RoomRate.Audience.choices):
                chunk = cells[index * units : (index + 1) * units]
                lines.append(
                    {
                        "label": label,
                        "cells": [
                            {"price": self[c["key"]], "tax": self[f"{c['key']}-tax"]} for c in chunk
                        ],
                    }
                )
            grid.append({"space": row["space"], "lines": lines})
        return grid

    def edits(self) -> tuple[list[dict[str, Any]], list[tuple[str, RoomRate]]]:
        """What saving changes: rates to set (new or different) and rates to delete."""
        to_set: list[dict[str, Any]] = []
        to_delete: list[tuple[str, RoomRate]] = []
        for row in self.rows:
            for cell in row["cells"]:
                key = cell["key"]
                price = self.cleaned_data.get(key)
                tax_code = self.cleaned_data.get(f"{key}-tax")
                old = self.existing.get((row["space"].pk, cell["audience"], cell["unit"]))
                if price is None:
                    if old is not None:
                        to_delete.append((key, old))
                elif old is None or old.price_net != price or old.tax_code != tax_code:
                    to_set.append(
                        {
                            "key": key,
                            "space": row["space"],
                            "audience": cell["audience"],
                            "unit": cell["unit"],
                            "price_net": price,
                            "tax_code": tax_code,
                        }
                    )
        return to_set, to_delete


def cell_key(space_id: int, audience: str, unit: str) -> str:
    return f"rate-{space_id}-{audience}-{unit}"


def people_of(place: Place) -> Any:
    """People with a role in the place or a customer there."""
    return (
        Person.objects.filter(Q(place_roles__place=place) | Q(customers__place=place))
        .distinct()
        .order_by("last_name", "first_name", "id")
    )


def organisations_of(place: Place) -> Any:
    return (
        Organisation.objects.filter(Q(place_roles__place=place) | Q(customers__place=place))
        .distinct()
        .order_by("name", "id")
    )


class SubscriptionForm(forms.Form):
    """Subscribe a person or an organisation to a membership or a plan."""

    product = forms.ModelChoiceField(label=_("Membership or plan"), queryset=Product.objects.none())
    person = forms.ModelChoiceField(
        label=_("Person"), required=False, queryset=Person.objects.none()
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"), required=False, queryset=Organisation.objects.none()
    )
    customer = forms.ModelChoiceField(
        label=_("Paid by"),
        required=False,
        queryset=Customer.objects.none(),
        help_text=_(
            "Leave empty: the holder pays. Choose an organisation's customer when it pays for "
            "its people."
        ),
    )
    start = forms.DateField(label=_("Starts on"), widget=DATE)
    price_net = forms.DecimalField(
        label=_("Price excluding tax (€)"),
        required=False,
        min_value=0,
        help_text=_(
            "Leave empty for the product's price. Pay what you want: the price the member "
            "chose (at least the minimum)."
        ),
        **MONEY,
    )

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields: Any = self.fields
        fields["product"].queryset = Product.objects.filter(
            place=place, active=True, kind__in=[Kind.MEMBERSHIP, Kind.PLAN]
        )
        fields["person"].queryset = people_of(place)
        fields["organisation"].queryset = organisations_of(place)
        fields["customer"].queryset = Customer.objects.filter(place=place)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        person, organisation = data.get("person"), data.get("organisation")
        if not person and not organisation and not self.has_error("person"):
            self.add_error("person", _("Choose the person or the organisation who subscribes."))
        return data


class SubscriptionFilterForm(forms.Form):
    STATES = [
        ("", _("All")),
        ("active", _("Active")),
        ("paused", _("Paused today")),
        ("ended", _("Ended")),
    ]
    product = forms.ModelChoiceField(
        label=_("Product"), required=False, queryset=Product.objects.none()
    )
    state = forms.ChoiceField(label=_("State"), required=False, choices=STATES)
    q = forms.CharField(label=_("Holder"), required=False, max_length=100)

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        product: Any = self.fields["product"]
        product.queryset = Product.objects.filter(
            place=place, kind__in=[Kind.MEMBERSHIP, Kind.PLAN]
        )


class PauseForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("Until (included)"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data: dict[str, Any] = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The pause cannot end before it starts."))
        return data


class CancelForm(forms.Form):
    end = forms.DateField(
        label=_("Last day"),
        required=False,
        widget=DATE,
        help_text=_("Leave empty: the earliest day the notice allows."),
    )


class AdjustForm(forms.Form):
    wallet = forms.ChoiceField(label=_("Wallet"), choices=Wallet.choices)
    quantity = forms.DecimalField(
        label=_("Credits to add (negative to remove)"),
        max_digits=8,
        decimal_places=2,
        localize=True,
    )
    note = forms.CharField(
        label=_("Why"),
        max_length=200,
        help_text=_("Kept in the ledger: say why the credits change."),
    )


class MonthField(forms.CharField):
    """A month as 'YYYY-MM' (an <input type="month">), cleaned to its first day."""

    widget = forms.TextInput(attrs={"type": "month"})

    def to_python(self, value: Any) -> date | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        parsed = parse_month(text)
        if parsed is None:
            raise ValidationError(_("Enter a month as YYYY-MM."), code="invalid")
        return parsed


def parse_month(text: str) -> date | None:
    """'2026-11' → 1 November 2026; anything else → None."""
    if len(text) != 7 or text[4] != "-" or not (text[:4] + text[5:]).isdigit():
        return None
    year, month = int(text[:4]), int(text[5:])
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        return None
    return date(year, month, 1)


class MonthForm(forms.Form):
    month = MonthField(label=_("Month"))


class ConfirmRunForm(forms.Form):
    issue_date = forms.DateField(label=_("Issue date of the invoices"), widget=DATE)
    send = forms.BooleanField(
        label=_("Send the invoices by e-mail"),
        required=False,
        initial=True,
        help_text=_("Each customer with an e-mail address receives their invoice as a PDF."),
    )


class SepaForm(forms.Form):
    collection_date = forms.DateField(label=_("Collection date"), widget=DATE)
