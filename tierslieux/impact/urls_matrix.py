"""The impact matrix pages' URLs, mounted by `impact.urls` under
`/network/<network_slug>/impact/` (namespace `impact_network`)."""

from django.urls import URLPattern, path

from tierslieux.impact.views import matrix, matrix_downloads

network_urls: list[URLPattern] = [
    path("matrix/", matrix.matrix_page, name="matrix"),
    path("matrix/places/<slug:place_slug>/<int:year>/", matrix.matrix_place, name="matrix_place"),
    path(
        "matrix/impacts/<slug:impact_key>/<int:year>/",
        matrix.matrix_impact,
        name="matrix_impact",
    ),
    path("indicators/", matrix.indicators_page, name="indicators"),
    path("matrix.csv", matrix_downloads.matrix_csv, name="matrix_csv"),
    path("matrix.json", matrix_downloads.matrix_json, name="matrix_json"),
    path("indicators.csv", matrix_downloads.indicators_csv, name="indicators_csv"),
    path("indicators.json", matrix_downloads.indicators_json, name="indicators_json"),
]
