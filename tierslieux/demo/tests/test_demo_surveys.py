"""The demo's surveys: the micro-centre's mobility and satisfaction surveys have enough
anonymous answers to show their results, the modal split and the CO₂ estimate; the network
asks a town's inhabitants."""

from __future__ import annotations

from tierslieux.demo import data
from tierslieux.places.models import Network
from tierslieux.surveys import mobility_results, results
from tierslieux.surveys.models import Survey


def test_the_micro_centre_has_answered_surveys_with_results(demo):
    surveys = {s.template: s for s in Survey.objects.filter(place__slug=data.MICRO_CENTRE["slug"])}
    assert set(surveys) == {"mobility", "satisfaction"}
    mobility = surveys["mobility"]
    assert mobility.anonymous and mobility.status == Survey.Status.PUBLISHED
    assert mobility.responses.count() == 32 and surveys["satisfaction"].responses.count() == 18
    found = results.results(mobility)
    assert found.responses == 32 and not found.hidden
    panels = dict(mobility_results.extra_panels(mobility, None))
    assert len(panels) == 2 and all("moins de 5" not in html for html in panels.values())


def test_the_network_asks_a_town_s_inhabitants(demo):
    (survey,) = Survey.objects.filter(network=Network.objects.get(slug="demo"))
    assert survey.template == "inhabitants" and survey.status == Survey.Status.PUBLISHED
