"""Billing's URLs, mounted twice by `tierslieux/urls.py`:

- `manage_urls`: the billing back office (/manage/<slug>/billing/, namespace "billing_manage");
- `revenue_urls`: the revenue dashboard (/manage/<slug>/revenue/, namespace "revenue").

Every page needs `Perm.MANAGE_BILLING` on the place."""

from django.urls import URLPattern, path

from tierslieux.billing.views import (
    manage,
    manage_customers,
    manage_drafts,
    manage_exports,
    manage_invoices,
    manage_revenue,
    manage_settings,
)

manage_urls: list[URLPattern] = [
    path("", manage_invoices.invoices, name="invoices"),
    path("invoices/csv/", manage_invoices.invoices_csv_view, name="invoices_csv"),
    path("invoices/xlsx/", manage_invoices.invoices_xlsx_view, name="invoices_xlsx"),
    path("invoices/new/", manage_drafts.invoice_new, name="invoice_new"),
    path("invoices/<int:invoice_id>/", manage_invoices.invoice, name="invoice"),
    path("invoices/<int:invoice_id>/edit/", manage_drafts.invoice_edit, name="invoice_edit"),
    path("invoices/<int:invoice_id>/issue/", manage_drafts.issue, name="invoice_issue"),
    path("invoices/<int:invoice_id>/delete/", manage_drafts.delete, name="invoice_delete"),
    path(
        "invoices/<int:invoice_id>/payment/",
        manage_invoices.record_payment,
        name="invoice_payment",
    ),
    path(
        "invoices/<int:invoice_id>/apply-credit/",
        manage_invoices.apply_credit,
        name="invoice_apply_credit",
    ),
    path(
        "invoices/<int:invoice_id>/credit-note/",
        manage_invoices.credit_note,
        name="invoice_credit_note",
    ),
    path("invoices/<int:invoice_id>/send/", manage_invoices.send, name="invoice_send"),
    path("invoices/<int:invoice_id>/pdf/", manage_invoices.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:invoice_id>/xml/", manage_invoices.invoice_xml, name="invoice_xml"),
    path("customers/", manage_customers.customers, name="customers"),
    path("customers/new/", manage_customers.customer_new, name="customer_new"),
    path("customers/<int:customer_id>/", manage_customers.customer, name="customer"),
    path("customers/<int:customer_id>/edit/", manage_customers.customer_edit, name="customer_edit"),
    path(
        "customers/<int:customer_id>/payment/",
        manage_customers.customer_payment,
        name="customer_payment",
    ),
    path("payments/", manage.payments, name="payments"),
    path("exports/", manage_exports.exports, name="exports"),
    path("exports/new/", manage_exports.export_start, name="export_start"),
    path("exports/<int:job_id>/", manage_exports.export_job, name="export_job"),
    path("exports/<int:job_id>/file/", manage_exports.export_file, name="export_file"),
    path("exports/close/", manage_exports.close_period, name="close_period"),
    path("fundings/", manage.fundings, name="fundings"),
    path("settings/", manage_settings.settings, name="settings"),
    path("settings/logo/", manage_settings.settings_logo, name="settings_logo"),
]

revenue_urls: list[URLPattern] = [path("", manage_revenue.dashboard, name="dashboard")]
