"""The member portal: my plan, my credits, my invoices, buy a pass (/me/<slug>/)."""

from django.urls import path

from tierslieux.members import portal_views as views

urlpatterns = [
    path("", views.home, name="home"),
    path("plan/", views.plan, name="plan"),
    path("credits/", views.credits, name="credits"),
    path("invoices/", views.invoices, name="invoices"),
    path("invoices/<int:invoice_id>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("buy/", views.buy, name="buy"),
]
