"""Accounting exports of issued documents: the FEC, CSV and XLSX sheets, SEPA direct debits.

Pure functions over `billing.documents` (no ORM): the caller loads the period's documents and
serves the bytes. See docs/algorithms/accounting-exports.md.
"""

from tierslieux.billing.exports.fec import (
    DEFAULT_CHART,
    FEC_COLUMNS,
    ChartOfAccounts,
    UnbalancedEntry,
    fec_file,
    fec_filename,
    fec_lines,
)
from tierslieux.billing.exports.sepa import (
    DirectDebit,
    InvalidIBAN,
    InvalidSepaData,
    direct_debit_xml,
    iban_is_valid,
)
from tierslieux.billing.exports.sheets import (
    invoices_csv,
    invoices_xlsx,
    payments_csv,
)

__all__ = [
    "DEFAULT_CHART",
    "FEC_COLUMNS",
    "ChartOfAccounts",
    "DirectDebit",
    "InvalidIBAN",
    "InvalidSepaData",
    "UnbalancedEntry",
    "direct_debit_xml",
    "fec_file",
    "fec_filename",
    "fec_lines",
    "iban_is_valid",
    "invoices_csv",
    "invoices_xlsx",
    "payments_csv",
]
