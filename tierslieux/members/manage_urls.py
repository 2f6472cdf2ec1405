"""Catalogue, subscriptions and bill run pages of the back office (/manage/<slug>/members/)."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
