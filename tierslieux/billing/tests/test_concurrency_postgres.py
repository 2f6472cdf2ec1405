"""Gap-free numbering under real concurrency, on PostgreSQL.

Sixteen threads, each on its own database connection, are released together by a barrier
and each issues its own N drafts through `services.issue_invoice`, all in one place whose
sequence row does not exist yet (so the first issuers also race to create it). At the end the
numbers are exactly 1..16×N, none twice, in the order of `issued_at`, and the hash chain holds.

On SQLite writers are serialised by IMMEDIATE transactions, so a race proves nothing: skipped.
"""

from __future__ import annotations

import threading
from collections import Counter
from datetime import date

import pytest
from django.db import connections

from tierslieux.accounts.models import User
from tierslieux.billing import services
from tierslieux.billing.integrity import verify
from tierslieux.billing.models import Invoice, InvoiceSequence
from tierslieux.billing.tests import factories as f

# Needs PostgreSQL: real concurrent writers on the locked sequence row.
pytestmark = pytest.mark.postgres_only

ISSUERS = 16
PER_ISSUER = 25
DAY = date(2027, 1, 4)


def issue_all(actor_pk: int, batches: list[list[int]]) -> list[Counter]:
    barrier = threading.Barrier(len(batches))
    outcomes = [Counter() for _ in batches]

    def issuer(i: int) -> None:
        try:
            actor = User.objects.select_related("person").get(pk=actor_pk)
            drafts = list(Invoice.objects.select_related("place").filter(pk__in=batches[i]))
            barrier.wait(timeout=60)
            for draft in drafts:
                try:
                    services.issue_invoice(actor=actor, invoice=draft, issue_date=DAY)
                    outcomes[i]["issued"] += 1
                except Exception as error:
                    outcomes[i][repr(error)] += 1
        except Exception as error:  # a broken barrier or connection: show it, free the others
            barrier.abort()
            outcomes[i][repr(error)] += 1
        finally:
            connections.close_all()

    threads = [threading.Thread(target=issuer, args=(i,)) for i in range(len(batches))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_sixteen_concurrent_issuers_get_numbers_one_to_m_without_gaps_or_twins():
    place = f.place()
    boss = f.coordinator(place)
    customers = [f.customer(place) for _ in range(ISSUERS)]
    batches = [[f.draft(c).pk for _ in range(PER_ISSUER)] for c in customers]
    total = ISSUERS * PER_ISSUER
    assert not InvoiceSequence.objects.filter(place=place).exists()

    outcomes = issue_all(boss.pk, batches)

    assert outcomes == [Counter(issued=PER_ISSUER)] * ISSUERS
    rows = list(
        Invoice.objects.filter(place=place)
        .order_by("sequence_number")
        .values_list("sequence_number", "number", "issued_at", "status")
    )
    assert [r[0] for r in rows] == list(range(1, total + 1))
    assert len({r[1] for r in rows}) == total
    assert [r[1] for r in rows[:2]] == ["F-000001", "F-000002"]
    assert all(r[3] == "issued" for r in rows)
    issued_at = [r[2] for r in rows]
    assert issued_at == sorted(issued_at), "numbers out of the order of issue"
    assert InvoiceSequence.objects.get(place=place).next_number == total + 1
    report = verify(place)
    assert (report.checked, report.findings) == (total, ())
