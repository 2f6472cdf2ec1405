"""SEPA direct debits (pain.008) over hand-built parties: IBAN and creditor-id checks, the
file's counts and sums, its schema. Pure: no database."""

from __future__ import annotations

import dataclasses
import importlib.util
from dataclasses import replace
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from lxml import etree

from tierslieux.billing.documents import Party
from tierslieux.billing.exports import (
    DirectDebit,
    InvalidIBAN,
    InvalidSepaData,
    direct_debit_xml,
    iban_is_valid,
)
from tierslieux.billing.exports.sepa import creditor_id_is_valid, mod97_ok, sepa_text
from tierslieux.billing.tests.parties import COMPANY, PERSON, SELLER

D = Decimal
pytestmark = pytest.mark.pure


@pytest.fixture(autouse=True)
def _english():
    """Sheet headers and SEPA errors are translated; read them in their English source."""
    with translation.override("en"):
        yield


# SEPA


def debit(number: str, party: Party, value: str, sequence: str = "RCUR") -> DirectDebit:
    return DirectDebit(number, D(value), party, f"RUM-{number}", date(2024, 9, 1), sequence)


DEBITS = (
    debit("F2025-0001", COMPANY, "310.55"),
    debit("F2025-0004", replace(PERSON, iban="FR7630006000011234567890189"), "45.00", "FRST"),
    debit("F2025-0005", replace(PERSON, name="Zoé", iban="BE68539007547034"), "12.50"),
)
NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}


def sepa_document() -> etree._Element:
    data = direct_debit_xml(
        SELLER,
        DEBITS,
        collection_date=date(2025, 4, 5),
        message_id="LFC-2025-04",
        created_at=datetime(2025, 3, 31, 9, 0, tzinfo=UTC),
    )
    assert data.startswith(b"<?xml")
    return etree.fromstring(data)


def test_the_iso_13616_check_accepts_real_ibans_and_refuses_a_changed_digit():
    assert mod97_ok("3214282912345698765432161182")  # GB82WEST12345698765432 rearranged
    for good in ("FR1420041010050500013M02606", "de89 3704 0044 0532 0130 00", "BE68539007547034"):
        assert iban_is_valid(good)
    changed, short, unknown = "FR1420041010050500013M02607", "DE8937040044053201300", "XX8937040"
    for bad in (changed, short, unknown + "0440532013000", "FR14"):
        assert not iban_is_valid(bad)


def test_the_creditor_identifier_is_checked_like_an_iban_without_its_business_code():
    assert creditor_id_is_valid("DE98ZZZ09999999999")
    assert creditor_id_is_valid("FR72ZZZ123456")
    assert not creditor_id_is_valid("FR73ZZZ123456")


def test_the_direct_debit_file_counts_its_transactions_and_sums_them():
    doc = sepa_document()
    assert doc.xpath("string(//p:GrpHdr/p:NbOfTxs)", namespaces=NS) == "3"
    assert doc.xpath("string(//p:GrpHdr/p:CtrlSum)", namespaces=NS) == "368.05"
    assert doc.xpath("string(//p:GrpHdr/p:CreDtTm)", namespaces=NS) == "2025-03-31T09:00:00"
    blocks = doc.xpath("//p:PmtInf", namespaces=NS)
    found = {
        b.xpath("string(p:PmtTpInf/p:SeqTp)", namespaces=NS): (
            b.xpath("string(p:NbOfTxs)", namespaces=NS),
            b.xpath("string(p:CtrlSum)", namespaces=NS),
            sum(D(a) for a in b.xpath("p:DrctDbtTxInf/p:InstdAmt/text()", namespaces=NS)),
        )
        for b in blocks
    }
    assert found == {"FRST": ("1", "45.00", D("45.00")), "RCUR": ("2", "323.05", D("323.05"))}
    for block in blocks:
        assert block.xpath("string(p:PmtTpInf/p:LclInstrm/p:Cd)", namespaces=NS) == "CORE"
        assert block.xpath("string(p:ReqdColltnDt)", namespaces=NS) == "2025-04-05"
        assert (
            block.xpath("string(p:CdtrAcct/p:Id/p:IBAN)", namespaces=NS)
            == "FR1420041010050500013M02606"
        )
        assert block.xpath("string(p:CdtrAgt/p:FinInstnId/p:BIC)", namespaces=NS) == "PSSTFRPPLYO"
        assert block.xpath("string(p:CdtrSchmeId//p:Othr/p:Id)", namespaces=NS) == "FR72ZZZ123456"


def test_each_transaction_carries_its_invoice_mandate_and_debtor():
    doc = sepa_document()
    (tx,) = doc.xpath("//p:DrctDbtTxInf[p:PmtId/p:EndToEndId='F2025-0001']", namespaces=NS)

    def text(path: str) -> str:
        return str(tx.xpath(f"string({path})", namespaces=NS))

    assert text("p:InstdAmt") == "310.55" and tx.find("p:InstdAmt", NS).get("Ccy") == "EUR"
    assert text("p:DrctDbtTx/p:MndtRltdInf/p:MndtId") == "RUM-F2025-0001"
    assert text("p:DrctDbtTx/p:MndtRltdInf/p:DtOfSgntr") == "2024-09-01"
    assert text("p:DbtrAgt/p:FinInstnId/p:BIC") == "COBADEFFXXX"
    assert text("p:Dbtr/p:Nm") == "Atelier Bois + Fer"
    assert text("p:DbtrAcct/p:Id/p:IBAN") == "DE89370400440532013000"
    assert text("p:RmtInf/p:Ustrd") == "F2025-0001"
    (no_bic,) = doc.xpath("//p:DrctDbtTxInf[p:PmtId/p:EndToEndId='F2025-0005']", namespaces=NS)
    assert no_bic.xpath("string(p:DbtrAgt//p:Othr/p:Id)", namespaces=NS) == "NOTPROVIDED"
    assert no_bic.xpath("string(p:Dbtr/p:Nm)", namespaces=NS) == "Zoe"


def test_a_bad_iban_is_refused_with_the_debtor_named():
    wrong = debit(
        "F2025-0009", dataclasses.replace(PERSON, iban="FR7630006000011234567890188"), "9.00"
    )
    with pytest.raises(InvalidIBAN, match=r"Chloé Müller \(F2025-0009\)"):
        direct_debit_xml(SELLER, [wrong], collection_date=date(2025, 4, 5), message_id="M1")


@pytest.mark.parametrize(
    ("debits", "message"),
    [
        ([], "nothing to collect"),
        ([debit("F1", COMPANY, "0.00")], "must be positive"),
        ([debit("F1", COMPANY, "1.005")], "must be positive"),
        ([debit("F1", COMPANY, "1.00"), debit("F1", COMPANY, "2.00")], "collected twice"),
        ([debit("F//1", COMPANY, "1.00")], "cannot go in a SEPA file"),
        ([debit("F1", COMPANY, "1.00", "NEXT")], "sequence type"),
    ],
)
def test_what_a_bank_would_refuse_is_refused_first(debits, message):
    with pytest.raises(InvalidSepaData, match=message):
        direct_debit_xml(SELLER, debits, collection_date=date(2025, 4, 5), message_id="M1")


def test_a_creditor_without_a_valid_ics_cannot_collect():
    seller = dataclasses.replace(SELLER, sepa_creditor_id="FR00ZZZ123456")
    with pytest.raises(InvalidSepaData, match="ICS"):
        direct_debit_xml(seller, DEBITS, collection_date=date(2025, 4, 5), message_id="M1")


def test_sepa_text_keeps_only_the_sepa_latin_characters():
    assert sepa_text("Cœur & Âme — Chloé", 70) == "Coeur + Ame Chloe"
    assert sepa_text("x" * 80, 70) == "x" * 70


def _pain_008_schema() -> Path | None:
    """The official XSD, where an installed package ships it (sepaxml does); none is vendored."""
    spec = importlib.util.find_spec("sepaxml")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / "schemas" / "pain.008.001.02.xsd"
    return path if path.exists() else None


def test_the_direct_debit_file_is_valid_against_the_pain_008_001_02_schema():
    path = _pain_008_schema()
    if path is None:
        pytest.skip("no pain.008.001.02 XSD installed (the sepaxml package ships one)")
    schema = etree.XMLSchema(etree.parse(str(path)))
    schema.assertValid(sepa_document())
