"""The billing settings page: who may see it, what it saves and refuses (422, nothing kept),
the logo streamed to the team only and printed on the invoices issued afterwards, the prefix
fixed once numbers exist."""

from __future__ import annotations

from datetime import date
from io import BytesIO

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tierslieux.billing import services
from tierslieux.billing.models import BillingProfile, InvoiceSequence
from tierslieux.billing.tests import factories as f
from tierslieux.billing.tests import logos
from tierslieux.billing.tests.views.support import SIXTY, page, url
from tierslieux.core.models import AuditEntry
from tierslieux.places.tests import factories as pf

IBAN = "FR7630006000011234567890189"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def form_data(**fields):
    return {
        "vat_number": "FR44732829320",
        "iban": "FR76 3000 6000 0112 3456 7890 189",
        "bic": "BNPAFRPPXXX",
        "sepa_creditor_id": "FR72ZZZ123456",
        "payment_terms_days": "45",
        "late_penalty_rate": "10.50",
        "invoice_prefix": "F",
        **fields,
    }


def state(place, media):
    return (
        list(BillingProfile.objects.filter(place=place).values()),
        list(InvoiceSequence.objects.filter(place=place).values()),
        AuditEntry.objects.count(),
        sorted(media.rglob("*")) if media.exists() else [],
    )


def images_in(pdf: bytes) -> int:
    return sum(len(p.images) for p in PdfReader(BytesIO(pdf)).pages)


def test_the_billing_menu_leads_to_the_settings(team, place, english):
    response = team.get(url("invoices", place))
    assert url("settings", place) in page(response)


def test_the_page_shows_what_invoices_will_say_of_the_seller(team, place, english):
    response = team.get(url("settings", place))
    assert response.status_code == 200
    text = page(response)
    assert "La Fabrique" in text and "73282932000074" in text and "732829320" in text
    assert reverse("places:manage_sheet", args=[place.slug]) in text
    assert "F-000001" in text
    assert "no invoice can be issued" not in text


def test_without_a_siret_the_page_says_why_issuing_is_refused(client, english):
    bare = f.place(siret="")
    client.force_login(f.coordinator(bare))
    text = page(client.get(url("settings", bare)))
    assert "The place has no SIRET: no invoice can be issued" in text
    assert reverse("places:manage_sheet", args=[bare.slug]) in text


def test_anonymous_visitors_are_sent_to_login(client, place):
    for name in ("settings", "settings_logo"):
        response = client.get(url(name, place))
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("persona", ["staff", "member", "outsider", "other_coordinator"])
def test_without_the_billing_permission_it_is_403_and_nothing_changes(
    client, place, coordinator, media, persona
):
    services.update_billing_profile(actor=coordinator, place=place, logo=logos.png())
    user = {
        "staff": lambda: pf.staff(place),
        "member": lambda: pf.member(place),
        "outsider": pf.user,
        "other_coordinator": lambda: pf.coordinator(f.place()),
    }[persona]()
    client.force_login(user)
    before = state(place, media)
    assert client.get(url("settings", place)).status_code == 403
    assert client.get(url("settings_logo", place)).status_code == 403
    response = client.post(url("settings", place), form_data(logo=logos.png(), iban=""))
    assert response.status_code == 403
    assert state(place, media) == before


def test_the_coordinator_saves_the_settings(team, place, english):
    response = team.post(url("settings", place), form_data(invoice_prefix="fac"))
    assert response.status_code == 302 and response["Location"] == url("settings", place)
    profile = BillingProfile.objects.get(place=place)
    assert (profile.iban, profile.payment_terms_days, str(profile.late_penalty_rate)) == (
        IBAN,
        45,
        "10.50",
    )
    assert InvoiceSequence.objects.get(place=place).prefix == "FAC"
    assert "The billing settings are saved." in page(team.get(url("settings", place)))


def test_french_visitors_type_a_decimal_comma_and_read_the_errors_in_french(team, place, media):
    response = team.post(url("settings", place), form_data(late_penalty_rate="10,50"))
    assert response.status_code == 302
    assert str(BillingProfile.objects.get(place=place).late_penalty_rate) == "10.50"

    response = team.post(url("settings", place), form_data(payment_terms_days="trente"))
    assert response.status_code == 422
    assert "Saisissez un nombre entier." in page(response)


def test_refused_values_are_shown_with_422_and_nothing_is_saved(team, place, media, english):
    before = state(place, media)
    response = team.post(
        url("settings", place),
        form_data(
            iban="FR7630006000011234567890188",
            vat_number="FR45732829320",
            payment_terms_days="90",
            logo=logos.png(),
        ),
    )
    assert response.status_code == 422
    text = page(response)
    assert "nothing was saved" in text
    assert "The IBAN FR7630006000011234567890188 is not valid" in text
    assert "for the SIREN 732829320 they are 44, not 45" in text
    assert "Payment terms are at most 60 days" in text
    assert state(place, media) == before


def test_a_form_that_does_not_parse_is_422(team, place, media, english):
    before = state(place, media)
    response = team.post(url("settings", place), form_data(payment_terms_days="trente"))
    assert response.status_code == 422
    assert state(place, media) == before


def test_a_refused_prefix_keeps_the_rest_unsaved_too(team, place, media, english):
    before = state(place, media)
    response = team.post(url("settings", place), form_data(invoice_prefix="F-2027"))
    assert response.status_code == 422
    assert "“F-2027” is not a prefix" in page(response)
    assert state(place, media) == before


def test_an_uploaded_png_is_streamed_to_the_team_and_printed_on_invoices_issued_afterwards(
    team, place, coordinator, customer, english
):
    before = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 1, 10))
    plain = team.get(url("invoice_pdf", place, before.pk)).content
    assert images_in(plain) == 0 and b"/Subtype /Image" not in plain
    assert team.get(url("settings_logo", place)).status_code == 404

    sent = logos.image_bytes("PNG")
    response = team.post(url("settings", place), form_data(logo=logos.upload(sent, "Mon logo.png")))
    assert response.status_code == 302
    shown = team.get(url("settings_logo", place))
    assert shown.status_code == 200 and shown["Content-Type"] == "image/png"
    assert shown.content == sent
    assert url("settings_logo", place) in page(team.get(url("settings", place)))

    after = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 1, 11))
    pdf = team.get(url("invoice_pdf", place, after.pk)).content
    assert images_in(pdf) == 1 and b"/Subtype /Image" in pdf
    assert len(pdf) > len(plain)


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (logos.two_megabytes, "The logo “big.png” weighs 2049 kB; a logo is at most 1024 kB."),
        (logos.text_as_png, "The logo “logo.png” is not a PNG or JPEG image"),
        (logos.svg, "The logo “logo.svg” is not a PNG or JPEG image"),
    ],
)
def test_a_file_that_is_not_a_small_png_or_jpeg_is_refused(
    team, place, media, english, make, message
):
    before = state(place, media)
    response = team.post(url("settings", place), form_data(logo=make()))
    assert response.status_code == 422
    assert message in page(response)
    assert state(place, media) == before


def test_the_logo_is_removed_with_the_checkbox(team, place, coordinator, english):
    services.update_billing_profile(actor=coordinator, place=place, logo=logos.png())
    assert "Remove the logo" in page(team.get(url("settings", place)))

    both = team.post(url("settings", place), form_data(logo=logos.png(), remove_logo="on"))
    assert both.status_code == 422
    assert "Either send a new logo or remove the current one, not both." in page(both)

    response = team.post(url("settings", place), form_data(remove_logo="on"))
    assert response.status_code == 302
    assert not BillingProfile.objects.get(place=place).logo
    assert team.get(url("settings_logo", place)).status_code == 404


def test_once_an_invoice_is_issued_the_prefix_is_shown_fixed_and_kept(
    team, place, coordinator, customer, english
):
    f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 1, 10))
    text = page(team.get(url("settings", place)))
    assert "the numbers already issued keep their series" in text
    assert 'name="invoice_prefix"' in text and "disabled" in text
    assert "F-000002" in text

    response = team.post(url("settings", place), form_data(invoice_prefix="FAC"))
    assert response.status_code == 302
    assert InvoiceSequence.objects.get(place=place).prefix == "F"
    assert BillingProfile.objects.get(place=place).iban == IBAN
