"""The security headers every page carries (CSP, Permissions-Policy, …), the production
settings (HSTS, HTTPS only) and the check that refuses a weak SECRET_KEY."""

from __future__ import annotations

import re
import runpy
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from tierslieux.bookings.models import Booking
from tierslieux.bookings.tests.factories import at, open_every_day, room, rules
from tierslieux.web.apps import WebConfig
from tierslieux.web.checks import check_secret_key
from tierslieux.web.middleware import permissions_policy

STRONG_KEY = "k3Y-" + "".join(chr(ord("a") + i % 26) + str(i % 10) for i in range(30))
TEMPLATE_DIRS = sorted(Path(django_settings.BASE_DIR, "tierslieux").glob("*/templates"))


def directives(header: str) -> dict[str, list[str]]:
    parts = (part.strip().split() for part in header.split(";") if part.strip())
    return {words[0]: words[1:] for words in parts}


def test_every_page_carries_a_strict_content_security_policy(client):
    page = client.get(reverse("places:directory"))
    assert page.status_code == 200
    policy = directives(page["Content-Security-Policy"])
    assert policy["default-src"] == ["'self'"]
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]  # no nonce where the page does not use one
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["form-action"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"]
    assert "unsafe-inline" not in page["Content-Security-Policy"]
    assert "unsafe-eval" not in page["Content-Security-Policy"]


def test_the_other_security_headers(client):
    page = client.get(reverse("places:directory"))
    assert page["Permissions-Policy"] == (
        "camera=(), microphone=(), geolocation=(), payment=(), usb=()"
    )
    assert page["Referrer-Policy"] == "same-origin"
    assert page["Cross-Origin-Opener-Policy"] == "same-origin"
    assert page["X-Content-Type-Options"] == "nosniff"
    assert page["X-Frame-Options"] == "DENY"


def test_permissions_policy_names_allowed_origins():
    assert permissions_policy({"geolocation": ["self", "https://a.example"], "usb": []}) == (
        'geolocation=(self "https://a.example"), usb=()'
    )


def test_the_calendar_positions_its_blocks_from_a_nonced_stylesheet(client, place, member, clock):
    clock.set(at("2026-12-01", 9))
    open_every_day(place)
    space = room(place, name="Salle Jaune", slug="salle-jaune")
    rules(space)
    Booking.objects.create(
        place=place,
        space=space,
        person=member.person,
        start=at("2027-01-13", 10),
        end=at("2027-01-13", 11, 30),
        status=Booking.Status.CONFIRMED,
        exclusive=True,
    )
    client.force_login(member)
    page = client.get(reverse("bookings:calendar", args=[place.slug]), {"date": "2027-01-13"})
    html = page.content.decode()
    (nonce,) = re.findall(
        r"'nonce-([^']+)'", directives(page["Content-Security-Policy"])["style-src"][1]
    )
    assert f'<style nonce="{nonce}">' in html
    assert 'style="' not in html
    block_ids = re.findall(r'<li class="block block-\w+" id="(cal-b[\d-]+)"', html)
    assert len(block_ids) >= 2  # the booking and the free time around it
    stylesheet = html.split(f'<style nonce="{nonce}">', 1)[1].split("</style>", 1)[0]
    for block_id in block_ids:
        assert re.search(rf"#{block_id}\{{ left:[\d.]+%;width:[\d.]+%;", stylesheet)


@pytest.mark.pure
def test_no_template_has_an_inline_script_or_style_attribute():
    offenders = []
    for folder in TEMPLATE_DIRS:
        for path in folder.rglob("*.html"):
            if path.name.endswith("_pdf.html"):  # rendered by WeasyPrint, never by a browser
                continue
            text = path.read_text()
            scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", text)
            executable = [s for s in scripts if "application/ld+json" not in s and "json" not in s]
            if executable or 'style="' in text or "<style>" in text or re.search(r"\son\w+=", text):
                offenders.append(str(path.relative_to(django_settings.BASE_DIR)))
    assert offenders == []


def production_settings(monkeypatch: pytest.MonkeyPatch, **env: str) -> dict:
    """The settings module as a production process reads it."""
    monkeypatch.setenv("DEBUG", "0")
    monkeypatch.setenv("SECRET_KEY", STRONG_KEY)
    monkeypatch.setenv("ALLOWED_HOSTS", "tierslieux.example.org")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(Path(django_settings.BASE_DIR, "tierslieux", "settings.py")))


@pytest.mark.pure
def test_production_turns_on_hsts_and_https_only(monkeypatch):
    prod = production_settings(monkeypatch, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert prod["SECURE_HSTS_SECONDS"] >= 31_536_000
    assert prod["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True and prod["SECURE_HSTS_PRELOAD"] is True
    assert prod["SECURE_SSL_REDIRECT"] is True
    assert prod["SESSION_COOKIE_SECURE"] is True and prod["CSRF_COOKIE_SECURE"] is True
    assert prod["SECURE_PROXY_SSL_HEADER"] == ("HTTP_X_FORWARDED_PROTO", "https")
    assert "CONTENT_SECURITY_POLICY" in prod and "CONTENT_SECURITY_POLICY_REPORT_ONLY" not in prod


@pytest.mark.pure
def test_the_policy_can_be_tried_in_report_only_mode(monkeypatch):
    prod = production_settings(
        monkeypatch, CSP_REPORT_ONLY="1", CSP_REPORT_URI="https://reports.example.org/csp"
    )
    assert "CONTENT_SECURITY_POLICY" not in prod
    policy = prod["CONTENT_SECURITY_POLICY_REPORT_ONLY"]["DIRECTIVES"]
    assert policy["report-uri"] == ["https://reports.example.org/csp"]


@pytest.mark.pure
@pytest.mark.parametrize(
    ("key", "why"),
    [
        ("short-key", "has 9 characters"),
        ("ab" * 40, "only 2 different characters"),
        ("django-insecure-" + STRONG_KEY, "development key"),
    ],
)
def test_production_refuses_a_weak_secret_key(settings, key, why):
    settings.DEBUG = False
    settings.SECRET_KEY = key
    (error,) = check_secret_key()
    assert error.id == "tierslieux.E001" and why in error.msg
    assert "secrets.token_urlsafe" in error.hint
    import tierslieux.web as web_module

    with pytest.raises(ImproperlyConfigured, match=why):
        WebConfig("tierslieux.web", web_module).ready()


@pytest.mark.pure
def test_a_random_key_passes_and_development_is_not_checked(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = STRONG_KEY
    assert check_secret_key() == []
    settings.DEBUG = True
    settings.SECRET_KEY = "x"
    assert check_secret_key() == []
