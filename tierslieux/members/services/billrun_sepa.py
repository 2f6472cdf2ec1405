"""The SEPA direct-debit file (pain.008) of a confirmed bill run."""

from __future__ import annotations

from datetime import date

from django.utils.translation import gettext as _

from tierslieux.billing import snapshots
from tierslieux.billing.exports import sepa
from tierslieux.billing.queries import _settlement_of_annotated, with_settlement
from tierslieux.core import clock
from tierslieux.core.errors import refuse
from tierslieux.members.models import BillRun


def sepa_file(run: BillRun, *, collection_date: date) -> bytes:
    """The pain.008 direct-debit file of the run's invoices whose customer signed a mandate
    (IBAN and mandate reference), for what each invoice still has due. Refused when the
    place has no creditor identifier (ICS) or IBAN, or when nobody is to be debited."""
    place = run.place
    profile = snapshots.profile_of(place)
    if not profile.sepa_creditor_id or not profile.iban:
        refuse(
            _(
                "Direct debits need the place's SEPA creditor identifier (ICS) and IBAN: "
                "fill them in the billing profile."
            ),
            "no_creditor",
        )
    invoices = with_settlement(
        run.invoices.select_related("customer")
        .filter(customer__iban__gt="")
        .exclude(customer__sepa_mandate_reference="")
        .order_by("sequence_number")
    )
    debits = []
    for invoice in invoices:
        due = _settlement_of_annotated(invoice).due
        if due <= 0:
            continue
        customer = invoice.customer
        assert customer.sepa_mandate_date is not None  # the model's constraint
        debits.append(
            sepa.DirectDebit(
                invoice_number=invoice.number or "",
                amount=due,
                debtor=snapshots.party(snapshots.buyer(customer)),
                mandate_id=customer.sepa_mandate_reference,
                mandate_date=customer.sepa_mandate_date,
            )
        )
    if not debits:
        refuse(
            _("No invoice of this run is to be collected by direct debit."), "nothing_to_collect"
        )
    stamp = clock.now()
    try:
        return sepa.direct_debit_xml(
            snapshots.party(snapshots.seller(place, profile)),
            debits,
            collection_date=collection_date,
            message_id=f"TL-{run.pk}-{stamp:%Y%m%d%H%M%S}",
            created_at=stamp,
        )
    except sepa.InvalidSepaData as error:
        refuse(str(error), "sepa")
