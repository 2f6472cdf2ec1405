"""The impact indicators' and the yearly assessment's URLs, mounted by `impact.urls` under
`/manage/<slug>/impact/` (namespace `impact_manage`)."""

from django.urls import URLPattern, path

from tierslieux.impact.views import assessment, indicators

manage_urls: list[URLPattern] = [
    path("indicators/", indicators.page, name="indicators"),
    path("indicators.csv", indicators.as_csv, name="indicators_csv"),
    path("indicators.json", indicators.as_json, name="indicators_json"),
    path("assessments/", assessment.years, name="assessments"),
    path("assessments/<int:year>/", assessment.assessment, name="assessment"),
    path("assessments/<int:year>/confirm/", assessment.confirm, name="assessment_confirm"),
    path("assessments/<int:year>/reopen/", assessment.reopen, name="assessment_reopen"),
    path(
        "assessments/<int:year>/impacts/<slug:impact_key>/figures/new/",
        assessment.figure_new,
        name="team_figure_new",
    ),
    path(
        "assessments/<int:year>/figures/<int:figure_id>/remove/",
        assessment.figure_remove,
        name="team_figure_remove",
    ),
]
