"""The exports page: the FEC (18 tab-separated columns, named SIREN + FEC + closing date),
CSV and XLSX of a period (each built by a job, then downloaded), and closing periods."""

from __future__ import annotations

import io
from datetime import date

import pytest
from django.conf import settings
from django.urls import reverse
from openpyxl import load_workbook

from tierslieux.billing import services
from tierslieux.billing.exports import FEC_COLUMNS
from tierslieux.billing.models import ClosedPeriod, Invoice
from tierslieux.billing.tests import factories as f

TODAY = date(2027, 3, 1)
SIXTY = [("Bureau fermé, janvier", "1", "50.00", "vat_20")]
PERIOD = {"start": "2027-01-01", "end": "2027-12-31"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def _today(clock):
    """The pages read "today" in the place's time zone: fixed, so "overdue" is stable."""
    clock.set(TODAY)


@pytest.fixture
def team(client, coordinator):
    """The place's coordinator, logged in."""
    client.force_login(coordinator)
    return client


@pytest.fixture
def books(place, coordinator):
    customer = f.customer(place, name="Association Les Amis")
    january = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 1, 10))
    march = f.issued(coordinator, customer, SIXTY, issue_date=date(2027, 3, 1))
    services.record_payment(
        actor=coordinator,
        customer=customer,
        amount="60.00",
        method="transfer",
        date=date(2027, 1, 20),
    )
    f.draft(customer)
    return {"january": january, "march": march, "customer": customer}


def url(name, place, *args):
    return reverse(f"billing_manage:{name}", args=[place.slug, *args])


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """The files made are kept under MEDIA_ROOT: a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


def export(client, place, fmt, period):
    """Ask for the file (its job runs at once with the immediate task backend), then
    download it from the job's page."""
    response = client.post(url("export_start", place), {**period, "format": fmt})
    if response.status_code != 302:
        return response
    job_page = client.get(response["Location"])
    assert job_page.status_code == 200
    job = job_page.context["row"]["job"]
    assert job.state == "done", job.error
    return client.get(url("export_file", place, job.pk))


def test_the_page_offers_the_current_calendar_year(team, place):
    response = team.get(url("exports", place))
    assert response.status_code == 200
    form = response.context["period_form"]
    assert (form.initial["start"], form.initial["end"]) == (date(2027, 1, 1), date(2027, 12, 31))
    assert f"{f.SELLER_SIRET[:9]}FEC" in response.content.decode()


def test_the_fec_has_18_tab_separated_columns_and_its_legal_name(team, place, books):
    response = export(team, place, "fec", PERIOD)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=iso-8859-15"
    name = f"{f.SELLER_SIRET[:9]}FEC20271231.txt"
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    records = response.content.decode("iso-8859-15").split("\r\n")[:-1]
    assert records[0].split("\t") == list(FEC_COLUMNS)
    assert all(len(record.split("\t")) == 18 for record in records)
    pieces = {record.split("\t")[8] for record in records[1:]}
    assert {books["january"].number, books["march"].number} <= pieces


def test_the_fec_keeps_to_the_period(team, place, books):
    response = export(team, place, "fec", {"start": "2027-01-01", "end": "2027-01-31"})
    content = response.content.decode("iso-8859-15")
    assert books["january"].number in content and books["march"].number not in content
    assert "FEC20270131.txt" in response["Content-Disposition"]


def test_a_wrong_period_shows_the_page_with_the_error(team, place, books, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = export(team, place, "fec", {"start": "2027-12-31", "end": "2027-01-01"})
    assert response.status_code == 422
    assert "The period ends before it starts." in response.content.decode()
    response = export(team, place, "invoices_csv", {"start": "hier"})
    assert response.status_code == 422
    assert "Enter a valid date." in response.content.decode()


def test_a_place_without_siret_gets_no_fec(team, place, client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    place.siret = ""
    place.save(update_fields=["siret"])
    response = export(team, place, "fec", PERIOD)
    assert response.status_code == 422
    assert "The place has no SIRET" in response.content.decode()


def test_invoices_and_payments_as_csv(team, place, books):
    invoices = export(team, place, "invoices_csv", PERIOD)
    assert invoices["Content-Type"] == "text/csv; charset=utf-8"
    assert "factures-" in invoices["Content-Disposition"]
    text = invoices.content.decode("utf-8-sig")
    assert books["january"].number in text and ";" in text
    assert len(text.strip().split("\r\n")) == 3  # the header and two issued invoices: no draft
    payments = export(team, place, "payments_csv", PERIOD)
    assert payments["Content-Type"] == "text/csv; charset=utf-8"
    assert "60,00" in payments.content.decode("utf-8-sig")


def test_invoices_and_payments_as_xlsx(team, place, books):
    response = export(team, place, "xlsx", PERIOD)
    assert response["Content-Type"] == XLSX
    assert ".xlsx" in response["Content-Disposition"]
    workbook = load_workbook(io.BytesIO(response.content))
    invoices, payments = workbook.worksheets
    assert invoices.max_row == 3 and payments.max_row == 2


def test_closing_a_period_stops_issuing_in_it(team, place, books):
    data = {"close-start": "2027-01-01", "close-end": "2027-01-31", "close-confirm": "on"}
    response = team.post(url("close_period", place), data)
    assert response.status_code == 302
    assert ClosedPeriod.objects.get(place=place).end == date(2027, 1, 31)
    assert "31 janvier 2027" in team.get(url("exports", place)).content.decode()


def test_closing_needs_the_confirmation_and_an_ordered_period(team, place):
    unconfirmed = {"close-start": "2027-01-01", "close-end": "2027-01-31"}
    response = team.post(url("close_period", place), unconfirmed)
    assert response.status_code == 422
    reversed_period = {
        "close-start": "2027-02-01",
        "close-end": "2027-01-31",
        "close-confirm": "on",
    }
    response = team.post(url("close_period", place), reversed_period)
    assert response.status_code == 422
    assert "La période se termine avant de commencer." in response.content.decode()
    assert not ClosedPeriod.objects.exists()


def test_issuing_in_a_closed_period_is_refused_on_the_page(team, place, coordinator, books):
    services.close_period(
        actor=coordinator, place=place, start=date(2027, 3, 1), end=date(2027, 3, 31)
    )
    draft = Invoice.objects.get(status=Invoice.Status.DRAFT)
    response = team.post(
        reverse("billing_manage:invoice_issue", args=[place.slug, draft.pk]),
        {"issue_date": "2027-03-02"},
    )
    assert response.status_code == 422
    assert "est clôturée" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Invoice.Status.DRAFT
