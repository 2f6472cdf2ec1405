"""The impact report pages' URLs, mounted by `impact.urls`: the back office's page, PDF and
publication (namespace `impact_manage`), the public page and PDF (namespace `impact`)."""

from django.urls import URLPattern, path

from tierslieux.impact.views import report

manage_urls: list[URLPattern] = [
    path("report/", report.manage_reports, name="reports"),
    path("report/<int:year>/", report.manage_report, name="report"),
    path("report/<int:year>.pdf", report.manage_pdf, name="report_pdf"),
    path("report/<int:year>/publish/", report.publish, name="report_publish"),
]
public_urls: list[URLPattern] = [
    path("<slug:slug>/<int:year>/", report.public_report, name="report"),
    path("<slug:slug>/<int:year>.pdf", report.public_pdf, name="report_pdf"),
]
