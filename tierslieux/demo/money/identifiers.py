"""Made-up identifiers for the demo's money: IBANs, SEPA creditor identifiers, VAT numbers.

Every one passes its check (mod 97, the RIB key) but none belongs to anybody.
"""

from __future__ import annotations

import random

from tierslieux.billing.exports.sepa import creditor_id_is_valid, iban_is_valid

BIC = "CCOPFRPPXXX"  # the shape of a French cooperative bank's BIC; the accounts are made up


def _mod97(code: str) -> int:
    return int("".join(str(int(char, 36)) for char in code)) % 97


def iban(rng: random.Random) -> str:
    """A fictitious French IBAN (FR76…) with a right RIB key and check digits."""
    bank, branch = "42559", f"{rng.randint(0, 99999):05d}"  # 42559: the cooperative's code
    account = f"{rng.randint(0, 10**11 - 1):011d}"
    key = 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97
    bban = f"{bank}{branch}{account}{key:02d}"
    value = f"FR{98 - _mod97(bban + 'FR00'):02d}{bban}"
    assert iban_is_valid(value), value
    return value


def creditor_id(rng: random.Random) -> str:
    """A fictitious SEPA creditor identifier (ICS: FR, check digits, ZZZ, six digits)."""
    national = f"{rng.randint(100000, 999999)}"
    value = f"FR{98 - _mod97(national + 'FR00'):02d}ZZZ{national}"
    assert creditor_id_is_valid(value), value
    return value


def vat_number(siren: str) -> str:
    return f"FR{(12 + 3 * (int(siren) % 97)) % 97:02d}{siren}"
