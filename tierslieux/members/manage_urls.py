"""Catalogue, subscriptions and bill run pages of the back office (/manage/<slug>/members/)."""

from django.urls import URLPattern, path

from tierslieux.members import manage_billrun, manage_catalogue, manage_subscriptions, manage_views

urlpatterns: list[URLPattern] = [
    path("", manage_views.home, name="home"),
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
    path("credits/", manage_views.credits, name="credits"),
    path("credits/<int:person_id>/", manage_views.person_credits, name="person_credits"),
    path("billing-runs/", manage_billrun.bill_runs, name="bill_runs"),
    path("billing-runs/<int:run_id>/sepa/", manage_billrun.bill_run_sepa, name="bill_run_sepa"),
    path("billing-runs/<str:month>/", manage_billrun.bill_run, name="bill_run"),
    path(
        "billing-runs/<str:month>/confirm/",
        manage_billrun.bill_run_confirm,
        name="bill_run_confirm",
    ),
]
