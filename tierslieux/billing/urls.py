"""Billing pages of the back office (mounted under /manage/<slug>/billing/, namespace
"billing_manage"); every one needs `Perm.MANAGE_BILLING` on the place."""

from django.urls import URLPattern, path

from tierslieux.billing import views, views_customers, views_exports, views_invoices, views_settings

urlpatterns: list[URLPattern] = [
    path("", views_invoices.invoices, name="invoices"),
    path("invoices/csv/", views_invoices.invoices_csv_view, name="invoices_csv"),
    path("invoices/xlsx/", views_invoices.invoices_xlsx_view, name="invoices_xlsx"),
    path("invoices/new/", views_invoices.invoice_new, name="invoice_new"),
    path("invoices/<int:invoice_id>/", views_invoices.invoice, name="invoice"),
    path("invoices/<int:invoice_id>/edit/", views_invoices.invoice_edit, name="invoice_edit"),
    path("invoices/<int:invoice_id>/issue/", views_invoices.issue, name="invoice_issue"),
    path("invoices/<int:invoice_id>/delete/", views_invoices.delete, name="invoice_delete"),
    path(
        "invoices/<int:invoice_id>/payment/",
        views_invoices.record_payment,
        name="invoice_payment",
    ),
    path(
        "invoices/<int:invoice_id>/apply-credit/",
        views_invoices.apply_credit,
        name="invoice_apply_credit",
    ),
    path(
        "invoices/<int:invoice_id>/credit-note/",
        views_invoices.credit_note,
        name="invoice_credit_note",
    ),
    path("invoices/<int:invoice_id>/send/", views_invoices.send, name="invoice_send"),
    path("invoices/<int:invoice_id>/pdf/", views_invoices.invoice_pdf, name="invoice_pdf"),
    path("invoices/<int:invoice_id>/xml/", views_invoices.invoice_xml, name="invoice_xml"),
    path("customers/", views_customers.customers, name="customers"),
    path("customers/new/", views_customers.customer_new, name="customer_new"),
    path("customers/<int:customer_id>/", views_customers.customer, name="customer"),
    path("customers/<int:customer_id>/edit/", views_customers.customer_edit, name="customer_edit"),
    path(
        "customers/<int:customer_id>/payment/",
        views_customers.customer_payment,
        name="customer_payment",
    ),
    path("payments/", views.payments, name="payments"),
    path("exports/", views_exports.exports, name="exports"),
    path("exports/fec/", views_exports.export_fec, name="export_fec"),
    path("exports/invoices.csv", views_exports.export_invoices_csv, name="export_invoices_csv"),
    path("exports/payments.csv", views_exports.export_payments_csv, name="export_payments_csv"),
    path("exports/workbook.xlsx", views_exports.export_xlsx, name="export_xlsx"),
    path("exports/close/", views_exports.close_period, name="close_period"),
    path("fundings/", views.fundings, name="fundings"),
    path("settings/", views_settings.settings, name="settings"),
    path("settings/logo/", views_settings.settings_logo, name="settings_logo"),
]
