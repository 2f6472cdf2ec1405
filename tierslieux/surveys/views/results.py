"""Placeholder until the results pages land."""

from django.urls import URLPattern

public_urls: list[URLPattern] = []
owner_urls: list[URLPattern] = []
