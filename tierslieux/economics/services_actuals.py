"""The only writers of a place's actuals: its expenses (one by one, or an accountant's CSV
export, all the lines or none), its grants and the fundings received that pay them. Who
may: the team with `Perm.MANAGE_BILLING` (the place's finances, as its scenarios). Every
change is audited (`core.audit`); a refusal names its field as its code
(`core.errors.refuse`), and nothing is written."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tierslieux.billing.models import Funding
from tierslieux.core import audit
from tierslieux.core.audit import Change
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.economics import expense_csv, expense_fec
from tierslieux.economics.models import (
    MAX_AMOUNT,
    Expense,
    ExpenseCategory,
    FunderKind,
    Grant,
    GrantReceipt,
)
from tierslieux.places import access
from tierslieux.places.access import Perm
from tierslieux.places.models import Place

LABELS = {
    "date": gettext_lazy("date"),
    "label": gettext_lazy("label"),
    "funder": gettext_lazy("funder"),
    "first_month": gettext_lazy("first month"),
    "last_month": gettext_lazy("last month"),
}
FIELDS = ("date", "category", "label", "amount", "funder_kind", "funder", "first_month",
          "last_month", "file", "grant", "funding")  # fmt: skip


def can_manage(actor: Any, place: Place) -> bool:
    return access.has_perm(actor, place, Perm.MANAGE_BILLING)


def _require(actor: Actor, place: Place) -> None:
    if not can_manage(actor, place):
        raise PermissionDenied


def _who(actor: Actor) -> int | None:
    return actor.pk if getattr(actor, "is_authenticated", False) else None


def _text(value: Any, field: str) -> str:
    text = str(value or "").strip()
    if not text:
        refuse(_("%(field)s: write it.") % {"field": LABELS[field]}, field)
    if len(text) > 200 or any(ord(c) < 32 for c in text):
        message = _("%(field)s: at most 200 characters on one line.")
        refuse(message % {"field": LABELS[field]}, field)
    return text


def _amount(value: Any) -> Decimal:
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        refuse(_("amount: write an amount in euros."), "amount")
    if not amount.is_finite() or not 0 < amount <= MAX_AMOUNT:
        refuse(_("amount: more than 0 and at most 1 000 000 €."), "amount")
    if amount != amount.quantize(Decimal("0.01")):
        refuse(_("amount: in euros and cents, no finer."), "amount")
    return amount


def _day(value: Any, field: str) -> date:
    if not isinstance(value, date) or not 2000 <= value.year <= 2100:
        refuse(_("%(field)s: a date between 2000 and 2100.") % {"field": LABELS[field]}, field)
    return value


def add_expense(
    *, actor: Actor, place: Place, date: Any, category: str, label: str, amount: Any
) -> Expense:
    _require(actor, place)
    if category not in ExpenseCategory.values:
        refuse(_("category: choose one of the categories listed."), "category")
    expense = Expense(
        place=place, date=_day(date, "date"), category=category, label=_text(label, "label"),
        amount=_amount(amount), created_by_id=_who(actor),
    )  # fmt: skip
    with transaction.atomic():
        expense.save()
        audit.record(
            actor=actor, action="economics.expense.add", obj=expense, place_id=place.pk,
            changes={"date": expense.date, "category": category, "amount": expense.amount},
        )  # fmt: skip
    return expense


def remove_expense(*, actor: Actor, expense: Expense) -> None:
    _require(actor, expense.place)
    with transaction.atomic():
        audit.record(
            actor=actor, action="economics.expense.remove", obj=expense,
            place_id=expense.place_id,
            changes={"date": expense.date, "label": expense.label, "amount": expense.amount},
        )  # fmt: skip
        expense.delete()


def add_grant(
    *, actor: Actor, place: Place, funder_kind: str, funder: str, amount: Any,
    first_month: Any, last_month: Any,
) -> Grant:  # fmt: skip
    """A grant over whole months: the days given are read as their month's first day."""
    _require(actor, place)
    if funder_kind not in FunderKind.values:
        refuse(_("funder kind: choose one of the kinds listed."), "funder_kind")
    first = _day(first_month, "first_month").replace(day=1)
    last = _day(last_month, "last_month").replace(day=1)
    if last < first:
        refuse(_("last month: it cannot come before the first month."), "last_month")
    grant = Grant(
        place=place, funder_kind=funder_kind, funder=_text(funder, "funder"),
        amount=_amount(amount), first_month=first, last_month=last, created_by_id=_who(actor),
    )  # fmt: skip
    with transaction.atomic():
        grant.save()
        audit.record(
            actor=actor, action="economics.grant.add", obj=grant, place_id=place.pk,
            changes={"funder": grant.funder, "amount": grant.amount, "first_month": first,
                     "last_month": last},
        )  # fmt: skip
    return grant


def remove_grant(*, actor: Actor, grant: Grant) -> None:
    """Remove a grant; the fundings that paid it are no longer linked, and count again in
    the month they were received."""
    _require(actor, grant.place)
    unlinked = list(grant.receipts.values_list("funding_id", flat=True))
    with transaction.atomic():
        audit.record(
            actor=actor, action="economics.grant.remove", obj=grant, place_id=grant.place_id,
            changes={"funder": grant.funder, "amount": grant.amount, "unlinked": unlinked},
        )  # fmt: skip
        grant.delete()


def link_funding(*, actor: Actor, grant: Grant, funding: Funding) -> GrantReceipt:
    """Record that `funding` (received, in billing) pays `grant`: the actuals count the grant
    over its agreed months and no longer this funding in the month received. Only a funding
    of the grant's place (the database cannot check it: see `GrantReceipt`), and one not
    paying a grant already (the database refuses it too)."""
    _require(actor, grant.place)
    if funding.place_id != grant.place_id:
        refuse(_("funding: choose one of the fundings this place received."), "funding")
    paid = GrantReceipt.objects.filter(funding=funding).select_related("grant").first()
    if paid is not None:
        message = _("funding: it already pays the grant of %(funder)s; unlink it there first.")
        refuse(message, "funding", funder=paid.grant.funder)
    try:
        with transaction.atomic():
            receipt = GrantReceipt.objects.create(grant=grant, funding=funding)
            audit.record(
                actor=actor, action="economics.grant.link", obj=grant, place_id=grant.place_id,
                changes={"funding": funding.pk, "funder": funding.funder,
                         "amount": funding.amount, "received_on": funding.received_on},
            )  # fmt: skip
    except IntegrityError:  # linked meanwhile by someone else
        refuse(_("funding: it already pays a grant; reload the page."), "funding")
    return receipt


def unlink_funding(*, actor: Actor, grant: Grant, funding: Funding) -> None:
    """The funding no longer pays the grant: it counts again in the month received."""
    _require(actor, grant.place)
    with transaction.atomic():
        deleted, _rows = GrantReceipt.objects.filter(grant=grant, funding=funding).delete()
        if not deleted:
            refuse(_("funding: it does not pay this grant."), "funding")
        audit.record(
            actor=actor, action="economics.grant.unlink", obj=grant, place_id=grant.place_id,
            changes={"funding": funding.pk, "funder": funding.funder, "amount": funding.amount},
        )  # fmt: skip


# The words French ledgers use for the categories, besides their labels.
# Words an accountant's export or a treasurer's spreadsheet uses, by the engine's cost line:
# the premises' energy is among its charges, as the seed's "Loyer/charges"; social charges
# are staff costs; the seed's "Animations/intervenants", "Communication", "Consommables" are
# its variable costs. Matched whatever the case, accents or plural (`expense_csv._word`);
# the import page lists them.
ALIASES = {
    "loyer": "rent", "charges locatives": "rent", "location": "rent", "énergie": "rent",
    "électricité": "rent", "chauffage": "rent", "eau": "rent",
    "personnel": "staff", "salaires": "staff", "frais de personnel": "staff",
    "charges sociales": "staff", "urssaf": "staff",
    "assurance": "insurance", "entretien": "maintenance",
    "entretien et réparations": "maintenance", "réparations": "maintenance",
    "ménage": "maintenance", "nettoyage": "maintenance",
    "abonnement": "subscriptions", "abonnements": "subscriptions", "licences": "subscriptions",
    "logiciels": "subscriptions",
    "investissement": "investment",
    "achats": "variable", "fournitures": "variable", "consommables": "variable",
    "communication": "variable", "animations": "variable", "intervenants": "variable",
    "autre": "other", "autres": "other", "honoraires": "other", "frais bancaires": "other",
}  # fmt: skip


def _alphabetical(word: str) -> str:
    """As a French dictionary sorts: « électricité » among the e, not after the z."""
    return unicodedata.normalize("NFKD", word)


def category_words() -> list[tuple[str, list[str]]]:
    """The ledgers' words each category is recognised by, for the import page."""
    return [
        (str(label), sorted((w for w, k in ALIASES.items() if k == key), key=_alphabetical))
        for key, label in ExpenseCategory.choices
    ]


def category_names() -> dict[str, str]:
    """Every way a category may be written in a file, lowercased → its key: the key, its
    label in French and in English, and the ledgers' usual words (`ALIASES`)."""
    names: dict[str, str] = dict(ALIASES)
    for key, label in ExpenseCategory.choices:
        names[key] = key
        for language in ("fr", "en"):
            with translation.override(language):
                names[str(label).lower()] = key
    return names


@dataclass(frozen=True)
class Imported:
    reading: expense_csv.Reading
    written: int  # 0 on a dry run or when a line was refused
    already: list[int]  # lines matching a recorded expense (date, label, amount): imported?
    # A FEC's month sums already imported with another amount (a corrected FEC): line →
    # the amount recorded, which the line replaces on confirming. A FEC's `already` lines
    # are not written again.
    replaced: dict[int, Decimal] = field(default_factory=dict)
    fec: bool = False


def _already(place: Place, lines: list[expense_csv.Line]) -> list[int]:
    """The lines whose date, label and amount match an expense already recorded: the same
    export imported twice would count them twice (one query)."""
    if not lines:
        return []
    days = {line.date for line in lines}
    recorded = set(
        Expense.objects.filter(place=place, date__in=days).values_list("date", "label", "amount")
    )
    return [x.number for x in lines if (x.date, x.label, x.amount) in recorded]


def _month_sums(place: Place, lines: list[expense_csv.Line]) -> dict[tuple, list[Expense]]:
    """A FEC's month sums already recorded, by (month's last day, category, label): what a
    FEC of the same period imported before (one query)."""
    if not lines:
        return {}
    found: dict[tuple, list[Expense]] = {}
    rows = Expense.objects.filter(
        place=place, date__in={x.date for x in lines}, label__in={x.label for x in lines}
    ).order_by("pk")
    for expense in rows:
        found.setdefault((expense.date, expense.category, expense.label), []).append(expense)
    return found


def _fec_plan(
    place: Place, lines: list[expense_csv.Line]
) -> tuple[list[int], dict[int, Decimal], list[Expense]]:
    """A FEC against what was imported before: the lines recorded already as they are, the
    lines that replace another amount (a corrected FEC), and the expenses they replace."""
    recorded = _month_sums(place, lines)
    same, replaced, stale = [], {}, []
    for line in lines:
        before = recorded.get((line.date, line.category, line.label), [])
        if [e.amount for e in before] == [line.amount]:
            same.append(line.number)
        elif before:
            replaced[line.number] = sum((e.amount for e in before), Decimal(0))
            stale += before
    return same, replaced, stale


def import_expenses(*, actor: Actor, place: Place, text: str, dry_run: bool) -> Imported:
    """Read the accountant's export (its CSV, or its FEC: `expense_fec`); unless `dry_run`,
    write every line at once, and only when none was refused (all or nothing: a file half
    imported would be imported twice). A FEC is a period's whole accounts: imported again,
    its months recorded as they are are left, and a corrected one replaces the month sums
    that changed (audited), so that the period is never counted twice."""
    _require(actor, place)
    fec = expense_fec.is_fec(text)
    if fec:
        labels = {key: str(label) for key, label in ExpenseCategory.choices}
        reading = expense_fec.read(text, labels)
    else:
        reading = expense_csv.read(text, category_names())
    if not reading.lines and not reading.refused:
        refuse(_("file: it holds no expense line."), "file")
    replaced: dict[int, Decimal] = {}
    stale: list[Expense] = []
    if fec:
        already, replaced, stale = _fec_plan(place, reading.lines)
    else:
        already = _already(place, reading.lines)
    if dry_run or reading.refused:
        return Imported(reading, 0, already, replaced, fec)
    who = _who(actor)
    kept = set(already) if fec else set()
    with transaction.atomic():
        audit.record_many(
            actor=actor,
            entries=[
                Change("economics.expense.replace", e, place.pk, {"amount": e.amount})
                for e in stale
            ],
        )
        Expense.objects.filter(pk__in=[e.pk for e in stale]).delete()
        created = Expense.objects.bulk_create(
            Expense(place=place, date=line.date, category=line.category, label=line.label,
                    amount=line.amount, created_by_id=who)
            for line in reading.lines if line.number not in kept
        )  # fmt: skip
        audit.record_many(
            actor=actor,
            entries=[
                Change("economics.expense.import", e, place.pk, {"amount": e.amount})
                for e in created
            ],
        )
    return Imported(reading, len(created), already, replaced, fec)
