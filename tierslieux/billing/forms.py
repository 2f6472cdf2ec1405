"""Forms of the billing back office. They check shapes (numbers, dates, choices) and say
precisely what is wrong; the services check the rules (a draft only, what is due, closed
periods...) and the views show their refusals on the same forms. Money fields are
localised: people type "12,50" in French."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tierslieux.billing import tax
from tierslieux.billing.exports.sepa import iban_is_valid
from tierslieux.billing.models import Customer, Family, Invoice, InvoiceLine, Payment
from tierslieux.billing.models.base import MAX_PRICE, MAX_QUANTITY
from tierslieux.core.formatting import money
from tierslieux.places.models import Place

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
MONEY_ATTRS = {"inputmode": "decimal", "autocomplete": "off"}
ANY = ("", gettext_lazy("All"))
TAX_CHOICES = [(code, rule.label) for code, rule in tax.RULES.items()]
UNIT_CHOICES = [
    ("C62", gettext_lazy("unit")),
    ("HUR", gettext_lazy("hour")),
    ("DAY", gettext_lazy("day")),
    ("MON", gettext_lazy("month")),
]


class MoneyField(forms.DecimalField):
    """A localised amount; the spaces people type between thousands ("12 500,00") or paste
    from a page (no-break spaces) are not part of the number."""

    def to_python(self, value: Any) -> Any:
        if isinstance(value, str):
            value = "".join(value.split()).replace("\u00a0", "").replace("\u202f", "")
        return super().to_python(value)


def money_field(label: Any, **kwargs: Any) -> forms.DecimalField:
    return MoneyField(
        label=label,
        max_digits=12,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs=MONEY_ATTRS),
        **kwargs,
    )


def positive_amount(value: Decimal, what: str) -> Decimal:
    """The services' own rule and wording: a positive amount in cents."""
    if value <= 0:
        raise forms.ValidationError(
            _("%(what)s must be a positive amount in cents, not %(value)s.")
            % {"what": what, "value": money(value)},
            code="amount_not_positive",
        )
    return value


class PaymentState:
    """The list's payment filter: the three states of `queries.payment_state`, and overdue."""

    UNPAID = "unpaid"
    PARTLY_PAID = "partly_paid"
    PAID = "paid"
    OVERDUE = "overdue"
    CHOICES = [
        ANY,
        (UNPAID, gettext_lazy("Unpaid")),
        (PARTLY_PAID, gettext_lazy("Partly paid")),
        (PAID, gettext_lazy("Paid")),
        (OVERDUE, gettext_lazy("Overdue")),
    ]


class PeriodMixin:
    """`start` ≤ `end` when both are given."""

    def check_period(self: Any, data: dict[str, Any]) -> None:
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", _("The period ends before it starts."))


class InvoiceFilterForm(PeriodMixin, forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Number or customer"), required=False, max_length=100, strip=True
    )
    status = forms.ChoiceField(
        label=gettext_lazy("Status"), required=False, choices=[ANY, *Invoice.Status.choices]
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Type"), required=False, choices=[ANY, *Invoice.Kind.choices]
    )
    customer = forms.ModelChoiceField(
        label=gettext_lazy("Customer"),
        required=False,
        queryset=Customer.objects.none(),
        empty_label=gettext_lazy("All"),
    )
    start = forms.DateField(label=gettext_lazy("Issued from"), required=False, widget=DATE)
    end = forms.DateField(label=gettext_lazy("Issued until"), required=False, widget=DATE)
    payment = forms.ChoiceField(
        label=gettext_lazy("Payment"), required=False, choices=PaymentState.CHOICES
    )

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(place=place)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_period(data)
        return data

    def filters(self) -> dict[str, Any]:
        """The valid filters only: a wrong date is shown as an error and ignored."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: value for key, value in data.items() if value not in (None, "")}


class PeriodForm(PeriodMixin, forms.Form):
    """A period of dates, both ends included; `required` for exports and closings."""

    start = forms.DateField(label=gettext_lazy("From"), widget=DATE)
    end = forms.DateField(label=gettext_lazy("Until"), widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_period(data)
        return data


class ClosePeriodForm(PeriodForm):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that nothing more can be issued on these dates."),
        error_messages={"required": gettext_lazy("Tick the box to confirm the closing.")},
    )


class IssueForm(forms.Form):
    issue_date = forms.DateField(
        label=gettext_lazy("Issue date"),
        widget=DATE,
        help_text=gettext_lazy(
            "Numbers follow dates: the date cannot be earlier than the last issued invoice's, "
            "nor in a closed period."
        ),
    )


class PaymentForm(forms.Form):
    amount = money_field(gettext_lazy("Amount received (€)"))
    date = forms.DateField(label=gettext_lazy("Received on"), widget=DATE)
    method = forms.ChoiceField(label=gettext_lazy("Method"), choices=Payment.Method.choices)
    reference = forms.CharField(
        label=gettext_lazy("Reference"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Cheque number, transfer label, HelloAsso order…"),
    )

    def clean_amount(self) -> Decimal:
        return positive_amount(self.cleaned_data["amount"], _("A payment"))


class SendForm(forms.Form):
    to = forms.EmailField(
        label=gettext_lazy("Send to"),
        required=False,
        help_text=gettext_lazy("Left empty: the customer's address."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class PaymentFilterForm(PeriodMixin, forms.Form):
    method = forms.ChoiceField(
        label=gettext_lazy("Method"), required=False, choices=[ANY, *Payment.Method.choices]
    )
    start = forms.DateField(label=gettext_lazy("From"), required=False, widget=DATE)
    end = forms.DateField(label=gettext_lazy("Until"), required=False, widget=DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        self.check_period(data)
        return data

    def filters(self) -> dict[str, Any]:
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {key: value for key, value in data.items() if value not in (None, "")}


class DraftForm(forms.Form):
    customer = forms.ModelChoiceField(
        label=gettext_lazy("Customer"), queryset=Customer.objects.none()
    )
    service_start = forms.DateField(label=gettext_lazy("Service from"), required=False, widget=DATE)
    service_end = forms.DateField(label=gettext_lazy("Service until"), required=False, widget=DATE)
    payment_terms_days = forms.IntegerField(
        label=gettext_lazy("Payment terms (days)"),
        required=False,
        min_value=0,
        max_value=60,
        help_text=gettext_lazy(
            "Empty: the place's usual terms. The law caps terms at 60 days from the invoice date."
        ),
    )

    def __init__(self, *args: Any, place: Place, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["customer"].queryset = Customer.objects.filter(place=place)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("service_start"), data.get("service_end")
        if start and end and end < start:
            self.add_error("service_end", _("The service ends before it starts."))
        return data


class LineForm(forms.Form):
    description = forms.CharField(label=gettext_lazy("Description"), max_length=500)
    quantity = forms.DecimalField(
        label=gettext_lazy("Quantity"),
        max_digits=12,
        decimal_places=3,
        localize=True,
        initial=1,
        max_value=MAX_QUANTITY,
        widget=forms.TextInput(attrs=MONEY_ATTRS),
    )
    unit = forms.ChoiceField(label=gettext_lazy("Unit"), choices=UNIT_CHOICES, initial="C62")
    unit_price_net = money_field(gettext_lazy("Unit price excl. VAT (€)"), max_value=MAX_PRICE)
    tax_code = forms.ChoiceField(label=gettext_lazy("VAT"), choices=TAX_CHOICES, initial="vat_20")
    family = forms.ChoiceField(
        label=gettext_lazy("Revenue family"), choices=Family.choices, initial=Family.SERVICES
    )
    account = forms.CharField(
        label=gettext_lazy("Account"),
        max_length=10,
        initial="706000",
        validators=[
            RegexValidator(r"^[0-9]{3,10}$", gettext_lazy("An account number has 3 to 10 digits."))
        ],
    )

    def clean_quantity(self) -> Decimal:
        quantity: Decimal = self.cleaned_data["quantity"]
        if quantity <= 0:
            raise forms.ValidationError(
                _("The quantity must be positive; a correction is a credit note."),
                code="quantity_not_positive",
            )
        return quantity

    def clean_unit_price_net(self) -> Decimal:
        price: Decimal = self.cleaned_data["unit_price_net"]
        if price < 0:
            raise forms.ValidationError(
                _("The unit price cannot be negative; a correction is a credit note."),
                code="negative_price",
            )
        return price


class BaseLineFormSet(forms.BaseFormSet):
    def kept(self) -> list[dict[str, Any]]:
        """The lines to save, in order (blank extra lines and deleted ones left out)."""
        return [
            form.cleaned_data
            for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE")
        ]

    def clean(self) -> None:
        super().clean()
        if not any(self.errors) and not self.kept():
            raise forms.ValidationError(
                _("Add at least one line: an invoice without lines cannot be issued."),
                code="no_lines",
            )


LineFormSet = forms.formset_factory(LineForm, formset=BaseLineFormSet, extra=2, can_delete=True)


def plain(quantity: Decimal) -> Decimal:
    """2.000 → 2 and 1.500 → 1.5, as people write quantities."""
    if quantity == quantity.to_integral_value():
        return quantity.quantize(Decimal(1))
    return quantity.normalize()


def line_initial(lines: list[InvoiceLine]) -> list[dict[str, Any]]:
    return [
        {
            "description": li.description,
            "quantity": plain(li.quantity),
            "unit": li.unit,
            "unit_price_net": li.unit_price_net,
            "tax_code": li.tax_code,
            "family": li.family,
            "account": li.account,
        }
        for li in lines
    ]


class CreditNoteForm(forms.Form):
    """The whole invoice (what remains of it), or per line a quantity or an amount excl. VAT.
    Line fields are added per line of the invoice: `quantity_<position>`, `amount_<position>`."""

    WHOLE, PARTS = "whole", "parts"
    mode = forms.ChoiceField(
        label=gettext_lazy("What to credit"),
        widget=forms.RadioSelect,
        initial="whole",
        choices=[
            (WHOLE, gettext_lazy("The whole invoice (what is not yet credited)")),
            (PARTS, gettext_lazy("Some lines: a quantity or an amount excl. VAT per line")),
        ],
    )
    issue_date = forms.DateField(label=gettext_lazy("Issue date"), widget=DATE)

    def __init__(self, *args: Any, lines: list[InvoiceLine], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lines = lines
        for line in lines:
            self.fields[f"quantity_{line.position}"] = forms.DecimalField(
                label=_("Line %(position)s: quantity") % {"position": line.position},
                required=False,
                max_digits=12,
                decimal_places=3,
                localize=True,
                widget=forms.TextInput(attrs=MONEY_ATTRS),
            )
            self.fields[f"amount_{line.position}"] = money_field(
                _("Line %(position)s: amount excl. VAT (€)") % {"position": line.position},
                required=False,
            )

    def line_fields(self) -> list[tuple[InvoiceLine, Any, Any]]:
        return [
            (li, self[f"quantity_{li.position}"], self[f"amount_{li.position}"])
            for li in self.lines
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("mode") != self.PARTS:
            return data
        parts = []
        for line in self.lines:
            quantity = data.get(f"quantity_{line.position}")
            amount = data.get(f"amount_{line.position}")
            if quantity is not None and amount is not None:
                self.add_error(
                    f"amount_{line.position}",
                    _("Line %(position)s: credit either a quantity or an amount.")
                    % {"position": line.position},
                )
            elif quantity is not None or amount is not None:
                name, value = ("quantity", quantity) if quantity is not None else ("amount", amount)
                if value is not None and value <= 0:
                    self.add_error(
                        f"{name}_{line.position}",
                        _(
                            "Line %(position)s: what is credited is given as a positive "
                            "quantity or amount."
                        )
                        % {"position": line.position},
                    )
                parts.append((line.position, quantity, amount))
        if not parts and not self.errors:
            raise forms.ValidationError(
                _("Give a quantity or an amount for at least one line."), code="no_part"
            )
        data["parts"] = parts
        return data


class CustomerForm(forms.ModelForm):
    # Wider than the model's columns: people paste "552 100 554"; spaces are dropped.
    siren = forms.CharField(
        label=gettext_lazy("SIREN"),
        required=False,
        max_length=20,
        help_text=gettext_lazy("9 digits (the first 9 digits of the SIRET)."),
    )
    iban = forms.CharField(
        label=gettext_lazy("IBAN"),
        required=False,
        max_length=50,
        help_text=gettext_lazy("For SEPA direct debits, with a signed mandate."),
    )

    class Meta:
        model = Customer
        fields = [
            "name",
            "kind",
            "email",
            "address",
            "postcode",
            "city",
            "country",
            "siren",
            "vat_number",
            "language",
            "iban",
            "bic",
            "sepa_mandate_reference",
            "sepa_mandate_date",
        ]
        widgets = {"sepa_mandate_date": DATE}
        help_texts = {
            "kind": gettext_lazy(
                "A company or a public body needs its SIREN before an invoice is issued to it."
            ),
            "country": gettext_lazy("Two letters (ISO 3166): FR, BE…"),
        }

    def clean_siren(self) -> str:
        return str(self.cleaned_data["siren"]).replace(" ", "")

    def clean_iban(self) -> str:
        iban = "".join(str(self.cleaned_data["iban"]).split()).upper()
        if iban and not iban_is_valid(iban):
            raise forms.ValidationError(
                _("This IBAN is not valid (%(iban)s): check it with the account holder.")
                % {"iban": iban},
                code="invalid_iban",
            )
        return iban

    def clean_bic(self) -> str:
        return "".join(str(self.cleaned_data["bic"]).split()).upper()

    def clean_country(self) -> str:
        country = str(self.cleaned_data["country"]).strip().upper()
        if len(country) != 2 or not country.isalpha():
            raise forms.ValidationError(
                _("A country is two letters (FR, BE…)."), code="invalid_country"
            )
        return country

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        reference, signed = data.get("sepa_mandate_reference"), data.get("sepa_mandate_date")
        if reference and not signed:
            self.add_error(
                "sepa_mandate_date",
                _("A mandate has a signature date: give it with its reference."),
            )
        if signed and not reference:
            self.add_error(
                "sepa_mandate_reference", _("A mandate has a reference: give it with its date.")
            )
        if reference and not data.get("iban") and "iban" not in self.errors:
            self.add_error("iban", _("A direct-debit mandate needs the customer's IBAN."))
        return data

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class FundingForm(forms.Form):
    funder = forms.CharField(label=gettext_lazy("Funder"), max_length=200)
    public = forms.BooleanField(
        label=gettext_lazy("Public funder (State, region, department, town…)"),
        required=False,
        initial=True,
    )
    amount = money_field(gettext_lazy("Amount (€)"))
    received_on = forms.DateField(label=gettext_lazy("Received on"), widget=DATE)
    family = forms.ChoiceField(
        label=gettext_lazy("Revenue family"), choices=Family.choices, initial=Family.PARTNERSHIPS
    )
    description = forms.CharField(label=gettext_lazy("Description"), max_length=255, required=False)

    def clean_amount(self) -> Decimal:
        return positive_amount(self.cleaned_data["amount"], _("A funding"))


def year_bounds(today: date) -> tuple[date, date]:
    return date(today.year, 1, 1), date(today.year, 12, 31)
