"""A coordinator, in a real headless Chromium and in French, runs a month of a place's billing
end to end: previews the bill run, confirms it, finds the invoices numbered in a row, records
a payment, downloads a Factur-X PDF, the SEPA direct-debit file and the FEC; the accountant's
files validate. A second confirmation of the month, from a tab left open, is refused."""

from __future__ import annotations

import importlib.util
from datetime import timedelta
from decimal import Decimal
from io import BytesIO
from pathlib import Path
from urllib.parse import quote

import facturx
import pytest
from django.db import connections
from django.urls import reverse
from lxml import etree

from tierslieux.billing.exports import FEC_COLUMNS
from tierslieux.billing.models import BillingProfile, Invoice
from tierslieux.billing.queries import local_today
from tierslieux.members.models import BillRun, Charge
from tierslieux.members.tests import factories as f

pytestmark = pytest.mark.browser

NS = {"p": "urn:iso:std:iso:20022:tech:xsd:pain.008.001.02"}
NAMES = ("Alice Bernard", "Bruno Chevalier", "Chloé Dubois")  # the invoices follow this order


def numbers_of(place) -> list[str]:
    numbers = list(
        Invoice.objects.filter(place=place)
        .exclude(number="")
        .order_by("sequence_number")
        .values_list("number", flat=True)
    )
    # While Playwright runs, ORM calls get a connection of their own (asgiref locals follow
    # the context); close it, or PostgreSQL refuses to drop the test database at the end.
    connections.close_all()
    return numbers


def pain_008_schema() -> etree.XMLSchema:
    spec = importlib.util.find_spec("sepaxml")
    assert spec is not None and spec.submodule_search_locations  # a dev dependency
    path = Path(next(iter(spec.submodule_search_locations))) / "schemas" / "pain.008.001.02.xsd"
    return etree.XMLSchema(etree.parse(str(path)))


def downloaded(page, click, tmp_path, name: str) -> tuple[str, bytes]:
    """(suggested file name, content) of the download `click` starts."""
    with page.expect_download() as info:
        click()
    target = tmp_path / name
    info.value.save_as(target)
    return info.value.suggested_filename, target.read_bytes()


def text_of(locator) -> str:
    """The element's text, its non-breaking spaces (before « € », « : ») made plain."""
    return locator.inner_text().replace("\xa0", " ").replace("\u202f", " ")


def amount(text: str) -> Decimal:
    return Decimal(text.replace(",", ".")) if text else Decimal(0)


def test_a_coordinator_runs_a_month_of_billing_and_the_accountant_s_files_validate(
    live_server, page, tmp_path
):
    place = f.place(name="La Fabrique", slug="la-fabrique")
    BillingProfile.objects.create(
        place=place,
        iban="FR1420041010050500013M02606",
        bic="PSSTFRPPLYO",
        sepa_creditor_id="FR72ZZZ123456",
    )
    boss = f.coordinator(place)
    month = local_today(place).replace(day=1)  # the current month: it has begun
    last_month = (month - timedelta(days=1)).replace(day=1)
    plan = f.product(place, "plan", name="Résident", price_net="150.00")
    customers = []
    for name in NAMES:
        person = f.user().person
        customer = f.customer(place, name=name, person=person)
        f.subscription(plan, person=person, customer=customer, start=last_month)
        customers.append(customer)
    alice, bruno, _chloe = customers
    alice.iban = "FR7630006000011234567890189"
    alice.bic = "AGRIFRPP882"
    alice.sepa_mandate_reference = "RUM-ALICE-1"
    alice.sepa_mandate_date = last_month
    alice.save()
    Charge.objects.create(
        place=place,
        customer=bruno,
        description="Location Salle Jaune — 2 heures",
        quantity=Decimal(2),
        unit="HUR",
        unit_price_net=Decimal("25.00"),
        tax_code="vat_20",
        service_date=month,
        source="test:room-hire",
    )
    connections.close_all()
    key = f"{month:%Y-%m}"
    preview = reverse("members_manage:bill_run", args=[place.slug, key])
    invoices = reverse("billing_manage:invoices", args=[place.slug])
    exports = reverse("billing_manage:exports", args=[place.slug])

    page.goto(f"{live_server.url}/accounts/login/?next={quote(preview, safe='')}")
    page.get_by_label("Adresse e-mail").fill(boss.email)
    page.get_by_label("Mot de passe").fill("correct horse battery")
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_url(f"**{preview}")

    # The preview: who is billed, and the total (3 × 180.00 + 60.00 incl. 20 % VAT).
    assert "aperçu" in page.get_by_role("heading", level=1).inner_text()
    for name in NAMES:
        assert page.get_by_role("heading", name=name).is_visible()
    summary = text_of(page.locator("main p", has_text="seraient émises"))
    assert "3 factures seraient émises (4 lignes), 600,00 € TTC." in summary
    assert (
        page.get_by_label("Date d’émission des factures").input_value() == f"{local_today(place)}"
    )
    connections.close_all()
    # A tab left open on the preview, to confirm the month a second time later.
    stale = page.context.new_page()
    stale.goto(f"{live_server.url}{preview}")

    page.get_by_role("button", name="Émettre 3 factures").click()
    page.wait_for_url(f"**{preview}")
    assert "3 factures émises." in text_of(page.locator(".messages"))
    numbers = ["F-000001", "F-000002", "F-000003"]
    assert numbers_of(place) == numbers
    run_table = page.locator("table", has=page.get_by_role("link", name="F-000001"))
    for number, name in zip(numbers, NAMES, strict=True):
        assert name in run_table.locator("tr", has_text=number).inner_text()

    # The SEPA file of the run: Alice's invoice only, valid against the bank's schema.
    filename, sepa = downloaded(
        page,
        page.get_by_role("button", name="Télécharger le fichier SEPA").click,
        tmp_path,
        "sepa.xml",
    )
    assert filename == f"sepa-{place.slug}-{key}.xml"
    doc = etree.fromstring(sepa)
    pain_008_schema().assertValid(doc)
    [tx] = doc.xpath("//p:DrctDbtTxInf", namespaces=NS)
    assert tx.xpath("string(p:PmtId/p:EndToEndId)", namespaces=NS) == "F-000001"
    assert tx.xpath("string(p:InstdAmt)", namespaces=NS) == "180.00"
    assert tx.xpath("string(p:DrctDbtTx/p:MndtRltdInf/p:MndtId)", namespaces=NS) == "RUM-ALICE-1"
    assert tx.xpath("string(p:Dbtr/p:Nm)", namespaces=NS) == "Alice Bernard"

    # The invoices list, then Chloé's invoice: a transfer settles it.
    page.goto(f"{live_server.url}{invoices}")
    listed = page.get_by_role("table", name="Factures et avoirs du lieu")
    for number in numbers:
        assert listed.get_by_role("link", name=number).is_visible()
    listed.get_by_role("link", name="F-000003").click()
    page.wait_for_url("**/invoices/*/")
    assert page.get_by_label("Montant reçu (€)").input_value() in ("180.00", "180,00")
    page.get_by_label("Montant reçu (€)").fill("180,00")
    page.get_by_label("Mode de paiement").select_option(label="Chèque")
    page.get_by_label("Référence").fill("Chèque n° 1234567")
    page.get_by_role("button", name="Enregistrer le paiement").click()
    page.wait_for_url("**/invoices/*/")
    assert "Le paiement de 180,00" in text_of(page.locator(".messages"))
    settlement = page.get_by_role("heading", name="Règlement").locator("xpath=following::dl[1]")
    assert "Reste dû\n0,00 € · Payée" in text_of(settlement)
    assert "Chèque n° 1234567" in page.get_by_role("table", name="Paiements").inner_text()

    # Its PDF, with the Factur-X XML inside, valid and holding the number.
    filename, pdf = downloaded(
        page, page.get_by_role("link", name="Télécharger le PDF").click, tmp_path, "invoice.pdf"
    )
    assert filename == "F-000003.pdf"
    assert pdf.startswith(b"%PDF")
    _name, xml = facturx.get_facturx_xml_from_pdf(BytesIO(pdf))
    assert facturx.xml_check_xsd(xml, flavor="factur-x", level="en16931")
    assert etree.fromstring(xml).xpath(
        "string(//*[local-name()='ExchangedDocument']/*[local-name()='ID'])"
    ) == ("F-000003")

    # The FEC of the year: 18 tab-separated columns, debits equal credits.
    page.goto(f"{live_server.url}{exports}")
    page.get_by_role("button", name="FEC (fichier des écritures comptables)").click()
    page.wait_for_url("**/exports/*/")  # the job's page: over at once, the file offered
    filename, fec = downloaded(
        page, page.locator("main a.button", has_text="Télécharger").click, tmp_path, "fec.txt"
    )
    assert filename == f"{place.siret[:9]}FEC{month:%Y}1231.txt"
    records = [r.split("\t") for r in fec.decode("iso-8859-15").rstrip("\r\n").split("\r\n")]
    assert records[0] == list(FEC_COLUMNS)
    assert all(len(record) == 18 for record in records)
    rows = [dict(zip(FEC_COLUMNS, record, strict=True)) for record in records[1:]]
    assert {r["PieceRef"] for r in rows} >= set(numbers)
    debit = sum(amount(r["Debit"]) for r in rows)
    credit = sum(amount(r["Credit"]) for r in rows)
    assert debit == credit == Decimal("600.00") + Decimal("180.00")  # sales, then the cheque

    # The month again, from the tab left on the preview: refused, nothing issued twice.
    stale.get_by_role("button", name="Émettre 3 factures").click()
    stale.wait_for_url(f"**{preview}")
    refusal = text_of(stale.locator(".messages"))
    assert refusal.startswith("La facturation mensuelle de ") and f"{month:%Y}" in refusal
    assert "3 factures ont alors été émises" in refusal and "Rien n’est émis deux fois" in refusal
    assert numbers_of(place) == numbers
    assert BillRun.objects.filter(place=place).count() == 1
    assert Invoice.objects.filter(place=place).count() == 3
    connections.close_all()
