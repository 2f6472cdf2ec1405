"""A SEPA Core direct-debit file (ISO 20022 pain.008.001.02, the version French banks accept
for the SEPA Direct Debit Core scheme) for a bill run. Pure: no ORM.

The bank takes the file whole or refuses it whole, often days later, so everything it would
refuse is refused here first with a reason: a bad IBAN (ISO 13616 mod-97 check and the
country's length), a bad creditor identifier (ICS), a bad BIC, a non-positive amount, an id with
characters outside the SEPA set, the same invoice debited twice.
"""

from __future__ import annotations

import re
import unicodedata
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from tierslieux.billing.documents import Party
from tierslieux.core import clock

NS = "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"
SEQUENCE_TYPES = ("FRST", "RCUR", "OOFF", "FNAL")  # first, recurrent, one-off, final
MAX_AMOUNT = Decimal("999999999.99")

# IBAN lengths of the countries of the SEPA schemes (SWIFT IBAN registry).
IBAN_LENGTHS: dict[str, int] = {
    "AD": 24, "AL": 28, "AT": 20, "BE": 16, "BG": 22, "CH": 21, "CY": 28, "CZ": 24, "DE": 22,
    "DK": 18, "EE": 20, "ES": 24, "FI": 18, "FR": 27, "GB": 22, "GI": 23, "GR": 27, "HR": 21,
    "HU": 28, "IE": 22, "IS": 26, "IT": 27, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27,
    "MD": 24, "ME": 22, "MK": 19, "MT": 31, "NL": 18, "NO": 15, "PL": 28, "PT": 25, "RO": 24,
    "SE": 24, "SI": 19, "SK": 24, "SM": 27, "VA": 22,
}  # fmt: skip
_IBAN_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}")
_BIC_SHAPE = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?")
_CREDITOR_ID_SHAPE = re.compile(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{3}[A-Z0-9]{1,28}")
# The SEPA character set for ids; they may not start with "/" nor hold "//".
_ID_SHAPE = re.compile(r"[A-Za-z0-9/\-?:().,'+ ]{1,35}")
_TEXT_SPECIALS = {
    "œ": "oe", "Œ": "OE", "æ": "ae", "Æ": "AE", "ß": "ss", "ø": "o", "Ø": "O", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "&": "+", "’": "'",
}  # fmt: skip
_TEXT_ALLOWED = re.compile(r"[^A-Za-z0-9/\-?:().,'+ ]")


class InvalidSepaData(ValueError):
    """Something the bank would refuse; the message says what and whose."""


class InvalidIBAN(InvalidSepaData):
    pass


def normalize_iban(iban: str) -> str:
    return "".join(iban.split()).upper()


def mod97_ok(code: str) -> bool:
    """ISO 7064 MOD 97-10 as ISO 13616 applies it: letters become 10..35, the whole number
    modulo 97 must be 1."""
    try:
        return int("".join(str(int(char, 36)) for char in code)) % 97 == 1
    except ValueError:
        return False


def iban_is_valid(iban: str) -> bool:
    """Shape, the country's length, then the mod-97 check over the four first characters moved
    to the end."""
    iban = normalize_iban(iban)
    if not _IBAN_SHAPE.fullmatch(iban):
        return False
    length = IBAN_LENGTHS.get(iban[:2])
    if length is None or len(iban) != length:
        return False
    return mod97_ok(iban[4:] + iban[:4])


def creditor_id_is_valid(creditor_id: str) -> bool:
    """A SEPA creditor identifier (ICS in France, e.g. FR..ZZZ......): the same mod-97 check,
    leaving out the three-character business code after the check digits."""
    creditor_id = normalize_iban(creditor_id)
    if not _CREDITOR_ID_SHAPE.fullmatch(creditor_id):
        return False
    return mod97_ok(creditor_id[7:] + creditor_id[:4])


def validate_iban(iban: str, *, whose: str) -> str:
    normalized = normalize_iban(iban)
    if not iban_is_valid(normalized):
        raise InvalidIBAN(
            _("The IBAN of %(whose)s is not valid (%(iban)s): check it with the account holder.")
            % {"whose": whose, "iban": iban}
        )
    return normalized


def _bic(bic: str, *, whose: str) -> str:
    bic = normalize_iban(bic)
    if bic and not _BIC_SHAPE.fullmatch(bic):
        raise InvalidSepaData(
            _("The BIC of %(whose)s is not valid (%(bic)s).") % {"whose": whose, "bic": bic}
        )
    return bic


def _id(value: str, *, what: str) -> str:
    if not _ID_SHAPE.fullmatch(value) or value.startswith("/") or "//" in value:
        raise InvalidSepaData(
            _(
                "%(what)s %(value)s cannot go in a SEPA file: at most 35 letters, digits "
                "and / - ? : ( ) . , ' + signs, not starting with / and without //."
            )
            % {"what": what, "value": repr(value)}
        )
    return value


def sepa_text(value: str, limit: int) -> str:
    """Free text in the SEPA Latin character set: accents dropped, other signs made spaces."""
    value = "".join(_TEXT_SPECIALS.get(char, char) for char in value)
    value = "".join(c for c in unicodedata.normalize("NFKD", value) if not unicodedata.combining(c))
    return " ".join(_TEXT_ALLOWED.sub(" ", value).split())[:limit].strip()


@dataclass(frozen=True)
class DirectDebit:
    """One collection: an invoice's amount from a debtor who signed a mandate."""

    invoice_number: str  # becomes the end-to-end id the debtor's statement shows
    amount: Decimal
    debtor: Party  # with iban (and bic, optional since 2016)
    mandate_id: str  # the unique mandate reference (RUM)
    mandate_date: date  # date of signature
    sequence_type: str = "RCUR"
    remittance: str = ""  # the debtor's statement line; defaults to the invoice number


def _amount(value: Decimal) -> str:
    return f"{value:.2f}"


def _sub(parent: ET.Element, tag: str, text: str | None = None, **attrs: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{NS}}}{tag}", attrs)
    if text is not None:
        element.text = text
    return element


def _agent(parent: ET.Element, tag: str, bic: str) -> None:
    institution = _sub(_sub(parent, tag), "FinInstnId")
    if bic:
        _sub(institution, "BIC", bic)
    else:  # IBAN-only: the EPC's placeholder for an unknown agent
        _sub(_sub(institution, "Othr"), "Id", "NOTPROVIDED")


def _address(parent: ET.Element, party: Party) -> None:
    if not party.country:
        return
    address = _sub(parent, "PstlAdr")
    _sub(address, "Ctry", party.country.upper())
    for line in (party.address, f"{party.postcode} {party.city}"):
        text = sepa_text(line, 70)
        if text:
            _sub(address, "AdrLine", text)


def _check(creditor: Party, debits: Sequence[DirectDebit]) -> None:
    if not debits:
        raise InvalidSepaData(_("There is nothing to collect."))
    if not creditor_id_is_valid(creditor.sepa_creditor_id):
        raise InvalidSepaData(
            _("The SEPA creditor identifier (ICS) %(ics)s is not valid.")
            % {"ics": repr(creditor.sepa_creditor_id)}
        )
    seen: set[str] = set()
    for debit in debits:
        whose = f"{debit.debtor.name} ({debit.invoice_number})"
        validate_iban(debit.debtor.iban, whose=whose)
        _bic(debit.debtor.bic, whose=whose)
        _id(debit.invoice_number, what=_("Invoice number"))
        _id(debit.mandate_id, what=_("Mandate reference"))
        if debit.sequence_type not in SEQUENCE_TYPES:
            raise InvalidSepaData(
                _("Unknown sequence type %(type)s.") % {"type": repr(debit.sequence_type)}
            )
        if not sepa_text(debit.debtor.name, 70):
            raise InvalidSepaData(_("The debtor of %(whose)s has no name.") % {"whose": whose})
        cents = debit.amount.quantize(Decimal("0.01"))
        if not Decimal("0.01") <= debit.amount <= MAX_AMOUNT or debit.amount != cents:
            raise InvalidSepaData(
                _("The amount to collect for %(whose)s must be positive, in cents: %(amount)s.")
                % {"whose": whose, "amount": debit.amount}
            )
        if debit.invoice_number in seen:
            raise InvalidSepaData(
                _("Invoice %(number)s is collected twice.") % {"number": debit.invoice_number}
            )
        seen.add(debit.invoice_number)


def direct_debit_xml(
    creditor: Party,
    debits: Sequence[DirectDebit],
    *,
    collection_date: date,
    message_id: str,
    created_at: datetime | None = None,
    local_instrument: str = "CORE",
    batch_booking: bool = True,
) -> bytes:
    """The pain.008.001.02 document: a group header, then one payment information block per
    sequence type (FRST, RCUR…), each with its count and control sum."""
    _id(message_id, what=_("Message id"))
    _check(creditor, debits)
    creditor_iban = validate_iban(creditor.iban, whose=creditor.name)
    creditor_bic = _bic(creditor.bic, whose=creditor.name)
    created = (created_at or clock.now().astimezone(UTC)).strftime("%Y-%m-%dT%H:%M:%S")

    ET.register_namespace("", NS)
    document = ET.Element(f"{{{NS}}}Document")
    root = _sub(document, "CstmrDrctDbtInitn")
    header = _sub(root, "GrpHdr")
    _sub(header, "MsgId", message_id)
    _sub(header, "CreDtTm", created)
    _sub(header, "NbOfTxs", str(len(debits)))
    _sub(header, "CtrlSum", _amount(sum((d.amount for d in debits), Decimal("0"))))
    _sub(_sub(header, "InitgPty"), "Nm", sepa_text(creditor.name, 70))

    for sequence in SEQUENCE_TYPES:
        batch = [d for d in debits if d.sequence_type == sequence]
        if not batch:
            continue
        info = _sub(root, "PmtInf")
        _sub(info, "PmtInfId", f"{message_id[:30]}-{sequence}")
        _sub(info, "PmtMtd", "DD")
        _sub(info, "BtchBookg", "true" if batch_booking else "false")
        _sub(info, "NbOfTxs", str(len(batch)))
        _sub(info, "CtrlSum", _amount(sum((d.amount for d in batch), Decimal("0"))))
        kind = _sub(info, "PmtTpInf")
        _sub(_sub(kind, "SvcLvl"), "Cd", "SEPA")
        _sub(_sub(kind, "LclInstrm"), "Cd", local_instrument)
        _sub(kind, "SeqTp", sequence)
        _sub(info, "ReqdColltnDt", collection_date.isoformat())
        party = _sub(info, "Cdtr")
        _sub(party, "Nm", sepa_text(creditor.name, 70))
        _address(party, creditor)
        _sub(_sub(_sub(info, "CdtrAcct"), "Id"), "IBAN", creditor_iban)
        _agent(info, "CdtrAgt", creditor_bic)
        _sub(info, "ChrgBr", "SLEV")
        scheme = _sub(_sub(_sub(_sub(info, "CdtrSchmeId"), "Id"), "PrvtId"), "Othr")
        _sub(scheme, "Id", normalize_iban(creditor.sepa_creditor_id))
        _sub(_sub(scheme, "SchmeNm"), "Prtry", "SEPA")
        for debit in batch:
            tx = _sub(info, "DrctDbtTxInf")
            _sub(_sub(tx, "PmtId"), "EndToEndId", debit.invoice_number)
            _sub(tx, "InstdAmt", _amount(debit.amount), Ccy="EUR")
            mandate = _sub(_sub(tx, "DrctDbtTx"), "MndtRltdInf")
            _sub(mandate, "MndtId", debit.mandate_id)
            _sub(mandate, "DtOfSgntr", debit.mandate_date.isoformat())
            _agent(tx, "DbtrAgt", normalize_iban(debit.debtor.bic))
            debtor = _sub(tx, "Dbtr")
            _sub(debtor, "Nm", sepa_text(debit.debtor.name, 70))
            _address(debtor, debit.debtor)
            _sub(_sub(_sub(tx, "DbtrAcct"), "Id"), "IBAN", normalize_iban(debit.debtor.iban))
            remittance = sepa_text(debit.remittance or debit.invoice_number, 140)
            _sub(_sub(tx, "RmtInf"), "Ustrd", remittance)
    return ET.tostring(document, encoding="UTF-8", xml_declaration=True)
