"""The chains' heads anchored outside the database: `anchor_chains` writes a signed daily
digest; `verify_invoices --anchors DIR` then catches what the chains alone cannot (the last
invoice removed AND the sequence rewound, the last payment removed) and a forged digest."""

import json
from datetime import date
from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from tierslieux.billing import anchors
from tierslieux.billing.integrity import verify
from tierslieux.billing.tests.records import (
    behind_the_services_back,
    books,
    remove_last_invoice,
    sql,
)


@pytest.fixture
def kept(clock):
    clock.set(date(2027, 1, 9))
    return books()


@pytest.fixture
def folder(tmp_path, settings):
    settings.CHAIN_ANCHOR_KEY = "a key of the anchors, not the SECRET_KEY"
    settings.CHAIN_ANCHOR_DIR = tmp_path
    return tmp_path


def command(name: str, *args: str) -> tuple[int, str]:
    out = StringIO()
    try:
        call_command(name, *args, stdout=out)
    except CommandError as error:
        return error.returncode, out.getvalue() + str(error)
    return 0, out.getvalue()


def test_the_digest_holds_each_place_s_heads_signed(kept, folder):
    code, out = command("anchor_chains", "--mail", "auditor@example.org")

    path = folder / "anchor-2027-01-09.json"
    assert (code, out) == (0, f"{path}: 1 places anchored\n")
    data = json.loads(path.read_text())
    assert data["places"] == {
        "la-fabrique": {
            "invoices": {"count": 3, "head": kept.invoices[-1].hash},
            "next_number": 4,
            "payments": {"count": 2, "head": kept.payments[-1].hash},
        }
    }
    assert data["signature"] == anchors.sign({k: v for k, v in data.items() if k != "signature"})
    [message] = mail.outbox
    assert message.to == ["auditor@example.org"]
    assert message.attachments[0][0] == "anchor-2027-01-09.json"
    assert command("verify_invoices", "--anchors")[1].endswith(  # CHAIN_ANCHOR_DIR
        "anchors (anchor-2027-01-09.json): the chains still hold their anchored heads\n"
    )


def test_a_removed_last_invoice_with_a_rewound_sequence_is_caught_by_the_anchor(kept, folder):
    command("anchor_chains")
    remove_last_invoice(kept, rewind=True)
    assert verify(kept.place).intact  # the chain alone cannot tell: the point of anchors

    code, out = command("verify_invoices", "--anchors", str(folder))

    assert code == 1
    assert "la-fabrique: the invoices chain no longer holds link 3 of 2027-01-09" in out
    assert "la-fabrique: the sequence went back to 3 (it was at 4 on 2027-01-09)" in out


def test_a_removed_last_payment_is_caught_by_the_anchor_only(kept, folder):
    command("anchor_chains")
    last = kept.payments[-1]
    with behind_the_services_back("billing_payment", "billing_paymentallocation"):
        sql("DELETE FROM billing_paymentallocation WHERE payment_id = %s", last.pk)
        sql("DELETE FROM billing_payment WHERE id = %s", last.pk)
    assert verify(kept.place).intact

    code, out = command("verify_invoices", "--anchors", str(folder))

    assert code == 1
    assert "the payments chain no longer holds link 2 of 2027-01-09" in out


def test_the_latest_digest_counts_and_a_forged_one_is_refused(kept, folder, clock):
    command("anchor_chains")
    clock.set(date(2027, 1, 10))
    command("anchor_chains")
    latest = folder / "anchor-2027-01-10.json"
    data = json.loads(latest.read_text())
    data["places"]["la-fabrique"]["invoices"]["count"] = 2  # hide a removal to come
    latest.write_text(json.dumps(data))

    code, out = command("verify_invoices", "--anchors", str(folder))

    assert code == 1
    assert "anchor-2027-01-10.json: signature does not match (forged or wrong key)" in out


def test_no_anchor_is_reported_and_no_key_is_refused_in_production(kept, folder, settings):
    assert command("verify_invoices", "--anchors", str(folder / "none"))[0] == 1

    settings.CHAIN_ANCHOR_KEY, settings.DEBUG = "", False
    code, out = command("anchor_chains")

    assert code == 1 and "CHAIN_ANCHOR_KEY must be set" in out
    assert not list(folder.iterdir())
