"""The surveys' URLs: the public answer pages (`/s/…`), and the same back-office pages for a
place (`/manage/<slug>/surveys/`, namespace `surveys_manage`) and for a network
(`/network/<network_slug>/surveys/`, namespace `surveys_network`): their views take `slug` or
`network_slug` and find the owner with `views.owner.resolve`."""

from tierslieux.surveys.views import builder, collect, results

public_urls = [*collect.public_urls]
owner_urls = [*builder.owner_urls, *collect.owner_urls, *results.owner_urls]
