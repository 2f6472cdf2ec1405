"""The member portal: my plan, my credits, my invoices, buy a pass (/me/<slug>/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
