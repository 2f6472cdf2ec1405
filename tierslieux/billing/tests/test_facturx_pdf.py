"""The invoice documents: Factur-X XML valid against the EN 16931 schema, a PDF that says
what French law asks, with the XML embedded. Pure: InvoiceDocs built by hand."""

from datetime import date
from decimal import Decimal as D
from io import BytesIO

import facturx
import pytest
from lxml import etree
from pypdf import PdfReader

from tierslieux.billing.documents import InvoiceDoc, LineDoc, Party, TaxLineDoc
from tierslieux.billing.facturx import facturx_xml
from tierslieux.billing.pdf import invoice_pdf

pytestmark = pytest.mark.pure
NS = {
    "rsm": "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100",
    "ram": "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100",
    "udt": "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100",
}
SELLER = Party(
    name="Micro-centre pilote",
    address="8 rue de la Filature",
    postcode="24000",
    city="Périgueux",
    siren="732829320",
    siret="73282932000074",
    vat_number="FR40732829320",
    iban="FR7630006000011234567890189",
)
COMPANY = Party(
    name="SCOP Bois & Co",
    address="2 quai des Chartrons",
    postcode="33000",
    city="Bordeaux",
    siren="443061841",
    is_business=True,
)
ASSOCIATION = Party(
    name="Les Petits Débrouillards", address="1 place du Marché", postcode="24000", city="Périgueux"
)


def line(position, description, quantity, price, code, rate):
    return LineDoc(
        position=position,
        description=description,
        quantity=D(quantity),
        unit="C62",
        unit_price_net=D(price),
        tax_code=code,
        tax_rate=D(rate),
        net=(D(quantity) * D(price)).quantize(D("0.01")),
    )


def mixed_invoice() -> InvoiceDoc:
    return InvoiceDoc(
        kind="invoice",
        number="F-000042",
        issue_date=date(2027, 2, 28),
        service_start=date(2027, 2, 1),
        service_end=date(2027, 2, 28),
        due_date=date(2027, 3, 30),
        seller=SELLER,
        buyer=COMPANY,
        lines=(
            line(1, "Location salle polyvalente (journée)", "2", "250.00", "vat_20", "20"),
            line(2, "Repas du midi", "10", "12.50", "vat_5_5", "5.5"),
        ),
        taxes=(
            TaxLineDoc("vat_20", D("20"), "S", "", "", D("500.00"), D("100.00")),
            TaxLineDoc("vat_5_5", D("5.5"), "S", "", "", D("125.00"), D("6.88")),
        ),
        total_net=D("625.00"),
        total_tax=D("106.88"),
        total_gross=D("731.88"),
        payment_terms="Paiement à 30 jours",
        late_penalty_rate=D("10"),
        fixed_recovery_indemnity=True,
    )


def franchise_invoice() -> InvoiceDoc:
    mention = "TVA non applicable, art. 293 B du CGI"
    return InvoiceDoc(
        kind="invoice",
        number="F-000043",
        issue_date=date(2027, 3, 1),
        service_start=date(2027, 3, 1),
        service_end=date(2027, 3, 1),
        due_date=date(2027, 3, 31),
        seller=SELLER,
        buyer=ASSOCIATION,
        lines=(line(1, "Adhésion annuelle", "1", "80.00", "franchise_293b", "0"),),
        taxes=(
            TaxLineDoc(
                "franchise_293b", D("0"), "E", "VATEX-FR-FRANCHISE", mention, D("80.00"), D("0.00")
            ),
        ),
        total_net=D("80.00"),
        total_tax=D("0.00"),
        total_gross=D("80.00"),
        late_penalty_rate=D("10"),
    )


def xpath(xml: bytes, path: str) -> list[str]:
    return [str(v) for v in etree.fromstring(xml).xpath(path, namespaces=NS)]


@pytest.mark.parametrize("doc", [mixed_invoice(), franchise_invoice()])
def test_the_xml_is_valid_against_the_en_16931_schema(doc):
    xml = facturx_xml(doc)
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")


def test_the_xml_carries_the_number_totals_taxes_and_due_date():
    xml = facturx_xml(mixed_invoice())
    assert xpath(xml, "//rsm:ExchangedDocument/ram:ID/text()") == ["F-000042"]
    assert xpath(xml, "//ram:GrandTotalAmount/text()") == ["731.88"]
    assert xpath(xml, "//ram:TaxTotalAmount/text()") == ["106.88"]
    assert sorted(xpath(xml, "//ram:ApplicableTradeTax/ram:CalculatedAmount/text()")) == [
        "100.00",
        "6.88",
    ]
    assert xpath(xml, "//ram:DueDateDateTime/udt:DateTimeString/text()") == ["20270330"]


def test_an_exempt_invoice_gives_its_reason_code_and_mention():
    xml = facturx_xml(franchise_invoice())
    assert xpath(xml, "//ram:ExemptionReasonCode/text()") == ["VATEX-FR-FRANCHISE"]
    assert "293 B" in " ".join(xpath(xml, "//ram:ExemptionReason/text()"))


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_the_pdf_holds_the_number_totals_mentions_and_the_embedded_xml():
    doc = mixed_invoice()
    pdf = invoice_pdf(doc)
    text = pdf_text(pdf)
    assert "F-000042" in text
    assert "731,88" in text and "106,88" in text  # French amounts
    assert "40" in text and "indemnité forfaitaire" in text.lower()
    assert "443061841" in text or "443 061 841" in text  # the business customer's SIREN
    _name, embedded = facturx.get_facturx_xml_from_pdf(BytesIO(pdf))
    assert embedded == facturx_xml(doc)


def test_a_private_customer_gets_no_recovery_indemnity_and_the_exemption_is_stated():
    text = pdf_text(invoice_pdf(franchise_invoice()))
    assert "F-000043" in text
    assert "indemnité forfaitaire" not in text.lower()
    assert "TVA non applicable, art. 293 B du CGI" in " ".join(text.split())
