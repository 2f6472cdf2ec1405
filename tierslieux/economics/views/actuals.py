"""A running place's actuals against its plan (`<scenario_id>/actuals/`) and its ledger:
expenses (list, add, remove after asking, the accountant's CSV import read before it is
written) and grants (list, add, remove after asking; the fundings received that pay them,
linked and unlinked). A place's pages only: a network's projects have no actuals. Bad input
answers 422 naming the field; nothing is written."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import DecimalField, Sum
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tierslieux.core import clock, formatting
from tierslieux.core.forms import attach_error, submit
from tierslieux.economics import actuals, actuals_chart, actuals_data, engine, services_actuals
from tierslieux.economics import scenario as sc
from tierslieux.economics.charts import euros
from tierslieux.economics.forms_actuals import (
    ExpenseForm,
    GrantForm,
    ImportForm,
    LinkForm,
    UnlinkForm,
)
from tierslieux.economics.models import Expense, ExpenseCategory, Grant, GrantReceipt
from tierslieux.economics.views.owner import Owner, owner_view, render

BY_CODE = {name: name for name in services_actuals.FIELDS}
SHOWN = 200  # the latest expenses listed; the comparison reads them all


def _place(owner: Owner) -> Any:
    if owner.place is None:
        raise Http404
    return owner.place


def _key(pk: int) -> int:
    """An id the database can compare, else 404."""
    if not 0 < pk < 2**63:
        raise Http404
    return pk


def last_complete_month(place: Any) -> Any:
    """The month before the current one in the place's time zone: this one is not over."""
    today = clock.today(place.timezone)
    return actuals.month_of(today.replace(day=1), -1)


def shown(row: actuals.Row, value: float | None) -> str:
    """A figure as the page writes it: whole euros, a percentage, a count; — unknown."""
    if value is None:
        return "—"
    if row.unit == actuals.MONEY:
        return euros(value)
    if row.unit == actuals.SHARE:
        return formatting.percent(round(value * 100))
    return formatting.number(round(value, 1))


def gap(ratio: float | None) -> str:
    """+12 % / −35 % against the plan; — when the plan is 0 or the actual unknown."""
    if ratio is None:
        return "—"
    sign = "+" if ratio > 0 else "−" if ratio < 0 else ""
    return sign + formatting.percent(round(abs(ratio) * 100))


@owner_view
def compare(request: HttpRequest, owner: Owner, scenario_id: int) -> HttpResponse:
    place = _place(owner)
    scenario = owner.scenario(scenario_id)
    try:
        parsed = sc.parse(scenario.data)
    except sc.ScenarioError:
        return redirect(owner.url("advanced", scenario.pk))
    plan = engine.project(parsed)
    start = actuals_data.plan_start(parsed)
    months = actuals_data.month_count(start, last_complete_month(place), plan.months)
    comparison = actuals.compare(plan, start, actuals_data.read(place, start, months))
    main = [comparison.row(k) for k in ("revenue", "costs", "occupancy", "members")]
    table = [
        {"month": month, "cells": [(r.label, shown(r, r.plan[n]), shown(r, r.actual[n]))
                                   for r in main]}
        for n, month in enumerate(comparison.months)
    ]  # fmt: skip
    last = len(comparison.months) - 1
    latest = [
        {"label": r.label, "plan": shown(r, r.plan[last]), "actual": shown(r, r.actual[last]),
         "gap": gap(r.ratios[last])}
        for r in comparison.rows
    ] if last >= 0 else []  # fmt: skip
    context = {
        "scenario": scenario, "comparison": comparison, "start": start, "latest": latest,
        "explanations": actuals.explanations(comparison), "table": table, "main": main,
        "chart": actuals_chart.plan_and_actuals(comparison) if comparison.months else "",
    }  # fmt: skip
    return render(request, owner, "economics/actuals.html", context)


@owner_view
@require_http_methods(["GET", "POST"])
def expenses(request: HttpRequest, owner: Owner) -> HttpResponse:
    place = _place(owner)
    form = ExpenseForm(request.POST or None)
    if submit(
        request,
        form,
        lambda data: services_actuals.add_expense(actor=request.user, place=place, **data),
        BY_CODE,
    ):
        return redirect(owner.url("expenses"))
    context = {"form": form, "expenses": Expense.objects.filter(place=place)[:SHOWN]}
    return render(request, owner, "economics/expenses.html", context, form)


@owner_view
@require_http_methods(["GET", "POST"])
def expense_remove(request: HttpRequest, owner: Owner, expense_id: int) -> HttpResponse:
    place = _place(owner)
    expense = get_object_or_404(Expense, place=place, pk=_key(expense_id))
    if request.method == "POST":
        services_actuals.remove_expense(actor=request.user, expense=expense)
        return redirect(owner.url("expenses"))
    return render(request, owner, "economics/remove.html", {"expense": expense})


@owner_view
@require_http_methods(["GET", "POST"])
def expense_import(request: HttpRequest, owner: Owner) -> HttpResponse:
    place = _place(owner)
    form = ImportForm(request.POST or None, request.FILES or None)
    labels = dict(ExpenseCategory.choices)
    context: dict[str, Any] = {
        "form": form, "categories": ExpenseCategory.choices,
        "words": services_actuals.category_words(),
    }  # fmt: skip
    if request.method == "POST" and form.is_valid():
        text, confirm = form.cleaned_data["text"], form.cleaned_data["confirm"]
        try:
            result = services_actuals.import_expenses(
                actor=request.user, place=place, text=text, dry_run=not confirm
            )
        except ValidationError as error:
            attach_error(form, error, BY_CODE)
        else:
            if confirm and not result.reading.refused:
                return redirect(owner.url("expenses"))
            replaced = result.replaced
            context |= {
                "reading": result.reading,
                "already": result.already,
                "fec": result.fec,
                "replaced": [(n, replaced[n]) for n in sorted(replaced)],
                "to_write": len(result.reading.lines) - (len(result.already) if result.fec else 0),
                "lines": [(line, labels[line.category]) for line in result.reading.lines],
                "carried": ImportForm(initial={"text": text, "confirm": True}),
            }
            if result.reading.refused:
                form.add_error("file", _refused_message(len(result.reading.refused)))
    return render(request, owner, "economics/import.html", context, form)


def _refused_message(count: int) -> str:
    return ngettext(
        "%(count)s line is refused: correct the file, nothing was imported.",
        "%(count)s lines are refused: correct the file, nothing was imported.",
        count,
    ) % {"count": count}


@owner_view
@require_http_methods(["GET", "POST"])
def grants(request: HttpRequest, owner: Owner) -> HttpResponse:
    """The grants with what was received of each; a POST adds a grant, or with `action`
    "link" / "unlink" links a funding received (in billing) to a grant or unlinks it."""
    place = _place(owner)
    action = request.POST.get("action") if request.method == "POST" else None
    action = action if action in ("link", "unlink") else "add"
    data = request.POST or None
    form = GrantForm(data if action == "add" else None)
    link = LinkForm(place, data if action == "link" else None)
    unlink = UnlinkForm(place, data if action == "unlink" else None)
    actor = request.user
    posted, write = {
        "add": (form, lambda d: services_actuals.add_grant(actor=actor, place=place, **d)),
        "link": (link, lambda d: services_actuals.link_funding(actor=actor, **d)),
        "unlink": (unlink, lambda d: services_actuals.unlink_funding(
            actor=actor, grant=d["funding"].grant, funding=d["funding"].funding)),
    }[action]  # fmt: skip
    if submit(request, posted, write, BY_CODE):
        return redirect(owner.url("grants"))
    received = Coalesce(Sum("receipts__funding__amount"), Decimal(0), output_field=DecimalField())
    agreed = Grant.objects.filter(place=place).annotate(received=received)
    receipts = GrantReceipt.objects.filter(grant__place=place).select_related("grant", "funding")
    context = {
        "form": form, "link": link, "unlink": unlink,
        "grants": [(g, max(g.amount - g.received, Decimal(0))) for g in agreed],
        "receipts": receipts.order_by("-funding__received_on", "-pk"),
    }  # fmt: skip
    return render(request, owner, "economics/grants.html", context, form, link, unlink)


@owner_view
@require_http_methods(["GET", "POST"])
def grant_remove(request: HttpRequest, owner: Owner, grant_id: int) -> HttpResponse:
    place = _place(owner)
    grant = get_object_or_404(Grant, place=place, pk=_key(grant_id))
    if request.method == "POST":
        services_actuals.remove_grant(actor=request.user, grant=grant)
        return redirect(owner.url("grants"))
    return render(request, owner, "economics/remove.html", {"grant": grant})
