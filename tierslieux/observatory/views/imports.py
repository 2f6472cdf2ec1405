"""A network's census imports, for its administrators: upload a file with its source, read
the dry run line by line, import after a confirmation, follow the import.

The dry run is done on upload, in the request (5,000 lines in about a second, see the
benchmark): the administrator reads it at once. The import runs in the task worker; its
page refreshes itself while it waits or runs (no JavaScript needed)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tierslieux.core.forms import attach_error, form_status
from tierslieux.observatory import import_services, import_tasks
from tierslieux.observatory.import_models import CensusImport
from tierslieux.observatory.importing import mapping as mappings
from tierslieux.observatory.importing.plan import Action
from tierslieux.places import access
from tierslieux.places.models import Network, Place

LINES_PER_PAGE = 200


def action_labels() -> dict[str, str]:
    return {
        Action.CREATE: _("To create"),
        Action.UPDATE: _("To update"),
        Action.UNCHANGED: _("Unchanged"),
        Action.JOIN: _("Counted by the network (another network’s place)"),
        Action.REJECT: _("Rejected"),
    }


class UploadForm(forms.Form):
    mapping = forms.ChoiceField(label=gettext_lazy("Source"))
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV or GoGoCarto JSON, 10 MB at most."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(m.name, m.label) for m in mappings.available().values()]
        self.fields["mapping"].choices = choices  # type: ignore[attr-defined]


def _network(request: HttpRequest, network_slug: str) -> Network:
    network = get_object_or_404(Network, slug=network_slug)
    access.require_network_admin(request.user, network)
    return network


def _import(network: Network, pk: int) -> CensusImport:
    return get_object_or_404(CensusImport, network=network, pk=pk)


@login_required
@require_http_methods(["GET", "POST"])
def index(request: HttpRequest, network_slug: str) -> HttpResponse:
    network = _network(request, network_slug)
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            census_import = import_services.upload(
                actor=request.user,
                network=network,
                mapping_name=form.cleaned_data["mapping"],
                uploaded=form.cleaned_data["file"],
            )
        except ValidationError as error:
            attach_error(form, error, {"malformed": "file", "too_large": "file"})
        else:
            return redirect("imports:report", network.slug, census_import.pk)
    context = {
        "network": network,
        "form": form,
        "imports": CensusImport.objects.filter(network=network)[:20],
        "mappings": mappings.available().values(),
    }
    return render(request, "observatory/import_index.html", context, status=form_status(form))


@login_required
def report(request: HttpRequest, network_slug: str, import_id: int) -> HttpResponse:
    network = _network(request, network_slug)
    census_import = _import(network, import_id)
    data = census_import.report or {}
    lines = data.get("lines", [])
    shown = request.GET.get("action", "")
    labels = action_labels()
    if shown in labels:
        lines = [line for line in lines if line["action"] == shown]
    else:
        shown = ""
    page = Paginator(lines, LINES_PER_PAGE).get_page(request.GET.get("page"))
    done = census_import.status == CensusImport.Status.DONE
    page.object_list = [_shown(line, labels, done) for line in page.object_list]
    counts = data.get("counts", {})
    context = {
        "network": network,
        "census_import": census_import,
        "source_label": data.get("label", census_import.mapping),
        "counts": [(key, labels[key], counts.get(key, 0)) for key in labels],
        "warnings": sum(1 for line in data.get("lines", []) if line["warnings"]),
        "shown": shown,
        "page": page,
        "shown_label": labels.get(shown, ""),
    }
    return render(request, "observatory/import_report.html", context)


def field_label(name: str) -> str:
    if name == "external_id":
        return _("id in the source’s register")
    try:
        return str(getattr(Place._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def _shown(line: dict[str, Any], labels: dict[str, str], done: bool) -> dict[str, Any]:
    """A report line as the page shows it: its action's label, its changes' field labels, a
    link to the place when it exists (a place to create has its page once imported)."""
    changes = line.get("changes", {})
    exists = line["action"] != Action.REJECT and (done or line["action"] != Action.CREATE)
    return {
        **line,
        "link": bool(line.get("place")) and exists,
        "label": labels.get(line["action"], line["action"]),
        "shown_changes": [
            (field_label(name), old or "—", new) for name, (old, new) in changes.items()
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, network_slug: str, import_id: int) -> HttpResponse:
    network = _network(request, network_slug)
    census_import = _import(network, import_id)
    error = None
    if request.method == "POST":
        try:
            census_import, new = import_services.start(
                actor=request.user, census_import=census_import
            )
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            if new:
                _hand_over(census_import)
            return redirect("imports:report", network.slug, census_import.pk)
    counts = census_import.report.get("counts", {})
    context = {
        "network": network,
        "census_import": census_import,
        "counts": [(key, label, counts.get(key, 0)) for key, label in action_labels().items()],
        "error": error,
    }
    return render(request, "observatory/import_confirm.html", context, status=422 if error else 200)


def _hand_over(census_import: CensusImport) -> None:
    """A queue that refuses the task fails the import at once (never "waiting" forever)."""
    try:
        import_tasks.apply_import.enqueue(census_import.pk)
    except Exception as error:
        import_services.fail(
            census_import.pk, _("The work could not be queued: %(error)s") % {"error": error}
        )
