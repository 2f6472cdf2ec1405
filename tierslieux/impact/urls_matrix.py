"""The impact matrix pages' URLs, mounted by `impact.urls`."""

from django.urls import URLPattern

network_urls: list[URLPattern] = []
