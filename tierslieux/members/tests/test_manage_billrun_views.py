"""The bill run pages: preview, confirm once (a second confirmation is refused and issues
nothing), the problems that block a run with where to fix them, the SEPA file."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from tierslieux.billing.models import Customer, Invoice
from tierslieux.members.models import BillRun
from tierslieux.members.tests import factories as f


@pytest.fixture
def place(place):
    return f.collecting_by_sepa(place)


@pytest.fixture
def month(place):
    return place.today().replace(day=1)


@pytest.fixture
def subscribed(place, month):
    """A member on a monthly plan since last month, paying by direct debit."""
    plan = f.product(place, "plan", name="Résident", price_net="150.00")
    person = f.member(place).person
    customer = f.person_customer(place, person)
    customer.name = "Camille Martin"
    customer.iban = "FR7630006000011234567890189"
    customer.sepa_mandate_reference = "MANDAT-1"
    customer.sepa_mandate_date = date(2025, 1, 1)
    customer.save()
    return f.subscription(plan, person=person, start=month - timedelta(days=20))


def url(place, name, *args):
    return reverse(f"members_manage:{name}", args=[place.slug, *args])


def texts(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_preview_then_confirm_then_a_second_confirmation_is_refused(
    client, place, month, subscribed
):
    client.force_login(f.coordinator(place))
    key = f"{month:%Y-%m}"
    preview = client.get(url(place, "bill_run", key))
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Camille Martin" in page and "180,00\xa0€" in page
    assert preview.context["plan"].invoice_count == 1
    assert not Invoice.objects.exists()  # a preview writes nothing

    today = place.today()
    response = client.post(url(place, "bill_run_confirm", key), {"issue_date": f"{today:%Y-%m-%d}"})
    assert response.status_code == 302 and response["Location"] == url(place, "bill_run", key)
    assert any("1" in text for text in texts(response))
    run = BillRun.objects.get(place=place)
    assert (run.month, run.issue_date, run.invoice_count) == (month, today, 1)
    issued = list(Invoice.objects.values_list("pk", "number"))
    assert len(issued) == 1 and issued[0][1]

    shown = client.get(url(place, "bill_run", key))
    assert shown.context["run"] == run and issued[0][1] in shown.content.decode()
    invoice_url = reverse("billing_manage:invoice", args=[place.slug, issued[0][0]])
    assert invoice_url in shown.content.decode()  # each invoice links to its page
    listing = client.get(url(place, "bill_runs")).content.decode()
    assert "180,00\xa0€" in listing

    again = client.post(url(place, "bill_run_confirm", key), {"issue_date": f"{today:%Y-%m-%d}"})
    assert again.status_code == 302
    refusal = " ".join(texts(again))
    assert refusal and "1" in refusal
    assert list(Invoice.objects.values_list("pk", "number")) == issued
    assert BillRun.objects.count() == 1


def test_a_bad_issue_date_shows_the_form_error_and_issues_nothing(client, place, month, subscribed):
    client.force_login(f.coordinator(place))
    response = client.post(url(place, "bill_run_confirm", f"{month:%Y-%m}"), {"issue_date": "hier"})
    assert response.status_code == 422 and "issue_date" in response.context["form"].errors
    assert not BillRun.objects.exists() and not Invoice.objects.exists()


def test_a_company_without_siren_blocks_the_run_with_a_link_to_fix_it(client, place, month):
    company = f.customer(place, name="Société Sans Siren", kind=Customer.Kind.COMPANY)
    Customer.objects.filter(pk=company.pk).update(siren="")
    fee = f.product(place, "service", name="Domiciliation")
    from tierslieux.members.models import Charge

    Charge.objects.create(
        place=place,
        customer=company,
        description="Domiciliation",
        quantity=Decimal("1"),
        unit_price_net=fee.price_net,
        tax_code="vat_20",
        service_date=month,
    )
    client.force_login(f.coordinator(place))
    key = f"{month:%Y-%m}"
    preview = client.get(url(place, "bill_run", key))
    problems = preview.context["problems"]
    assert [row["problem"].code for row in problems] == ["buyer_siren"]
    edit = reverse("billing_manage:customer_edit", args=[place.slug, company.pk])
    assert problems[0]["url"] == edit and edit in preview.content.decode()
    today = place.today()
    response = client.post(url(place, "bill_run_confirm", key), {"issue_date": f"{today:%Y-%m-%d}"})
    assert response.status_code == 302 and "Société Sans Siren" in " ".join(texts(response))
    assert not BillRun.objects.exists() and not Invoice.objects.exists()


def test_a_place_without_siret_blocks_the_run_with_a_link_to_its_sheet(
    client, place, month, subscribed
):
    place.siret = ""
    place.save()
    client.force_login(f.coordinator(place))
    preview = client.get(url(place, "bill_run", f"{month:%Y-%m}"))
    problems = preview.context["problems"]
    assert [row["problem"].code for row in problems] == ["seller_siren"]
    sheet = reverse("places:manage_sheet", args=[place.slug])
    assert problems[0]["url"] == sheet and sheet in preview.content.decode()


def test_the_sepa_file_downloads_as_xml(client, place, month, subscribed):
    boss = f.coordinator(place)
    client.force_login(boss)
    client.post(
        url(place, "bill_run_confirm", f"{month:%Y-%m}"),
        {"issue_date": f"{place.today():%Y-%m-%d}"},
    )
    run = BillRun.objects.get()
    collection = place.today() + timedelta(days=20)
    response = client.get(
        url(place, "bill_run_sepa", run.pk), {"collection_date": f"{collection:%Y-%m-%d}"}
    )
    assert response.status_code == 200, texts(response)
    assert response["Content-Type"] == "application/xml"
    assert "attachment" in response["Content-Disposition"]
    body = response.content.decode()
    assert "pain.008" in body and "MANDAT-1" in body and f"{collection:%Y-%m-%d}" in body
    default = client.get(url(place, "bill_run_sepa", run.pk))
    assert default.status_code == 200 and default["Content-Type"] == "application/xml"
    bad = client.get(url(place, "bill_run_sepa", run.pk), {"collection_date": "demain"})
    assert bad.status_code == 302


def test_an_unknown_month_is_not_found(client, place):
    client.force_login(f.coordinator(place))
    for month in ("2026-13", "26-11", "novembre"):
        assert client.get(url(place, "bill_run", month)).status_code == 404


@pytest.mark.parametrize("who", ["staff", "member", "outsider", "other_coordinator"])
def test_others_cannot_preview_confirm_nor_download(client, place, month, subscribed, who):
    boss = f.coordinator(place)
    client.force_login(boss)
    client.post(
        url(place, "bill_run_confirm", f"{month:%Y-%m}"),
        {"issue_date": f"{place.today():%Y-%m-%d}"},
    )
    run = BillRun.objects.get()
    user = {
        "staff": lambda: f.staff(place),
        "member": lambda: f.member(place),
        "outsider": f.user,
        "other_coordinator": lambda: f.coordinator(f.place()),
    }[who]()
    client.force_login(user)
    before = list(Invoice.objects.values_list("pk", "number"))
    previous = f"{month.replace(day=1) - timedelta(days=1):%Y-%m}"
    assert client.get(url(place, "bill_runs")).status_code == 403
    assert client.get(url(place, "bill_run", previous)).status_code == 403
    assert client.post(url(place, "bill_run_confirm", previous), {}).status_code == 403
    assert client.get(url(place, "bill_run_sepa", run.pk)).status_code == 403
    assert list(Invoice.objects.values_list("pk", "number")) == before
    assert BillRun.objects.count() == 1


def test_the_run_sends_the_invoices_when_ticked_and_its_page_counts_them(
    client, place, month, subscribed, django_capture_on_commit_callbacks
):
    from django.conf import settings
    from django.core import mail

    client.force_login(f.coordinator(place))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"  # the assertions read English
    key = f"{month:%Y-%m}"
    preview = client.get(url(place, "bill_run", key))
    assert preview.context["form"]["send"].value() is True  # ticked by default
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url(place, "bill_run_confirm", key),
            {"issue_date": f"{place.today():%Y-%m-%d}", "send": "on"},
        )
    assert response.status_code == 302
    [message] = mail.outbox
    assert message.to == [subscribed.customer.email]
    shown = client.get(url(place, "bill_run", key))
    assert shown.context["deliveries"] == {"sent": 1, "queued": 0, "failed": 0}
    assert "1 sent, 0 queued, 0 failed" in shown.content.decode()
