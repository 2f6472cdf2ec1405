"""The impact report pages' URLs, mounted by `impact.urls`."""

from django.urls import URLPattern

manage_urls: list[URLPattern] = []
public_urls: list[URLPattern] = []
