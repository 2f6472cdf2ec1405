"""The place's billing settings in the back office: VAT number, bank details, terms, logo and
the prefix of invoice numbers, with what the invoices will say of the seller. See `views` for
the access rules; the logo is streamed here only (media files are never served publicly)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from tierslieux.billing import numbering, queries, services, snapshots
from tierslieux.billing.forms_settings import BillingSettingsForm
from tierslieux.billing.models import BillingProfile, InvoiceSequence
from tierslieux.billing.views.manage import billing_view
from tierslieux.places.backoffice import attach_error, render
from tierslieux.places.models import Place

LOGO_TYPES = {".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}


def _save(request: HttpRequest, place: Place, form: BillingSettingsForm, current: str) -> None:
    """Both changes or neither: a refused prefix leaves the profile (and its logo) as it was."""
    with transaction.atomic():
        prefix = form.new_prefix(current)
        if prefix is not None:
            try:
                services.set_invoice_prefix(actor=request.user, place=place, prefix=prefix)
            except ValidationError as error:
                raise ValidationError({"invoice_prefix": error.error_list}) from error
        services.update_billing_profile(actor=request.user, place=place, **form.profile_values())


@billing_view
def settings(request: HttpRequest, place: Place) -> HttpResponse:
    profile = snapshots.profile_of(place)
    sequence = InvoiceSequence.objects.filter(place=place).first() or InvoiceSequence(place=place)
    locked = sequence.next_number > 1 or queries.numbers_issued(place)
    options: dict[str, Any] = {
        "profile": profile,
        "number_prefix": sequence.prefix,
        "prefix_locked": locked,
    }
    if request.method == "POST":
        form = BillingSettingsForm(request.POST, request.FILES, **options)
        if form.is_valid():
            try:
                _save(request, place, form, sequence.prefix)
            except ValidationError as error:
                attach_error(form, error)
            else:
                messages.success(request, _("The billing settings are saved."))
                return redirect("billing_manage:settings", slug=place.slug)
    else:
        form = BillingSettingsForm(**options)
    seller = snapshots.seller(place, profile)
    return render(
        request,
        "billing/manage/settings.html",
        {
            "place": place,
            "form": form,
            "profile": profile,
            "seller": seller,
            "seller_address": [
                line
                for line in (seller["address"], f"{seller['postcode']} {seller['city']}".strip())
                if line
            ],
            "next_number": numbering.format_number(sequence.prefix, sequence.next_number),
            "prefix_locked": locked,
        },
        form,
    )


@billing_view
def settings_logo(request: HttpRequest, place: Place) -> HttpResponse:
    """The place's logo, to its billing team only; 404 without one."""
    name = BillingProfile.objects.filter(place=place).values_list("logo", flat=True).first() or ""
    content_type = next((t for ext, t in LOGO_TYPES.items() if name.lower().endswith(ext)), None)
    if not name or content_type is None:
        raise Http404(_("This place has no logo."))
    storage = BillingProfile._meta.get_field("logo").storage
    try:
        with storage.open(name, "rb") as handle:
            content = handle.read()
    except FileNotFoundError:
        raise Http404(_("This place has no logo.")) from None
    response = HttpResponse(content, content_type=content_type)
    response["Cache-Control"] = "private, no-cache"
    response["Content-Security-Policy"] = "default-src 'none'"
    return response
