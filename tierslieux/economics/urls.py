"""The economic model's URLs: a place's scenarios (`manage_urls`, under
`/manage/<slug>/economics/`, namespace `economics_manage`) and a network's project scenarios
(`network_urls`, under `/network/<network_slug>/economics/`, namespace `economics_network`)."""

from django.urls import URLPattern

manage_urls: list[URLPattern] = []
network_urls: list[URLPattern] = []
