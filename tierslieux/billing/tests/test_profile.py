"""The place's billing settings through the services: what is refused (with the reason, and
nothing written), what is kept, the logo on the PDFs, the prefix fixed once numbers exist."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from tierslieux.billing import pdf, queries, services
from tierslieux.billing.models import BillingProfile, InvoiceSequence
from tierslieux.billing.services.profile import fr_vat_key
from tierslieux.billing.tests import factories as f
from tierslieux.billing.tests import logos
from tierslieux.core.models import AuditEntry
from tierslieux.places.tests import factories as pf

pytestmark = pytest.mark.usefixtures("english")  # refusals read in English


IBAN = "FR7630006000011234567890189"
ICS = "FR72ZZZ123456"
VAT = "FR44732829320"  # the SIREN of factories.SELLER_SIRET, 732829320


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def state(place):
    return (
        list(BillingProfile.objects.filter(place=place).values()),
        list(InvoiceSequence.objects.filter(place=place).values()),
        AuditEntry.objects.count(),
    )


def refused(coordinator, place, media=None, **fields) -> dict[str, list[str]]:
    before = state(place)
    files = sorted(media.rglob("*")) if media and media.exists() else []
    with pytest.raises(ValidationError) as error:
        services.update_billing_profile(actor=coordinator, place=place, **fields)
    assert state(place) == before, "a refusal wrote something"
    if media is not None:
        assert (sorted(media.rglob("*")) if media.exists() else []) == files
    return error.value.message_dict


# --- pure checks ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("siren", "key"), [("303265045", "40"), ("732829320", "44"), ("552100554", "96")]
)
def test_the_french_vat_key_is_12_plus_3_times_the_siren_mod_97_mod_97(siren, key):
    assert fr_vat_key(siren) == key


# --- the profile ----------------------------------------------------------------------------


def test_the_coordinator_creates_the_profile_with_every_field_normalised(place, coordinator):
    profile = services.update_billing_profile(
        actor=coordinator,
        place=place,
        vat_number="fr 44 732 829 320",
        iban="fr76 3000 6000 0112 3456 7890 189",
        bic="bnpa frpp xxx",
        sepa_creditor_id="fr72 zzz 123456",
        payment_terms_days="45",
        late_penalty_rate="10.5",
    )

    profile.refresh_from_db()
    assert (profile.vat_number, profile.iban, profile.bic, profile.sepa_creditor_id) == (
        VAT,
        IBAN,
        "BNPAFRPPXXX",
        ICS,
    )
    assert (profile.payment_terms_days, profile.late_penalty_rate) == (45, Decimal("10.50"))
    entry = AuditEntry.objects.get(action="billing.profile.update")
    assert entry.place_id == place.pk and entry.changes["iban"] == IBAN


def test_only_the_given_fields_change_and_an_unchanged_save_leaves_no_trace(place, coordinator):
    services.update_billing_profile(actor=coordinator, place=place, iban=IBAN)
    profile = services.update_billing_profile(actor=coordinator, place=place, payment_terms_days=0)
    assert profile.iban == IBAN and profile.payment_terms_days == 0
    assert AuditEntry.objects.filter(action="billing.profile.update").count() == 2

    services.update_billing_profile(actor=coordinator, place=place, iban=IBAN, payment_terms_days=0)
    assert AuditEntry.objects.filter(action="billing.profile.update").count() == 2


def test_empty_values_clear_the_optional_details(place, coordinator):
    services.update_billing_profile(actor=coordinator, place=place, vat_number=VAT, iban=IBAN)
    profile = services.update_billing_profile(
        actor=coordinator, place=place, vat_number="", iban=""
    )
    assert (profile.vat_number, profile.iban) == ("", "")


def test_the_vat_number_of_a_french_place_must_have_the_fr_shape(place, coordinator):
    errors = refused(coordinator, place, vat_number="44732829320")
    assert errors["vat_number"] == [
        "“44732829320” is not a French VAT number: FR, 2 check digits and the 9-digit "
        "SIREN, e.g. FR40303265045."
    ]


def test_a_vat_number_with_a_wrong_key_is_refused_with_the_right_key(place, coordinator):
    errors = refused(coordinator, place, vat_number="FR45732829320")
    assert errors["vat_number"] == [
        "The check digits of the VAT number FR45732829320 are wrong: for the SIREN 732829320 "
        "they are 44, not 45."
    ]


def test_a_vat_number_of_another_siren_is_refused_naming_both(place, coordinator):
    errors = refused(coordinator, place, vat_number="FR40303265045")  # valid, but not this place's
    assert errors["vat_number"] == [
        "The VAT number FR40303265045 is that of the SIREN 303265045, but the place's SIRET "
        "73282932000074 gives the SIREN 732829320."
    ]


def test_without_a_siret_a_well_formed_french_vat_number_is_kept():
    bare = f.place(siret="")
    coordinator = f.coordinator(bare)
    profile = services.update_billing_profile(
        actor=coordinator, place=bare, vat_number="FR40303265045"
    )
    assert profile.vat_number == "FR40303265045"


def test_a_place_outside_france_checks_the_general_shape_only():
    belgian = f.place(country="BE", postcode="1000", commune="Bruxelles")
    coordinator = f.coordinator(belgian)
    profile = services.update_billing_profile(
        actor=coordinator, place=belgian, vat_number="BE 0123.456.789"
    )
    assert profile.vat_number == "BE0123456789"
    errors = refused(coordinator, belgian, vat_number="0123456789")
    assert errors["vat_number"] == [
        "“0123456789” is not a VAT number: two letters of the country, then 2 to 13 letters "
        "or digits."
    ]


def test_an_iban_failing_its_mod_97_check_is_refused(place, coordinator):
    errors = refused(coordinator, place, iban="FR7630006000011234567890188")
    assert errors["iban"] == [
        "The IBAN FR7630006000011234567890188 is not valid: wrong length for its country or "
        "its check digits do not match (ISO 13616); copy it again from the bank's RIB."
    ]
    assert "iban" in refused(coordinator, place, iban="FR76300060000112345678901")  # too short


def test_a_bad_creditor_identifier_or_bic_is_refused(place, coordinator):
    errors = refused(coordinator, place, sepa_creditor_id="FR12ZZZ123456", bic="BNP")
    assert errors["sepa_creditor_id"] == [
        "The SEPA creditor identifier FR12ZZZ123456 is not valid: its check digits do not "
        "match (it reads like FR12ZZZ123456, as given by the bank)."
    ]
    assert errors["bic"] == ["“BNP” is not a BIC: 8 or 11 letters and digits, e.g. BNPAFRPPXXX."]


@pytest.mark.parametrize(
    ("days", "message"),
    [
        (
            61,
            "Payment terms are at most 60 days after the invoice date under French law "
            "(art. L441-10 of the Code de commerce), not 61.",
        ),
        (-1, "Payment terms cannot be negative (-1 days)."),
        ("soon", "Payment terms are a whole number of days, not “soon”."),
    ],
)
def test_payment_terms_are_0_to_60_days(place, coordinator, days, message):
    assert refused(coordinator, place, payment_terms_days=days)["payment_terms_days"] == [message]


@pytest.mark.parametrize("days", [0, 60])
def test_payment_terms_bounds_are_accepted(place, coordinator, days):
    profile = services.update_billing_profile(
        actor=coordinator, place=place, payment_terms_days=days
    )
    assert profile.payment_terms_days == days


@pytest.mark.parametrize(
    ("rate", "message"),
    [
        ("-1", "The late-payment penalty rate cannot be negative (-1 %)."),
        (
            "12.155",
            "The late-payment penalty rate is a percentage below 1000 with at most 2 decimals, "
            "not 12.155.",
        ),
        ("beaucoup", "The late-payment penalty rate is not a number: “beaucoup”."),
    ],
)
def test_the_penalty_rate_is_a_non_negative_percentage(place, coordinator, rate, message):
    assert refused(coordinator, place, late_penalty_rate=rate)["late_penalty_rate"] == [message]


def test_every_refusal_is_given_at_once_and_nothing_is_kept(place, coordinator):
    services.update_billing_profile(actor=coordinator, place=place, iban=IBAN)
    errors = refused(
        coordinator,
        place,
        vat_number="FR00732829320",
        iban="FR00",
        payment_terms_days=90,
        bic="BNPAFRPP",  # valid: still not saved, since the rest is refused
    )
    assert set(errors) == {"vat_number", "iban", "payment_terms_days"}
    assert BillingProfile.objects.get(place=place).bic == ""


def test_an_unknown_field_is_a_programming_error(place, coordinator):
    with pytest.raises(TypeError):
        services.update_billing_profile(actor=coordinator, place=place, next_number=1)


@pytest.mark.parametrize("persona", ["staff", "member", "outsider", "other_coordinator"])
def test_only_the_places_billing_team_changes_the_settings(place, persona):
    user = {
        "staff": lambda: pf.staff(place),
        "member": lambda: pf.member(place),
        "outsider": pf.user,
        "other_coordinator": lambda: pf.coordinator(f.place()),
    }[persona]()
    before = state(place)
    with pytest.raises(PermissionDenied):
        services.update_billing_profile(actor=user, place=place, iban=IBAN)
    with pytest.raises(PermissionDenied):
        services.set_invoice_prefix(actor=user, place=place, prefix="FAC")
    assert state(place) == before


# --- the logo -------------------------------------------------------------------------------


@pytest.mark.parametrize(("make", "suffix"), [(logos.png, ".png"), (logos.jpeg, ".jpg")])
def test_a_png_or_jpeg_logo_is_stored_under_media_root(place, coordinator, media, make, suffix):
    profile = services.update_billing_profile(actor=coordinator, place=place, logo=make())
    assert profile.logo.name.startswith("logos/") and profile.logo.name.endswith(suffix)
    stored = Path(profile.logo.path)
    assert stored.is_file() and media in stored.parents
    entry = AuditEntry.objects.get(action="billing.profile.update")
    assert entry.changes == {"logo": profile.logo.name}


def test_the_logos_extension_follows_its_content_not_its_name(place, coordinator):
    profile = services.update_billing_profile(
        actor=coordinator, place=place, logo=logos.upload(logos.image_bytes("JPEG"), "photo.png")
    )
    assert profile.logo.name.endswith(".jpg")


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (
            logos.two_megabytes,
            "The logo “big.png” weighs 2049 kB; a logo is at most 1024 kB.",
        ),
        (
            logos.text_as_png,
            "The logo “logo.png” is not a PNG or JPEG image (whatever its name says): export "
            "it as PNG or JPEG.",
        ),
        (
            logos.gif,
            "The logo “logo.gif” is not a PNG or JPEG image (whatever its name says): export "
            "it as PNG or JPEG.",
        ),
        (
            logos.svg,
            "The logo “logo.svg” is not a PNG or JPEG image (whatever its name says): export "
            "it as PNG or JPEG.",
        ),
        (
            logos.truncated_png,
            "The logo “cut.png” is a damaged image: export it again as PNG or JPEG.",
        ),
        (
            logos.truncated_jpeg,
            "The logo “cut.jpg” is a damaged image: export it again as PNG or JPEG.",
        ),
        (
            lambda: logos.png(size=(4001, 10)),
            "The logo “logo.png” is 4001 × 10 pixels; a logo is at most 4000 pixels a side.",
        ),
    ],
)
def test_a_logo_that_is_not_a_small_png_or_jpeg_is_refused(
    place, coordinator, media, make, message
):
    services.update_billing_profile(actor=coordinator, place=place, logo=logos.png("old.png"))
    assert refused(coordinator, place, media, logo=make(), iban=IBAN)["logo"] == [message]


def test_a_new_logo_replaces_the_old_file_once_committed(
    place, coordinator, media, django_capture_on_commit_callbacks
):
    first = services.update_billing_profile(actor=coordinator, place=place, logo=logos.png())
    old = Path(first.logo.path)
    with django_capture_on_commit_callbacks(execute=True):
        second = services.update_billing_profile(actor=coordinator, place=place, logo=logos.jpeg())
    assert Path(second.logo.path).is_file() and not old.exists()

    with django_capture_on_commit_callbacks(execute=True):
        third = services.update_billing_profile(actor=coordinator, place=place, logo=None)
    assert not third.logo and not Path(second.logo.path).exists()
    assert BillingProfile.objects.get(place=place).logo.name == ""
    assert list((media / "logos").iterdir()) == []


def test_removing_no_logo_changes_nothing(place, coordinator):
    services.update_billing_profile(actor=coordinator, place=place, logo=None)
    assert not AuditEntry.objects.filter(action="billing.profile.update").exists()


# --- the logo on the documents ----------------------------------------------------------------


def test_the_documents_carry_the_logos_file_and_only_issued_ones_pay_one_query(place, coordinator):
    customer = f.customer(place)
    invoice = f.issued(coordinator, customer, issue_date=date(2027, 1, 4))
    draft = f.draft(customer)
    assert queries.invoice_document(invoice).logo_path == ""

    profile = services.update_billing_profile(actor=coordinator, place=place, logo=logos.png())
    assert queries.invoice_document(invoice).logo_path == profile.logo.path
    assert queries.invoice_document(draft).logo_path == profile.logo.path
    assert queries.invoice_document(invoice, logo=False).logo_path == ""

    def queries_of(target, **options):
        target = type(target).objects.get(pk=target.pk)
        with CaptureQueriesContext(connection) as captured:
            queries.invoice_document(target, **options)
        return len(captured)

    assert queries_of(invoice) == queries_of(invoice, logo=False) + 1
    assert queries_of(draft) == queries_of(draft, logo=False)


# --- the prefix -------------------------------------------------------------------------------


def test_the_prefix_changes_before_the_first_number(place, coordinator):
    sequence = services.set_invoice_prefix(actor=coordinator, place=place, prefix=" fac ")
    assert sequence.prefix == "FAC"
    entry = AuditEntry.objects.get(action="billing.sequence.prefix")
    assert entry.changes == {"prefix": "FAC"}
    invoice = f.issued(coordinator, f.customer(place), issue_date=date(2027, 1, 4))
    assert invoice.number == "FAC-000001"


@pytest.mark.parametrize("prefix", ["", "F-", "TROPLONGPREFIX", "É"])
def test_a_prefix_is_1_to_10_capital_letters_or_digits(place, coordinator, prefix):
    before = state(place)
    with pytest.raises(ValidationError) as error:
        services.set_invoice_prefix(actor=coordinator, place=place, prefix=prefix)
    assert error.value.messages == [
        f"“{prefix}” is not a prefix: 1 to 10 capital letters or digits, e.g. F or FAC."
    ]
    assert state(place) == before


def test_the_prefix_is_fixed_once_a_number_is_issued(place, coordinator):
    invoice = f.issued(coordinator, f.customer(place), issue_date=date(2027, 1, 4))
    before = state(place)
    with pytest.raises(ValidationError) as error:
        services.set_invoice_prefix(actor=coordinator, place=place, prefix="FAC")
    assert error.value.messages == [
        f"The prefix stays F: numbers have been issued (the last is {invoice.number}) and the "
        "numbers already issued keep their series, without a gap."
    ]
    assert error.value.code == "prefix_locked"
    assert state(place) == before
    assert queries.numbers_issued(place)


def test_a_logo_file_lost_from_the_disk_leaves_the_pdf_without_it(place, coordinator):
    invoice = f.issued(coordinator, f.customer(place), issue_date=date(2027, 1, 4))
    profile = services.update_billing_profile(actor=coordinator, place=place, logo=logos.png())
    Path(profile.logo.path).unlink()
    content = pdf.invoice_pdf(queries.invoice_document(invoice))
    assert content.startswith(b"%PDF") and b"/Subtype /Image" not in content


def test_a_decompression_bomb_is_refused_before_it_decodes(place, coordinator, media):
    bomb = io.BytesIO()
    Image.new("1", (10_000, 10_000)).save(bomb, format="PNG")  # 100 Mpx in a few kB
    errors = refused(coordinator, place, media, logo=logos.upload(bomb.getvalue(), "bomb.png"))
    assert errors["logo"] == ["The logo “bomb.png” has far too many pixels: at most 4000 a side."]
