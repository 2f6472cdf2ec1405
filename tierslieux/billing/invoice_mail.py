"""The e-mail that carries an issued invoice or credit note: its subject and its text.

Pure over `InvoiceDoc` (no ORM). Call under the customer's language: amounts and dates
follow the active locale, and the payment sentences are the PDF's own, so the message
says what the attached document says.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from tierslieux.billing.documents import InvoiceDoc
from tierslieux.billing.facturx import (
    SEPA_CREDIT_TRANSFER,
    SEPA_DIRECT_DEBIT,
    payment_means,
    presented,
)
from tierslieux.core.formatting import colon, day, money


def subject(doc: InvoiceDoc, place_name: str) -> str:
    """E.g. « Facture F-000012 — La Fabrique »."""
    kind = _("Credit note") if doc.kind == "credit_note" else _("Invoice")
    return _("%(document)s %(number)s — %(place)s") % {
        "document": kind,
        "number": doc.number,
        "place": place_name,
    }


def body(doc: InvoiceDoc, place_name: str) -> str:
    """A short text: what is attached, what is due and by when, and how to pay."""
    shown = presented(doc)  # a credit note's amounts positive, as its PDF states them
    facts = {"number": shown.number, "place": place_name, "date": day(shown.issue_date)}
    paragraphs = [_("Hello,")]
    if shown.kind == "credit_note":
        intro = (
            _("Please find attached credit note %(number)s from %(place)s, issued on %(date)s.")
            % facts
        )
        if shown.corrects_number:
            intro += " " + _("It corrects invoice %(invoice)s.") % {
                "invoice": shown.corrects_number
            }
        paragraphs += [
            intro,
            f"{_('Total incl. VAT')}{colon()} {money(shown.total_gross, shown.currency_symbol)}",
        ]
    else:
        paragraphs += [
            _("Please find attached invoice %(number)s from %(place)s, issued on %(date)s.")
            % facts,
            _payment(shown),
        ]
    paragraphs.append(_("Best regards,") + "\n" + place_name)
    return "\n\n".join(paragraphs) + "\n"


def _payment(doc: InvoiceDoc) -> str:
    """The amounts, the due date and the terms, then how to pay (nothing when paid)."""
    lines = [f"{_('Total incl. VAT')}{colon()} {money(doc.total_gross, doc.currency_symbol)}"]
    if doc.amount_due <= 0:
        lines.append(_("This invoice is already paid: there is nothing to do."))
        return "\n".join(lines)
    lines += [
        f"{_('Amount due')}{colon()} {money(doc.amount_due, doc.currency_symbol)}",
        f"{_('Due date')}{colon()} {day(doc.due_date)}",
    ]
    if doc.payment_terms:
        lines.append(f"{_('Payment terms')}{colon()} {doc.payment_terms}")
    means = payment_means(doc)
    if means == SEPA_DIRECT_DEBIT:
        lines += [
            _(
                "Payment by SEPA direct debit, mandate %(mandate)s, creditor identifier "
                "%(creditor)s."
            )
            % {"mandate": doc.mandate_reference, "creditor": doc.seller.sepa_creditor_id},
            _("The amount will be debited from your account: there is nothing to do."),
        ]
    elif means == SEPA_CREDIT_TRANSFER:
        bank = f"IBAN {doc.seller.iban}" + (f" · BIC {doc.seller.bic}" if doc.seller.bic else "")
        lines += [
            f"{_('Payment by bank transfer')}{colon()} {bank}",
            _("Please give the reference %(number)s with your transfer.") % {"number": doc.number},
        ]
    return "\n".join(lines)
