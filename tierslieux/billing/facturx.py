"""Factur-X XML (UN/CEFACT CII, EN 16931 profile) of an issued invoice or credit note (pure).

Built from an `InvoiceDoc` only, so the XML embedded in the PDF and the PDF's text say the same
thing. See docs/algorithms/facturx.md for the mapping to the EN 16931 business terms (BT-n).

Sign convention: EN 16931 states a credit note (type code 381) with positive amounts; the
type code carries the direction. `presented()` turns a credit note whose amounts come negative
into that form, and turns a negative unit price into a positive price with a negative quantity
(BR-27: an item's net price is never negative). The PDF uses the same presented document.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import Decimal
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _
from lxml import etree

from tierslieux.billing import tax
from tierslieux.billing.documents import InvoiceDoc, LineDoc, Party, TaxLineDoc
from tierslieux.core.formatting import money, number
from tierslieux.core.money import round_money

GUIDELINE = "urn:cen.eu:en16931:2017"
# BT-23, the French billing framework ("cadre de facturation"): S1, a services invoice to pay.
BUSINESS_PROCESS = "S1"
TYPE_CODES = {"invoice": "380", "credit_note": "381"}  # UNTDID 1001

RSM = "urn:un:unece:uncefact:data:standard:CrossIndustryInvoice:100"
RAM = "urn:un:unece:uncefact:data:standard:ReusableAggregateBusinessInformationEntity:100"
QDT = "urn:un:unece:uncefact:data:standard:QualifiedDataType:100"
UDT = "urn:un:unece:uncefact:data:standard:UnqualifiedDataType:100"
NSMAP = {"rsm": RSM, "ram": RAM, "qdt": QDT, "udt": UDT}

# UNTDID 4461 payment means.
SEPA_CREDIT_TRANSFER = "58"
SEPA_DIRECT_DEBIT = "59"
NOT_DEFINED = "1"

# ISO/IEC 6523 schemes used by French identifiers.
SIREN_SCHEME = "0002"
SIRET_SCHEME = "0009"


class InconsistentDocument(ValueError):
    """The document's totals do not add up: refuse to state them in a legal document."""


def presented(doc: InvoiceDoc) -> InvoiceDoc:
    """The document as the PDF and the XML state it: a credit note positive, prices positive."""
    sign = Decimal(-1) if doc.kind == "credit_note" and doc.total_gross < 0 else Decimal(1)
    lines = tuple(_presented_line(line, sign) for line in doc.lines)
    if sign == 1 and lines == doc.lines:
        return doc
    return dataclasses.replace(
        doc,
        lines=lines,
        taxes=tuple(
            dataclasses.replace(t, base=t.base * sign, tax=t.tax * sign) for t in doc.taxes
        ),
        total_net=doc.total_net * sign,
        total_tax=doc.total_tax * sign,
        total_gross=doc.total_gross * sign,
        amount_paid=doc.amount_paid * sign,
    )


def _presented_line(line: LineDoc, sign: Decimal) -> LineDoc:
    price_sign = Decimal(-1) if line.unit_price_net < 0 else Decimal(1)
    if sign == 1 and price_sign == 1:
        return line
    return dataclasses.replace(
        line,
        quantity=line.quantity * sign * price_sign,
        unit_price_net=line.unit_price_net * price_sign,
        net=line.net * sign,
    )


def check_arithmetic(doc: InvoiceDoc) -> None:
    """Refuse a document whose totals disagree (EN 16931 BR-CO-10, 13, 14, 15)."""
    lines_net = sum((line.net for line in doc.lines), Decimal("0"))
    bases = sum((t.base for t in doc.taxes), Decimal("0"))
    taxes = sum((t.tax for t in doc.taxes), Decimal("0"))
    problems = []
    if not doc.lines:
        problems.append("no lines")
    if lines_net != doc.total_net or bases != doc.total_net:
        problems.append(f"net {doc.total_net} != lines {lines_net} / bases {bases}")
    if taxes != doc.total_tax:
        problems.append(f"tax {doc.total_tax} != sum of rates {taxes}")
    if doc.total_net + doc.total_tax != doc.total_gross:
        problems.append(f"net + tax != gross {doc.total_gross}")
    if problems:
        raise InconsistentDocument(f"{doc.number}: " + "; ".join(problems))


def payment_means(doc: InvoiceDoc) -> str:
    """Direct debit when a mandate exists, else a transfer to the seller's IBAN, else undefined.

    A credit note states none: the seller owes the money, the seller's IBAN is no way to pay.
    """
    if doc.kind == "credit_note":
        return ""
    if doc.mandate_reference and doc.seller.sepa_creditor_id:
        return SEPA_DIRECT_DEBIT
    if doc.seller.iban:
        return SEPA_CREDIT_TRANSFER
    return NOT_DEFINED


def legal_notes(doc: InvoiceDoc) -> list[tuple[str, str]]:
    """The payment mentions of the Code de commerce (L441-9), as (UNTDID 4451 subject, text).

    Call under the document's language; the PDF prints the same sentences.
    """
    notes: list[tuple[str, str]] = []
    if doc.late_penalty_rate > 0:
        notes.append(
            (
                "PMD",
                _("Late-payment penalties: %(rate)s %% a year.")
                % {"rate": number(doc.late_penalty_rate.normalize())},
            )
        )
    if doc.fixed_recovery_indemnity:
        notes.append(
            (
                "PMT",
                _("Fixed indemnity for recovery costs in case of late payment: %(amount)s.")
                % {"amount": money(Decimal("40.00"))},  # fixed in euros by law
            )
        )
    if doc.buyer.is_business:
        notes.append(("AAB", _("No discount for early payment.")))
    return notes


def facturx_xml(doc: InvoiceDoc) -> bytes:
    """The CII XML of the document, EN 16931 profile, UTF-8 with an XML declaration."""
    if doc.kind not in TYPE_CODES:
        raise ValueError(f"unknown document kind {doc.kind!r}")
    check_arithmetic(doc)
    doc = presented(doc)
    with translation.override(doc.language):
        notes = [(None, note) for note in doc.notes] + list(legal_notes(doc))

    root = etree.Element(_q(RSM, "CrossIndustryInvoice"), nsmap=NSMAP)
    context = _sub(root, "rsm", "ExchangedDocumentContext")
    process = _sub(context, "ram", "BusinessProcessSpecifiedDocumentContextParameter")
    _sub(process, "ram", "ID", BUSINESS_PROCESS)
    guideline = _sub(context, "ram", "GuidelineSpecifiedDocumentContextParameter")
    _sub(guideline, "ram", "ID", GUIDELINE)

    header = _sub(root, "rsm", "ExchangedDocument")
    _sub(header, "ram", "ID", doc.number)  # BT-1
    _sub(header, "ram", "TypeCode", TYPE_CODES[doc.kind])  # BT-3
    _date(_sub(header, "ram", "IssueDateTime"), doc.issue_date)  # BT-2
    for subject, content in notes:  # BG-1
        note = _sub(header, "ram", "IncludedNote")
        _sub(note, "ram", "Content", content)
        if subject:
            _sub(note, "ram", "SubjectCode", subject)

    transaction = _sub(root, "rsm", "SupplyChainTradeTransaction")
    for line in doc.lines:
        _line(transaction, line, doc.currency)

    agreement = _sub(transaction, "ram", "ApplicableHeaderTradeAgreement")
    _party(agreement, "SellerTradeParty", doc.seller, seller=True)
    _party(agreement, "BuyerTradeParty", doc.buyer, seller=False)
    delivery = _sub(transaction, "ram", "ApplicableHeaderTradeDelivery")
    event = _sub(delivery, "ram", "ActualDeliverySupplyChainEvent")
    _date(_sub(event, "ram", "OccurrenceDateTime"), doc.service_end)  # BT-72
    _settlement(transaction, doc)

    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def _q(namespace: str, tag: str) -> str:
    return f"{{{namespace}}}{tag}"


def _sub(parent: Any, prefix: str, tag: str, text: str | None = None, **attrib: str) -> Any:
    element = etree.SubElement(parent, _q(NSMAP[prefix], tag), attrib)
    if text is not None:
        element.text = text
    return element


def _date(parent: Any, value: date, prefix: str = "udt") -> None:
    _sub(parent, prefix, "DateTimeString", value.strftime("%Y%m%d"), format="102")


def _amount(value: Decimal) -> str:
    return format(round_money(value), "f")


def _decimal(value: Decimal) -> str:
    return format(value, "f")


def _line(transaction: Any, line: LineDoc, currency: str) -> None:
    item = _sub(transaction, "ram", "IncludedSupplyChainTradeLineItem")  # BG-25
    _sub(_sub(item, "ram", "AssociatedDocumentLineDocument"), "ram", "LineID", str(line.position))
    _sub(_sub(item, "ram", "SpecifiedTradeProduct"), "ram", "Name", line.description)  # BT-153
    agreement = _sub(item, "ram", "SpecifiedLineTradeAgreement")
    price = _sub(agreement, "ram", "NetPriceProductTradePrice")
    _sub(price, "ram", "ChargeAmount", _decimal(line.unit_price_net))  # BT-146
    delivery = _sub(item, "ram", "SpecifiedLineTradeDelivery")
    _sub(delivery, "ram", "BilledQuantity", _decimal(line.quantity), unitCode=line.unit)
    settlement = _sub(item, "ram", "SpecifiedLineTradeSettlement")
    line_tax = _sub(settlement, "ram", "ApplicableTradeTax")
    _sub(line_tax, "ram", "TypeCode", "VAT")
    _sub(line_tax, "ram", "CategoryCode", tax.rule(line.tax_code).category)  # BT-151
    _sub(line_tax, "ram", "RateApplicablePercent", _decimal(line.tax_rate))  # BT-152
    summation = _sub(settlement, "ram", "SpecifiedTradeSettlementLineMonetarySummation")
    _sub(summation, "ram", "LineTotalAmount", _amount(line.net))  # BT-131


def _party(agreement: Any, tag: str, party: Party, *, seller: bool) -> None:
    element = _sub(agreement, "ram", tag)
    if seller and party.siret:
        _sub(element, "ram", "GlobalID", party.siret, schemeID=SIRET_SCHEME)  # BT-29
    _sub(element, "ram", "Name", party.name)  # BT-27 / BT-44
    if party.siren and (seller or party.is_business):
        legal = _sub(element, "ram", "SpecifiedLegalOrganization")
        _sub(legal, "ram", "ID", party.siren, schemeID=SIREN_SCHEME)  # BT-30 / BT-47
    address = _sub(element, "ram", "PostalTradeAddress")  # BG-5 / BG-8
    if party.postcode:
        _sub(address, "ram", "PostcodeCode", party.postcode)
    lines = [line.strip() for line in party.address.splitlines() if line.strip()]
    for name, text in zip(("LineOne", "LineTwo", "LineThree"), _at_most_three(lines), strict=False):
        _sub(address, "ram", name, text)
    if party.city:
        _sub(address, "ram", "CityName", party.city)
    _sub(address, "ram", "CountryID", party.country)
    if party.email:
        uri = _sub(element, "ram", "URIUniversalCommunication")  # BT-34 / BT-49
        _sub(uri, "ram", "URIID", party.email, schemeID="EM")
    if party.vat_number:
        registration = _sub(element, "ram", "SpecifiedTaxRegistration")  # BT-31 / BT-48
        _sub(registration, "ram", "ID", party.vat_number, schemeID="VA")
    elif seller and party.siren:
        # A seller without a VAT number (franchise, exempt association) still states its
        # tax registration (BT-32, BR-E-02); in France a legal entity's tax number is its SIREN.
        registration = _sub(element, "ram", "SpecifiedTaxRegistration")
        _sub(registration, "ram", "ID", party.siren, schemeID="FC")


def _at_most_three(lines: list[str]) -> list[str]:
    return lines if len(lines) <= 3 else [*lines[:2], ", ".join(lines[2:])]


def _settlement(transaction: Any, doc: InvoiceDoc) -> None:
    settlement = _sub(transaction, "ram", "ApplicableHeaderTradeSettlement")
    means_code = payment_means(doc)
    if means_code == SEPA_DIRECT_DEBIT:
        _sub(settlement, "ram", "CreditorReferenceID", doc.seller.sepa_creditor_id)  # BT-90
    if doc.kind == "invoice":
        _sub(settlement, "ram", "PaymentReference", doc.number)  # BT-83
    _sub(settlement, "ram", "InvoiceCurrencyCode", doc.currency)  # BT-5

    if means_code:
        _payment_means(settlement, doc, means_code)

    for tax_line in doc.taxes:
        _tax_breakdown(settlement, tax_line)

    period = _sub(settlement, "ram", "BillingSpecifiedPeriod")  # BG-14
    _date(_sub(period, "ram", "StartDateTime"), doc.service_start)  # BT-73
    _date(_sub(period, "ram", "EndDateTime"), doc.service_end)  # BT-74

    terms = _sub(settlement, "ram", "SpecifiedTradePaymentTerms")
    if doc.payment_terms:
        _sub(terms, "ram", "Description", doc.payment_terms)  # BT-20
    _date(_sub(terms, "ram", "DueDateDateTime"), doc.due_date)  # BT-9
    if means_code == SEPA_DIRECT_DEBIT:
        _sub(terms, "ram", "DirectDebitMandateID", doc.mandate_reference)  # BT-89

    sums = _sub(settlement, "ram", "SpecifiedTradeSettlementHeaderMonetarySummation")  # BG-22
    _sub(sums, "ram", "LineTotalAmount", _amount(sum((li.net for li in doc.lines), Decimal(0))))
    _sub(sums, "ram", "TaxBasisTotalAmount", _amount(doc.total_net))  # BT-109
    _sub(sums, "ram", "TaxTotalAmount", _amount(doc.total_tax), currencyID=doc.currency)  # BT-110
    _sub(sums, "ram", "GrandTotalAmount", _amount(doc.total_gross))  # BT-112
    if doc.amount_paid:
        _sub(sums, "ram", "TotalPrepaidAmount", _amount(doc.amount_paid))  # BT-113
    _sub(sums, "ram", "DuePayableAmount", _amount(doc.amount_due))  # BT-115

    if doc.kind == "credit_note" and doc.corrects_number:
        referenced = _sub(settlement, "ram", "InvoiceReferencedDocument")  # BG-3
        _sub(referenced, "ram", "IssuerAssignedID", doc.corrects_number)  # BT-25
        if doc.corrects_issue_date:
            issued = _sub(referenced, "ram", "FormattedIssueDateTime")  # BT-26
            _date(issued, doc.corrects_issue_date, prefix="qdt")


def _payment_means(settlement: Any, doc: InvoiceDoc, code: str) -> None:
    means = _sub(settlement, "ram", "SpecifiedTradeSettlementPaymentMeans")  # BG-16
    _sub(means, "ram", "TypeCode", code)  # BT-81
    if code == SEPA_DIRECT_DEBIT and doc.buyer.iban:
        debtor = _sub(means, "ram", "PayerPartyDebtorFinancialAccount")
        _sub(debtor, "ram", "IBANID", doc.buyer.iban)  # BT-91
    if code == SEPA_CREDIT_TRANSFER:
        creditor = _sub(means, "ram", "PayeePartyCreditorFinancialAccount")
        _sub(creditor, "ram", "IBANID", doc.seller.iban)  # BT-84
        if doc.seller.bic:
            institution = _sub(means, "ram", "PayeeSpecifiedCreditorFinancialInstitution")
            _sub(institution, "ram", "BICID", doc.seller.bic)  # BT-86


def _tax_breakdown(settlement: Any, tax_line: TaxLineDoc) -> None:
    breakdown = _sub(settlement, "ram", "ApplicableTradeTax")  # BG-23
    _sub(breakdown, "ram", "CalculatedAmount", _amount(tax_line.tax))  # BT-117
    _sub(breakdown, "ram", "TypeCode", "VAT")
    exempt = tax_line.category not in ("S", "Z")
    if exempt and tax_line.exemption_mention:
        _sub(breakdown, "ram", "ExemptionReason", tax_line.exemption_mention)  # BT-120
    _sub(breakdown, "ram", "BasisAmount", _amount(tax_line.base))  # BT-116
    _sub(breakdown, "ram", "CategoryCode", tax_line.category)  # BT-118
    if exempt and tax_line.exemption_code:
        _sub(breakdown, "ram", "ExemptionReasonCode", tax_line.exemption_code)  # BT-121
    _sub(breakdown, "ram", "RateApplicablePercent", _decimal(tax_line.rate))  # BT-119
