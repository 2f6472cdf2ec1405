"""The ledger's forms: an expense, a grant (its months written YYYY-MM), a funding received
linked to a grant or unlinked from it, the CSV import."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tierslieux.billing.models import Funding
from tierslieux.core.formatting import day, money
from tierslieux.economics import expense_csv
from tierslieux.economics.models import MAX_AMOUNT, ExpenseCategory, FunderKind, Grant, GrantReceipt
from tierslieux.places.models import Place

MAX_FILE = 2_000_000  # bytes: a year of a small place's ledger is far below


class MonthInput(forms.DateInput):
    input_type = "month"


def month_field(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label, input_formats=["%Y-%m", "%m/%Y", "%Y-%m-%d"],
        widget=MonthInput(format="%Y-%m"),
        error_messages={"invalid": _("Write a month as 2027-01.")},
    )  # fmt: skip


class AmountField(forms.DecimalField):
    """An amount as people type it: 1 250,50 or 1250.50, spaces and « € » allowed (a text
    box with a decimal keypad: a number box refuses the French comma in some browsers)."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"})

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str) and value.strip():
            amount = expense_csv.parse_amount(value)
            if amount is None:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            value = str(amount)
        return super().to_python(value)


def amount_field() -> forms.DecimalField:
    return AmountField(
        label=_("Amount (€)"), min_value=Decimal("0.01"), max_value=MAX_AMOUNT,
        decimal_places=2, max_digits=12,
    )  # fmt: skip


class ExpenseForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    category = forms.ChoiceField(label=_("Category"), choices=ExpenseCategory.choices)
    label = forms.CharField(label=_("Label"), max_length=200)
    amount = amount_field()


class GrantForm(forms.Form):
    funder_kind = forms.ChoiceField(label=_("Funder kind"), choices=FunderKind.choices)
    funder = forms.CharField(label=_("Funder"), max_length=200)
    amount = amount_field()
    first_month = month_field(_("First month"))
    last_month = month_field(_("Last month"))


class KeyChoice(forms.ModelChoiceField):
    """A choice by id: an id no database could compare (not a number, or beyond 64 bits) is
    an invalid choice, not a query that fails."""

    def to_python(self, value: Any) -> Any:
        if value not in self.empty_values:
            try:
                key = int(str(value))
            except ValueError:
                key = 0
            if not 0 < key < 2**63:
                raise forms.ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice"
                )
        return super().to_python(value)


class GrantChoice(KeyChoice):
    def label_from_instance(self, obj: Any) -> str:
        first, last = (day(m, "YEAR_MONTH_FORMAT") for m in (obj.first_month, obj.last_month))
        return f"{obj.funder} · {money(obj.amount)} · {first} – {last}"


class FundingChoice(KeyChoice):
    """A funding as the coordinator finds it in billing: date received, funder, amount."""

    def label_from_instance(self, obj: Any) -> str:
        return f"{day(obj.received_on, 'SHORT_DATE_FORMAT')} · {obj.funder} · {money(obj.amount)}"


class LinkForm(forms.Form):
    """A funding received (in billing) that pays one of the place's grants: only the place's
    fundings not paying a grant yet are offered (and accepted)."""

    grant = GrantChoice(label=_("Grant"), queryset=Grant.objects.none(), empty_label="—")
    funding = FundingChoice(
        label=_("Funding received"), queryset=Funding.objects.none(), empty_label="—",
        error_messages={"invalid_choice": _(
            "Choose one of the fundings listed: this place's, not paying a grant yet."
        )},
    )  # fmt: skip

    def __init__(self, place: Place, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["grant"].queryset = Grant.objects.filter(place=place)  # type: ignore[attr-defined]
        self.fields["funding"].queryset = Funding.objects.filter(  # type: ignore[attr-defined]
            place=place, grant_receipts__isnull=True
        ).order_by("-received_on", "-pk")


class UnlinkForm(forms.Form):
    """The funding (by its id) that should no longer pay its grant; the link is looked up
    among the place's, with its grant and funding."""

    funding = KeyChoice(
        queryset=GrantReceipt.objects.none(), to_field_name="funding_id", widget=forms.HiddenInput,
        error_messages={"invalid_choice": _("This funding does not pay a grant of this place.")},
    )  # fmt: skip

    def __init__(self, place: Place, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        receipts = GrantReceipt.objects.filter(grant__place=place)
        self.fields["funding"].queryset = receipts.select_related("grant", "funding")  # type: ignore[attr-defined]


def decode_export(raw: bytes) -> str | None:
    """An export's text, or None when it is not text. UTF-8 first (with or without its BOM);
    else ISO 8859-15, the FEC's usual encoding (billing's own), when its € (0xA4) shows and
    none of the bytes Windows-1252 puts its own € and quotes in (0x80–0x9F); else
    Windows-1252, the spreadsheets' encoding. Bytes neither knows: not text."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    if b"\xa4" in raw and not any(0x80 <= byte <= 0x9F for byte in raw):
        return raw.decode("iso-8859-15")
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return None


class ImportForm(forms.Form):
    """The file on the first visit; its text, carried in the page, once checked."""

    file = forms.FileField(label=_("Accountant's export (CSV or FEC)"), required=False)
    text = forms.CharField(
        required=False, widget=forms.HiddenInput, max_length=MAX_FILE, strip=False
    )
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        upload = data.get("file")
        if upload is not None:
            if upload.size > MAX_FILE:
                self.add_error("file", _("At most 2 MB: split the file."))
                return data
            text = decode_export(upload.read())
            if text is None:
                message = _("This file is not text: export it as CSV, or the FEC as a text file.")
                self.add_error("file", message)
                return data
            data["text"] = text
        if not data.get("text") and "file" not in self.errors:
            self.add_error("file", _("Choose the file to import."))
        return data
