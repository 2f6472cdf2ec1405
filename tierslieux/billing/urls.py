"""Billing pages of the back office (mounted under /manage/<slug>/billing/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
