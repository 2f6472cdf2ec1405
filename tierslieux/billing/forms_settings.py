"""The form of the place's billing settings. It checks shapes only (a whole number of days, a
number for the rate, one file); `services.update_billing_profile` and
`services.set_invoice_prefix` judge the values and say what is wrong, on the same fields."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BoundField
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tierslieux.billing.models import BillingProfile
from tierslieux.billing.services.profile import MAX_TERMS_DAYS

PROFILE_FIELDS = (
    "vat_number",
    "iban",
    "bic",
    "sepa_creditor_id",
    "payment_terms_days",
    "late_penalty_rate",
)
GROUPS = (
    (gettext_lazy("Identification"), ("vat_number",)),
    (gettext_lazy("Bank details"), ("iban", "bic", "sepa_creditor_id")),
    (gettext_lazy("Payment terms"), ("payment_terms_days", "late_penalty_rate")),
    (gettext_lazy("Logo"), ("logo", "remove_logo")),
    (gettext_lazy("Numbering"), ("invoice_prefix",)),
)


class BillingSettingsForm(forms.Form):
    # Wider than the columns: people paste "FR76 3000 6000 …"; spaces are dropped.
    vat_number = forms.CharField(
        label=gettext_lazy("Intra-community VAT number"),
        required=False,
        max_length=40,
        help_text=gettext_lazy(
            "FR, 2 check digits and the SIREN, e.g. FR40303265045. Leave empty when the "
            "place is not subject to VAT."
        ),
    )
    iban = forms.CharField(
        label=gettext_lazy("IBAN"),
        required=False,
        max_length=50,
        help_text=gettext_lazy("Printed on invoices for transfers, and used for direct debits."),
    )
    bic = forms.CharField(label=gettext_lazy("BIC"), required=False, max_length=20)
    sepa_creditor_id = forms.CharField(
        label=gettext_lazy("SEPA creditor identifier (ICS)"),
        required=False,
        max_length=40,
        help_text=gettext_lazy("Given by the bank, for direct debits (e.g. FR12ZZZ123456)."),
    )
    payment_terms_days = forms.IntegerField(
        label=gettext_lazy("Payment terms (days)"),
        widget=forms.NumberInput(attrs={"min": 0, "max": MAX_TERMS_DAYS}),
        help_text=gettext_lazy(
            "Days after the invoice date; 0 means payable on receipt; at most 60 (French law)."
        ),
    )
    late_penalty_rate = forms.DecimalField(
        label=gettext_lazy("Late-payment penalty rate (% a year)"),
        min_value=0,
        max_value=100,
        max_digits=5,
        decimal_places=2,
        localize=True,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
        help_text=gettext_lazy(
            "Printed on invoices; by default the ECB rate plus 10 points (art. L441-10 of the "
            "Code de commerce)."
        ),
    )
    logo = forms.FileField(
        label=gettext_lazy("New logo"),
        required=False,
        widget=forms.FileInput(attrs={"accept": "image/png,image/jpeg"}),
        help_text=gettext_lazy("PNG or JPEG, at most 1 MB; shown at the top of the invoices."),
    )
    remove_logo = forms.BooleanField(label=gettext_lazy("Remove the logo"), required=False)
    invoice_prefix = forms.CharField(
        label=gettext_lazy("Prefix of invoice numbers"),
        max_length=20,
        help_text=gettext_lazy("1 to 10 capital letters or digits: F gives F-000001."),
    )

    def __init__(
        self,
        *args: Any,
        profile: BillingProfile,
        number_prefix: str,
        prefix_locked: bool,
        **kwargs: Any,
    ) -> None:
        initial = {name: getattr(profile, name) for name in PROFILE_FIELDS}
        kwargs.setdefault("initial", {**initial, "invoice_prefix": number_prefix})
        super().__init__(*args, **kwargs)
        self.prefix_locked = prefix_locked
        if not profile.logo:
            del self.fields["remove_logo"]
        if prefix_locked:
            # A disabled field keeps its initial value whatever is posted.
            field = self.fields["invoice_prefix"]
            field.disabled = True
            field.help_text = _(
                "Invoices have been issued with this prefix: it can no longer change, the "
                "numbers already issued keep their series."
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("logo") and data.get("remove_logo"):
            self.add_error(
                "remove_logo",
                _("Either send a new logo or remove the current one, not both."),
            )
        return data

    def groups(self) -> list[tuple[str, list[BoundField]]]:
        return [
            (str(legend), [self[name] for name in names if name in self.fields])
            for legend, names in GROUPS
        ]

    def profile_values(self) -> dict[str, Any]:
        """The keyword arguments of `update_billing_profile`: `logo` only to change it."""
        values = {name: self.cleaned_data[name] for name in PROFILE_FIELDS}
        if self.cleaned_data.get("logo"):
            values["logo"] = self.cleaned_data["logo"]
        elif self.cleaned_data.get("remove_logo"):
            values["logo"] = None
        return values

    def new_prefix(self, current: str) -> str | None:
        """The prefix to set, or None when it stays."""
        if self.prefix_locked:
            return None
        wanted = str(self.cleaned_data["invoice_prefix"]).strip().upper()
        return None if wanted == current else wanted
