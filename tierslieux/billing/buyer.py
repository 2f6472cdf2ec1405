"""What an invoice must say about its buyer (pure: reads attributes only, no ORM).

French law (art. 242 nonies A of annex II of the CGI, L441-9 of the Code de commerce) makes
an invoice to an organisation name the buyer and give its postal address; its SIREN is
required of a French organisation (and is the one identifier the e-invoicing reform routes
invoices by). An individual's invoice may go without, and so may a French association's SIREN:
a small association registered only at the prefecture has none (it is invoiced as a
non-professional buyer); companies and public bodies always have one. Issuing (one invoice
or a bill run) refuses an organisation's invoice missing any of them, naming what is
missing; the bill run's plan lists the same customers as problems before anything is
confirmed.
"""

from __future__ import annotations

from typing import Protocol

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

INDIVIDUAL = "individual"
WITH_SIREN = {"company", "public_body"}  # kinds registered in SIRENE by construction

# field -> its label in the refusal; the fields of `billing.Customer` the team fills in.
LABELS = {
    "address": gettext_lazy("address"),
    "postcode": gettext_lazy("postcode"),
    "city": gettext_lazy("city"),
    "siren": gettext_lazy("SIREN"),
}


class BuyerLike(Protocol):
    name: str
    kind: str
    address: str
    postcode: str
    city: str
    country: str
    siren: str


def is_organisation(customer: BuyerLike) -> bool:
    return customer.kind != INDIVIDUAL


def missing_details(customer: BuyerLike) -> list[str]:
    """The fields (of `LABELS`) an invoice to this customer cannot go without and that are
    empty; none for an individual."""
    if not is_organisation(customer):
        return []
    missing = [name for name in ("address", "postcode", "city") if not getattr(customer, name)]
    french = (customer.country or "FR") == "FR"
    if french and customer.kind in WITH_SIREN and not customer.siren:
        missing.append("siren")
    return missing


def missing_code(missing: list[str]) -> str:
    """`buyer_siren` when only the SIREN lacks, else `buyer_address`."""
    return "buyer_siren" if missing == ["siren"] else "buyer_address"


def missing_labels(missing: list[str]) -> str:
    return ", ".join(str(LABELS[name]) for name in missing)


def refusal() -> str:
    """Why issuing refuses, with the parameters `customer` and `missing` (left for the
    `ValidationError` to fill in: a name may hold a per cent sign)."""
    return _(
        "%(customer)s is an organisation: an invoice to it gives its postal address and, "
        "in France, its SIREN. To fill in: %(missing)s."
    )


def before_the_run(customer: BuyerLike, missing: list[str]) -> str:
    """The same, as the bill run's preview lists it (nothing is issued yet)."""
    return _(
        "%(customer)s is an organisation: its invoice gives its postal address and, in "
        "France, its SIREN. To fill in before the run: %(missing)s."
    ) % {"customer": customer.name, "missing": missing_labels(missing)}
