"""The scenario pages: the list, new from a template, the scenario (verdict, figures, charts,
the drivers' form), the advanced TOML edit, duplicate, archive (asks first), compare."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.forms import BaseForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tierslieux.core import formatting
from tierslieux.economics import scenario as sc
from tierslieux.economics import services, templates_model, toml_text
from tierslieux.economics.forms import (
    TEMPLATE_LABELS,
    AdvancedForm,
    DriversForm,
    DuplicateForm,
    NewForm,
)
from tierslieux.economics.models import Scenario
from tierslieux.economics.report import Report, compare_chart
from tierslieux.economics.views.owner import Owner, owner_view, render

COMPARE_MAX = 4


def report_of(scenario: Scenario) -> Report:
    """The scenario's figures; `ScenarioError` when its saved data no longer reads (a rule of
    the reading made stricter since it was saved): the pages then send to the advanced edit."""
    return Report(sc.parse(scenario.data))


def problems_of(scenario: Scenario) -> list[tuple[str, str]]:
    try:
        sc.parse(scenario.data)
    except sc.ScenarioError as refusal:
        return refusal.errors
    return []


def attach(form: BaseForm, error: ValidationError, paths: dict[str, str] | None = None) -> None:
    """A service's refusal by field path onto the form: on the field the path names (through
    `paths`, field → path), else above the form with the path written out."""
    by_path = {path: name for name, path in (paths or {}).items()}
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for path, errors in error.error_dict.items():
        name = by_path.get(path, path if path in form.fields else "")
        for item in errors:
            if name:
                form.add_error(name, item)
            else:
                form.add_error(None, f"{path}{formatting.colon()} {' '.join(item.messages)}")


@owner_view
def scenario_list(request: HttpRequest, owner: Owner) -> HttpResponse:
    rows: list[dict[str, Any]] = []
    for scenario in owner.scenarios():
        try:
            report = report_of(scenario)
        except sc.ScenarioError:
            rows.append({"scenario": scenario, "verdict": None, "break_even": "—"})
            continue
        rows.append(
            {"scenario": scenario, "verdict": report.verdict, "break_even": report.break_even}
        )
    return render(request, owner, "economics/list.html", {"rows": rows})


@owner_view
@require_http_methods(["GET", "POST"])
def new(request: HttpRequest, owner: Owner) -> HttpResponse:
    form = NewForm(request.POST or None, initial={"start": services.next_month(owner.place)})
    if request.method == "POST" and form.is_valid():
        try:
            created = services.create_from_template(
                actor=request.user, place=owner.place, network=owner.network,
                **form.cleaned_data,
            )  # fmt: skip
        except ValidationError as error:
            attach(form, error)
        else:
            return redirect(owner.url("detail", created.pk))
    templates = []
    for name in templates_model.NAMES:
        _data, why = templates_model.template(name)
        templates.append({"name": name, "label": TEMPLATE_LABELS[name], "why": sorted(why.items())})
    return render(
        request, owner, "economics/new.html", {"form": form, "templates": templates}, form
    )


@owner_view
@require_http_methods(["GET", "POST"])
def detail(request: HttpRequest, owner: Owner, scenario_id: int) -> HttpResponse:
    scenario = owner.scenario(scenario_id)
    form = DriversForm(scenario.data, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_drivers(actor=request.user, scenario=scenario, values=form.values())
        except ValidationError as error:
            attach(form, error, form.paths)
        else:
            return redirect(owner.url("detail", scenario.pk) + "#verdict")
    try:
        report = report_of(scenario)
    except sc.ScenarioError:
        return redirect(owner.url("advanced", scenario.pk))
    link = ""
    if scenario.share_key:  # in full, to paste into an e-mail
        link = request.build_absolute_uri(reverse("economics:shared", args=[scenario.share_key]))
    context = {"scenario": scenario, "report": report, "form": form,
               "duplicate_form": DuplicateForm(), "share_link": link}  # fmt: skip
    return render(request, owner, "economics/detail.html", context, form)


@owner_view
@require_http_methods(["GET", "POST"])
def advanced(request: HttpRequest, owner: Owner, scenario_id: int) -> HttpResponse:
    scenario = owner.scenario(scenario_id)
    initial = {"project": scenario.project, "text": toml_text.dumps(scenario.data)}
    form = AdvancedForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.change_data(
                actor=request.user, scenario=scenario, data=form.cleaned_data["text"],
                project=form.cleaned_data["project"],
            )  # fmt: skip
        except ValidationError as error:
            attach(form, error, {"project": "project"})
        else:
            return redirect(owner.url("detail", scenario.pk))
    context = {"scenario": scenario, "form": form, "problems": problems_of(scenario)}
    return render(request, owner, "economics/advanced.html", context, form)


@owner_view
@require_POST
def duplicate(request: HttpRequest, owner: Owner, scenario_id: int) -> HttpResponse:
    scenario = owner.scenario(scenario_id)
    form = DuplicateForm(request.POST)
    if form.is_valid():
        try:
            copy_ = services.duplicate(
                actor=request.user, scenario=scenario, name=form.cleaned_data["name"]
            )
        except ValidationError as error:
            attach(form, error)
        else:
            return redirect(owner.url("detail", copy_.pk))
    context = {"scenario": scenario, "form": form}
    return render(request, owner, "economics/duplicate.html", context, form)


@owner_view
@require_http_methods(["GET", "POST"])
def archive(request: HttpRequest, owner: Owner, scenario_id: int) -> HttpResponse:
    scenario = owner.scenario(scenario_id)
    if request.method == "POST" and not scenario.archived:
        services.archive(actor=request.user, scenario=scenario)
        return redirect(owner.url("list"))
    return render(request, owner, "economics/archive.html", {"scenario": scenario})


@owner_view
def compare(request: HttpRequest, owner: Owner) -> HttpResponse:
    raw = request.GET.getlist("s")
    ids = {int(x) for x in raw if x.isdigit() and len(x) < 12}
    chosen = list(owner.scenarios().filter(pk__in=ids).order_by("pk")) if ids else []
    error = ""
    if len(chosen) != len(set(raw)) or not 2 <= len(chosen) <= COMPARE_MAX:
        error = _("Choose two to four of the scenarios listed here.")
    context: dict[str, Any] = {"error": error, "scenarios": owner.scenarios()}
    if not error:
        try:
            reports = [(s.name, report_of(s)) for s in chosen]
        except sc.ScenarioError:
            reports, error = [], _("One of these scenarios no longer reads: correct it first.")
            context["error"] = error
    if not error:
        columns = [(name, r.figures()) for name, r in reports]
        labels = [f.label for f in columns[0][1]]
        context |= {
            "columns": [
                {"scenario": s, "report": r} for s, (_n, r) in zip(chosen, reports, strict=True)
            ],
            "rows": [
                (
                    label,
                    columns[0][1][n].threshold,
                    [(name, figures[n]) for name, figures in columns],
                )
                for n, label in enumerate(labels)
            ],
            "chart": compare_chart(reports),
        }
    status = 422 if error and raw else 200
    response = render(request, owner, "economics/compare.html", context)
    response.status_code = status
    return response
