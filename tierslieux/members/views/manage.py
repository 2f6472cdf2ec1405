"""The members pages of the back office (/manage/<slug>/members/): the home with its counts,
and the members' credits. Catalogue and rate card, subscriptions and the bill run live in
`manage_catalogue`, `manage_subscriptions` and `manage_billrun`; they share the helpers here.

Every view goes through the back-office kit (`places.backoffice`): `place_view` with
`Perm.MANAGE_BILLING` (these are money pages, for the coordinator) and `render`. Invalid input
re-renders the form with its errors and status 422; a service's refusal shows on the form
(`attach_error`); nothing is written then.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _

from tierslieux.accounts.models import Person
from tierslieux.members import queries
from tierslieux.members.forms import AdjustForm
from tierslieux.members.models import BillRun, Charge, CreditEntry, Subscription, Wallet
from tierslieux.members.services import credits as credit_services
from tierslieux.places.backoffice import Perm, attach_error, place_view, render
from tierslieux.places.models import Place

ZERO = Decimal("0")
ADJUST_FIELDS = {"zero": "quantity", "not_enough_credits": "quantity", "note_required": "note"}


# --- Shared helpers -------------------------------------------------------------------------


def active_subscriptions(place: Place, today: date) -> Any:
    return Subscription.objects.filter(place=place, start__lte=today).filter(
        Q(end__isnull=True) | Q(end__gte=today)
    )


def add_month(month: date, months: int = 1) -> date:
    index = month.year * 12 + month.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def next_run_month(place: Place, today: date) -> date:
    """The month after the last bill run, or the current month when none ran yet."""
    last = BillRun.objects.filter(place=place).order_by("-month").values_list("month", flat=True)
    latest = last.first()
    return add_month(latest) if latest else today.replace(day=1)


# --- Home -----------------------------------------------------------------------------------


@place_view(Perm.MANAGE_BILLING)
def home(request: HttpRequest, place: Place) -> HttpResponse:
    """What is going on: active subscriptions, members, charges waiting for the bill run."""
    today = place.today()
    counts = active_subscriptions(place, today).aggregate(
        subscriptions=Count("id"),
        people=Count("person", distinct=True),
        organisations=Count("organisation", distinct=True),
    )
    pending = Charge.objects.filter(
        place=place, invoice_line__isnull=True, voided_at__isnull=True
    ).count()
    return render(
        request,
        "members/manage/home.html",
        {
            "place": place,
            "active_subscriptions": counts["subscriptions"],
            "members": counts["people"] + counts["organisations"],
            "pending_charges": pending,
            "next_month": next_run_month(place, today),
        },
    )


# --- Credits --------------------------------------------------------------------------------


def _credit_people(place: Place) -> Any:
    """Whoever may hold credits here: people with a role, a customer or a ledger entry."""
    return Person.objects.filter(
        Q(place_roles__place=place) | Q(customers__place=place) | Q(credit_entries__place=place)
    ).distinct()


@place_view(Perm.MANAGE_BILLING)
def credits(request: HttpRequest, place: Place) -> HttpResponse:
    """Everybody's balance per wallet, from one aggregate over the ledger (two queries)."""
    sums: dict[int, dict[str, Decimal]] = defaultdict(dict)
    for row in (
        CreditEntry.objects.filter(place=place)
        .values("person_id", "wallet")
        .annotate(total=Sum("quantity"))
    ):
        sums[row["person_id"]][row["wallet"]] = row["total"]
    query = request.GET.get("q", "").strip()
    people = _credit_people(place).order_by("last_name", "first_name", "id")
    if query:
        people = people.filter(
            Q(first_name__icontains=query)
            | Q(last_name__icontains=query)
            | Q(email__icontains=query)
        )
    rows = [
        {
            "person": person,
            "balances": [sums[person.pk].get(wallet, ZERO) for wallet in Wallet.values],
        }
        for person in people
    ]
    return render(
        request,
        "members/manage/credits.html",
        {"place": place, "rows": rows, "wallets": Wallet.choices, "q": query},
    )


@place_view(Perm.MANAGE_BILLING)
def person_credits(request: HttpRequest, place: Place, person_id: int) -> HttpResponse:
    """One person's ledger with running balances, and the form to adjust a wallet."""
    person = get_object_or_404(_credit_people(place), pk=person_id)
    form = AdjustForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            credit_services.adjust(
                actor=request.user,
                person=person,
                place=place,
                wallet=data["wallet"],
                quantity=data["quantity"],
                note=data["note"],
            )
        except ValidationError as error:
            attach_error(form, error, ADJUST_FIELDS)
        else:
            messages.success(request, _("The credits are adjusted."))
            return redirect("members_manage:person_credits", slug=place.slug, person_id=person.pk)
    entries = list(
        CreditEntry.objects.filter(place=place, person=person)
        .select_related("created_by", "product", "subscription__product")
        .order_by("created_at", "id")
    )
    running: dict[str, Decimal] = defaultdict(lambda: ZERO)
    ledger = []
    for entry in entries:
        running[entry.wallet] += entry.quantity
        ledger.append({"entry": entry, "balance": running[entry.wallet]})
    ledger.reverse()  # newest first
    balances = queries.balances(person, place)
    return render(
        request,
        "members/manage/person_credits.html",
        {
            "place": place,
            "person": person,
            "form": form,
            "ledger": ledger,
            "balances": [(label, balances.get(value, ZERO)) for value, label in Wallet.choices],
            "today": place.today(),
            "soon": place.today() + timedelta(days=30),
        },
        form,
    )
