"""The economic model's URLs: a place's scenarios (`manage_urls`, under
`/manage/<slug>/economics/`, namespace `economics_manage`) and a network's project scenarios
(`network_urls`, under `/network/<network_slug>/economics/`, namespace `economics_network`).
The same views serve both: the URL's `slug` or `network_slug` names the owner."""

from django.urls import URLPattern, path

from tierslieux.economics.views import actuals, exports, handover, scenarios, shared

_patterns = [
    ("", scenarios.scenario_list, "list"),
    ("new/", scenarios.new, "new"),
    ("compare/", scenarios.compare, "compare"),
    ("<int:scenario_id>/", scenarios.detail, "detail"),
    ("<int:scenario_id>/advanced/", scenarios.advanced, "advanced"),
    ("<int:scenario_id>/duplicate/", scenarios.duplicate, "duplicate"),
    ("<int:scenario_id>/archive/", scenarios.archive, "archive"),
    ("<int:scenario_id>/scenario.xlsx", exports.xlsx, "xlsx"),
    ("<int:scenario_id>/summary.pdf", exports.pdf, "pdf"),
    ("<int:scenario_id>/share/", shared.share, "share"),
]
manage_urls: list[URLPattern] = [path(route, view, name=name) for route, view, name in _patterns]
network_urls: list[URLPattern] = [path(route, view, name=name) for route, view, name in _patterns]
# A network's project handed over to the place it became.
network_urls += [
    path("<int:scenario_id>/hand-over/", handover.hand_over, name="hand_over"),
]

# A running place's actuals and ledger: a place's pages only (a network's projects have none).
manage_urls += [
    path("<int:scenario_id>/actuals/", actuals.compare, name="actuals"),
    path("expenses/", actuals.expenses, name="expenses"),
    path("expenses/import/", actuals.expense_import, name="expense_import"),
    path("expenses/<int:expense_id>/remove/", actuals.expense_remove, name="expense_remove"),
    path("grants/", actuals.grants, name="grants"),
    path("grants/<int:grant_id>/remove/", actuals.grant_remove, name="grant_remove"),
]

# A scenario read through its read-only link, without an account (namespace `economics`).
public_urls: list[URLPattern] = [
    path("shared/<str:share_key>/", shared.read, name="shared"),
    path("shared/<str:share_key>/summary.pdf", shared.summary, name="shared_pdf"),
]
