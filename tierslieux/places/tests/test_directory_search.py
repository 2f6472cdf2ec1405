"""The directory's text search ignores case and accents, in the pages and the API, on SQLite
and on PostgreSQL alike (`core.search`)."""

from tierslieux.places.tests import factories as f
from tierslieux.places.views.public import PER_PAGE


def test_the_directory_finds_places_whatever_the_case_and_accents(client):
    f.place(name="La Quincaillerie", commune="Guéret")
    f.place(name="Cœur de Bourg", commune="Aubusson", description="Un café associatif")
    f.place(name="TerraLab", commune="Arles")
    for text, found in [
        ("gueret", "La Quincaillerie"),
        ("GUÉRET", "La Quincaillerie"),
        ("quincaillerie", "La Quincaillerie"),
        ("coeur", "Cœur de Bourg"),
        ("CAFE", "Cœur de Bourg"),
        ("  terra ", "TerraLab"),
    ]:
        page = client.get("/", {"q": text}).content.decode()
        shown = [name for name in ("La Quincaillerie", "Cœur de Bourg", "TerraLab") if name in page]
        assert shown == [found], text


def test_the_api_searches_the_same_way(client):
    f.place(name="Cœur de Bourg", commune="Guéret")
    f.place(name="TerraLab", commune="Arles")
    for text in ("coeur", "GUERET", "cŒUR de"):
        found = client.get("/api/v1/places", {"q": text}).json()["items"]
        assert [p["name"] for p in found] == ["Cœur de Bourg"], text


def test_a_long_directory_comes_in_pages_that_keep_the_filters(client):
    for n in range(PER_PAGE + 5):
        f.place(name=f"Atelier {n:02d}", commune="Guéret", slug=f"atelier-{n:02d}")
    f.place(name="Ailleurs", commune="Arles")
    first = client.get("/", {"commune": "Guéret"})
    html = first.content.decode()
    assert first.context["page"].paginator.count == PER_PAGE + 5
    assert "Atelier 00" in html and f"Atelier {PER_PAGE:02d}" not in html
    assert f"{PER_PAGE + 5} lieux" in html or f"{PER_PAGE + 5} places" in html
    assert 'rel="next" href="?commune=Gu%C3%A9ret&amp;page=2"' in html
    second = client.get("/", {"commune": "Guéret", "page": "2"}).content.decode()
    assert f"Atelier {PER_PAGE + 4:02d}" in second and "Atelier 00" not in second
    assert "Ailleurs" not in second
    for absurd in ("0", "-3", "9999", "deux", "1e9", "%00"):  # the nearest page, never a 500
        assert client.get("/", {"page": absurd}).status_code == 200
