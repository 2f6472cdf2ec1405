"""The impact assessment pages' URLs, mounted by `impact.urls`."""

from django.urls import URLPattern

manage_urls: list[URLPattern] = []
