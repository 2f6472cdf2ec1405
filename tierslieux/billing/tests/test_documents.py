"""`invoice_document`: an issued invoice as the PDF, Factur-X and exports see it, read from
what was frozen at issue."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import translation

from tierslieux.billing import services
from tierslieux.billing.documents import LineDoc, Party, TaxLineDoc
from tierslieux.billing.models import BillingProfile, Customer
from tierslieux.billing.tests import factories as f

D = Decimal
DAY = date(2027, 3, 1)


@pytest.fixture
def place(place):
    """The root persona in Narbonne, registered for VAT, with bank details and its terms."""
    p = place
    p.postcode, p.commune = "11100", "Narbonne"
    p.save(update_fields=["postcode", "commune"])
    BillingProfile.objects.create(
        place=p,
        vat_number="FR40732829320",
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        sepa_creditor_id="FR12ZZZ123456",
        payment_terms_days=15,
        late_penalty_rate=D("10.00"),
    )
    return p


def test_an_issued_invoice_maps_to_its_document_from_the_snapshots(place, coordinator):
    company = f.customer(
        place, name="SAS Bois & Co", kind=Customer.Kind.COMPANY, vat_number="FR12552100554"
    )
    invoice = f.issued(
        coordinator,
        company,
        [
            ("Location salle, demi-journée", "2", "45.00", "vat_20"),
            ("Adhésion", "1", "20", "franchise_293b"),
        ],
        issue_date=DAY,
        service_start=date(2027, 2, 1),
        service_end=date(2027, 2, 28),
    )
    Customer.objects.filter(pk=company.pk).update(name="Nouveau nom")
    place.name = "Autre nom"
    place.save()

    doc = services.invoice_document(invoice)

    assert doc.seller == Party(
        name="La Fabrique",
        address="2 rue de l'Ancien Courrier",
        postcode="11100",
        city="Narbonne",
        country="FR",
        siren="732829320",
        siret="73282932000074",
        vat_number="FR40732829320",
        email="contact@example.org",
        is_business=True,
        iban="FR7630006000011234567890189",
        bic="AGRIFRPP",
        sepa_creditor_id="FR12ZZZ123456",
    )
    assert (doc.buyer.name, doc.buyer.siren, doc.buyer.is_business) == (
        "SAS Bois & Co",
        "552100554",
        True,
    )
    assert (doc.kind, doc.number, doc.issue_date, doc.due_date) == (
        "invoice",
        "F-000001",
        DAY,
        DAY + timedelta(days=15),
    )
    assert (doc.service_start, doc.service_end) == (date(2027, 2, 1), date(2027, 2, 28))
    assert doc.lines[0] == LineDoc(
        1,
        "Location salle, demi-journée",
        D("2.000"),
        "C62",
        D("45.00"),
        "vat_20",
        D("20.00"),
        D("90.00"),
    )
    assert doc.taxes == (
        TaxLineDoc("vat_20", D("20.00"), "S", "", "", D("90.00"), D("18.00")),
        TaxLineDoc(
            "franchise_293b",
            D("0.00"),
            "E",
            "VATEX-FR-FRANCHISE",
            "TVA non applicable, art. 293 B du CGI",
            D("20.00"),
            D("0.00"),
        ),
    )
    assert (doc.total_net, doc.total_tax, doc.total_gross, doc.amount_paid) == (
        D("110.00"),
        D("18.00"),
        D("128.00"),
        0,
    )
    assert doc.late_penalty_rate == D("10.00")
    assert doc.fixed_recovery_indemnity is True
    assert doc.payment_terms == "Payable sous 15 jours à compter de la date de facture."
    assert doc.language == "fr"


def test_a_credit_note_names_the_invoice_it_corrects_and_an_individual_owes_no_indemnity(
    place, coordinator
):
    person = f.customer(place, name="Camille Martin", language="en")
    invoice = f.issued(coordinator, person, issue_date=DAY)

    note = services.invoice_document(
        services.create_credit_note(actor=coordinator, invoice=invoice, issue_date=DAY)
    )

    assert (note.kind, note.number, note.corrects_number) == ("credit_note", "F-000002", "F-000001")
    assert note.corrects_issue_date == DAY
    assert note.customer_account == f"411{person.pk:05d}"
    assert note.total_gross == D("-24.00")
    assert note.due_date == DAY
    assert note.fixed_recovery_indemnity is False
    assert note.language == "en"
    assert services.invoice_document(invoice).fixed_recovery_indemnity is False


def test_a_draft_maps_to_a_preview_without_a_number(place, coordinator):
    draft = f.draft(f.customer(place), [("Café", "3", "1.20", "vat_10")])

    doc = services.invoice_document(draft)

    assert doc.number == ""
    assert (doc.total_net, doc.total_tax, doc.total_gross) == (D("3.60"), D("0.36"), D("3.96"))
    assert doc.seller.vat_number == "FR40732829320"
    assert doc.due_date - doc.issue_date == timedelta(days=15)


def test_payment_terms_speak_the_customer_s_language(place, coordinator):
    english = f.customer(place, language="en")
    with translation.override("fr"):
        invoice = f.issued(coordinator, english, issue_date=DAY)

    assert invoice.payment_terms == "Payable within 15 days of the invoice date."


def test_a_direct_debit_customer_s_bank_details_are_copied_only_under_a_mandate(place, coordinator):
    plain = f.customer(place, iban="FR7612345000010000000000000")
    debtor = f.customer(
        place,
        iban="FR7612345000010000000000000",
        bic="CCBPFRPP",
        sepa_mandate_reference="RUM-1",
        sepa_mandate_date=DAY,
    )

    assert f.issued(coordinator, plain, issue_date=DAY).buyer["iban"] == ""
    doc = services.invoice_document(f.issued(coordinator, debtor, issue_date=DAY))
    assert (doc.buyer.iban, doc.mandate_reference) == ("FR7612345000010000000000000", "RUM-1")
