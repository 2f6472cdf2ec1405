"""Demo money: what each demo place sells, who subscribes, three months of billing.

Two kinds of writes, as in the rest of ``demo/`` (docs/decisions/0002-demo-loader.md):

- *reference data* is upserted by natural key through the loader's writer, ``full_clean``-ed:
  the place's fictitious SIRET (only when it has none), its billing profile, the catalogue
  (products by name, room-hire rates by space, audience and unit), a town hall as a
  public-body customer, SEPA mandates on a few customers;
- *money history* goes through the services, because invoices must be numbered, hash-chained
  and frozen the way the application does it: subscriptions (``subscriptions.subscribe``),
  room hire charges (``charges.record_charge``), the bill runs (``billrun.confirm``), sales
  (``sales.buy``) and payments (``record_payment``), each acting as the place's coordinator.

The history covers the three months before the current one (in each place's time zone). A
month is written whole or not at all: its charges, its confirmed bill run, the sales made in
it and the payments received, only when the place has no bill run for that month yet. So a
second load writes nothing, and a load in a later month adds the month that came into range.
Dates never go before the place's last issued invoice (numbers follow dates), so invoices made
in the application since the last load never block a new month. Fundings are written once,
on the first load. The current month is left for the coordinator to bill.

The package, by concern: ``reference`` (the upserted reference data and the writer it goes
through), ``identifiers`` (made-up IBANs, creditor identifiers, VAT numbers), ``cast`` (who acts
and who buys in each place), ``history`` (the months written through the services).

Every identifier here is made up: SIRETs and SIRENs pass the Luhn check, IBANs and the SEPA
creditor identifiers pass the mod-97 check, but none belongs to anybody.
"""

from __future__ import annotations

from tierslieux.demo.money.cast import Cast, casts
from tierslieux.demo.money.history import MONTHS, Clock, load_place_money
from tierslieux.demo.money.identifiers import BIC, creditor_id, iban, vat_number
from tierslieux.demo.money.reference import (
    AUDIENCE_FACTOR,
    CATALOGUE,
    ROOM_KINDS,
    Writer,
    room_prices,
)
from tierslieux.places.models import Place

__all__ = [
    "AUDIENCE_FACTOR",
    "BIC",
    "CATALOGUE",
    "MONTHS",
    "ROOM_KINDS",
    "Cast",
    "Clock",
    "Writer",
    "creditor_id",
    "iban",
    "load_money",
    "load_place_money",
    "room_prices",
    "vat_number",
]


def load_money(w: Writer, places: dict[str, Place]) -> None:
    """Billing profiles and catalogues of every demo place, and three months of billing."""
    by_slug = casts(places)
    for slug, place in places.items():
        load_place_money(w, place, by_slug.get(slug))
