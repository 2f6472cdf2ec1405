"""The directory's text search ignores case and accents, in the pages and the API, on SQLite
and on PostgreSQL alike (`core.search`)."""

from tierslieux.places.tests import factories as f


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
