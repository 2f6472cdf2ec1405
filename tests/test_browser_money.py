"""A member, in a real headless Chromium, buys a day pass from the portal's shop, is shown
the invoice's number, downloads its PDF, and the PDF holds that number and the total."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connections
from playwright.sync_api import expect
from pypdf import PdfReader

from tierslieux.billing.models import Invoice
from tierslieux.members.models import Pass
from tierslieux.members.tests import factories as mf
from tierslieux.places.tests import factories as f

pytestmark = pytest.mark.browser


def invoices_of(person) -> list[tuple[str, str]]:
    rows = [
        (number, str(total))
        for number, total in Invoice.objects.filter(customer__person=person).values_list(
            "number", "total_gross"
        )
    ]
    # While Playwright runs, ORM calls get a connection of their own (asgiref locals follow
    # the context); close it, or PostgreSQL refuses to drop the test database at the end.
    connections.close_all()
    return rows


def pdf_text(pdf: bytes) -> str:
    return " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)


def test_a_member_buys_a_day_pass_and_downloads_its_invoice(live_server, page, tmp_path):
    place = mf.place(name="La Fabrique")
    mf.coordinator(place)
    day_pass = mf.product(place, "pass", name="Pass journée", price_net="15.00")
    mf.product(place, "pack", name="Carnet 10 heures")
    # English pages (the assertions read the source strings); the invoice speaks English too.
    member = f.with_role(f.user(language="en"), place, "member")
    person = member.person
    connections.close_all()
    shop = f"/me/{place.slug}/buy/"

    page.goto(f"{live_server.url}/accounts/login/?next={quote(shop, safe='')}")
    page.get_by_label("Adresse e-mail").fill(member.email)
    page.get_by_label("Mot de passe").fill("correct horse battery")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{shop}")
    # Says what the page shows instead, should the shop not be there.
    expect(page.locator("h1")).to_have_text("Buy", timeout=30_000)

    offer = page.locator(f"#product-{day_pass.pk}")
    assert "15.00" in offer.inner_text()
    assert offer.get_by_label("Starts on").input_value()  # today, prefilled
    offer.get_by_role("button", name="Buy Pass journée").click()

    # Buying issues an invoice: the page says what it will be and asks first.
    page.wait_for_url(f"**{shop}")
    expect(page.locator("h1")).to_have_text("Confirm your purchase")
    assert "18.00" in page.locator("#purchase").inner_text()  # the total including tax
    assert invoices_of(person) == []
    page.get_by_role("button", name="Confirm the purchase").click()

    page.wait_for_url(f"**/me/{place.slug}/invoices/**")
    [(number, total)] = invoices_of(person)
    assert total == "18.00"  # 15.00 + 20 % VAT
    assert f"Your invoice {number} is ready." in page.locator(".messages").inner_text()
    assert number in page.locator("#fresh-invoice").inner_text()

    with page.expect_download() as download_info:
        page.get_by_role("link", name=f"Download invoice {number} (PDF)").click()
    download = download_info.value
    assert download.suggested_filename == f"{number}.pdf"
    target = tmp_path / "invoice.pdf"
    download.save_as(target)
    pdf = Path(target).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert number in text
    assert "18.00" in text
    assert Pass.objects.filter(person=person, product=day_pass).count() == 1
    connections.close_all()
