"""The demo's census: the moderation queue has something to show, the duplicate search too,
and the declarations are what the public form would have accepted."""

from __future__ import annotations

from tierslieux.observatory import census_queries, census_services
from tierslieux.observatory.models import Declaration
from tierslieux.places.models import Network


def test_the_queue_waits_with_a_new_place_and_a_likely_duplicate(demo):
    network = Network.objects.get(slug="demo")
    queue = dict(census_queries.queue(network))
    names = {d.name: d for d in queue}
    assert set(names) == {"Le Plateau partagé", "Quincaillerie numérique"}
    assert queue[names["Le Plateau partagé"]] == []
    found = [dup.match.candidate.name for dup in queue[names["Quincaillerie numérique"]]]
    assert found[0] == "La Quincaillerie"


def test_the_demo_declarations_pass_the_forms_rules(demo):
    for declaration in Declaration.objects.filter(network__slug="demo"):
        census_services._validate(
            {k: v for k, v in declaration.sheet.items() if k != "categories"},
            census_services.declared_categories(declaration),
        )
