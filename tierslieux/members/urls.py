"""The members app's URLs: the back office (`manage_urls`, mounted at /manage/<slug>/members/
in the namespace `members_manage`) and the member portal (`portal_urls`, mounted at
/me/<slug>/ in the namespace `portal`)."""

from django.urls import URLPattern, path

from tierslieux.members.views import (
    manage,
    manage_billrun,
    manage_catalogue,
    manage_subscriptions,
    portal,
)

manage_urls: list[URLPattern] = [
    path("", manage.home, name="home"),
    path("catalogue/", manage_catalogue.catalogue_page, name="catalogue"),
    path("catalogue/new/", manage_catalogue.product_new, name="product_new"),
    path("catalogue/<int:product_id>/", manage_catalogue.product_edit, name="product_edit"),
    path(
        "catalogue/<int:product_id>/archive/",
        manage_catalogue.product_archive,
        name="product_archive",
    ),
    path("rates/", manage_catalogue.rates, name="rates"),
    path("subscriptions/", manage_subscriptions.subscriptions, name="subscriptions"),
    path("subscriptions/new/", manage_subscriptions.subscription_new, name="subscription_new"),
    path(
        "subscriptions/<int:subscription_id>/",
        manage_subscriptions.subscription,
        name="subscription",
    ),
    path("credits/", manage.credits, name="credits"),
    path("credits/<int:person_id>/", manage.person_credits, name="person_credits"),
    path("billing-runs/", manage_billrun.bill_runs, name="bill_runs"),
    path("billing-runs/<int:run_id>/sepa/", manage_billrun.bill_run_sepa, name="bill_run_sepa"),
    path("billing-runs/<str:month>/", manage_billrun.bill_run, name="bill_run"),
    path(
        "billing-runs/<str:month>/confirm/",
        manage_billrun.bill_run_confirm,
        name="bill_run_confirm",
    ),
    path(
        "billing-runs/<str:month>/jobs/<int:job_id>/",
        manage_billrun.bill_run_job,
        name="bill_run_job",
    ),
]

portal_urls: list[URLPattern] = [
    path("", portal.home, name="home"),
    path("plan/", portal.plan, name="plan"),
    path("credits/", portal.credits, name="credits"),
    path("invoices/", portal.invoices, name="invoices"),
    path("invoices/<int:invoice_id>/pdf/", portal.invoice_pdf, name="invoice_pdf"),
    path("buy/", portal.buy, name="buy"),
]
