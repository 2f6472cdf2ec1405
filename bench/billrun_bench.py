"""Bill-run benchmark: one place, 2,000 members with subscriptions, 20,000 billable bookings
in a month; the preview, the confirmation (every invoice issued with its number, lines,
totals and hash) and the PDF of an invoice.

One command: `.venv/bin/python bench/billrun_bench.py [--postgres]`. Like
bench/harness.py (whose throwaway cluster and settings it reuses), it never touches
var/tierslieux.sqlite3: a temporary folder (SQLite) or a PostgreSQL cluster it starts and
removes itself. It migrates, seeds with bulk_create, then times with `time.perf_counter`:

(a) `services.billrun.preview(place, October 2026)`: `--runs` runs (median), and its queries;
(b) `services.billrun.confirm(...)`: `--confirms` runs, all but the last rolled back (the
    last one stays, so the chain can be verified), median and each; its queries counted on
    one more rolled-back run;
(c) the PDF (Factur-X, WeasyPrint) of 20 of the run's invoices, one by one: the mean.

It ends by checking the run: as many invoices as customers with something to bill, numbers
1..n without gaps, every charge linked to its line, `billing.integrity.verify` intact. It
prints a Markdown table and writes the figures as JSON under var/bench/.
See docs/PERFORMANCE.md (target: the confirmation ≤ 10 s on PostgreSQL).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.harness import Cluster, machine, setup_django  # noqa: E402

MONTH = date(2026, 10, 1)
ISSUE_DATE = date(2026, 11, 2)
TARGET_SECONDS = 10.0
SIRET = "73282932000074"


class Rollback(Exception):
    """Raised inside a measured confirmation to undo it."""


def seed(members: int, bookings: int, rng: random.Random) -> dict[str, Any]:
    """The place, its coordinator, products, members with their customers and subscriptions
    (a mix of plans, memberships, starts in the month, pauses, mandates) and the bookings'
    charges of the month, all by bulk_create."""
    from tierslieux.accounts.models import Person, User
    from tierslieux.billing.models import BillingProfile, Customer
    from tierslieux.members.models import Charge, Product, Subscription, SubscriptionPause
    from tierslieux.places.models import Network, Place, PlaceRole

    network = Network.objects.create(name="Réseau du banc d'essai", slug="banc")
    place = Place.objects.create(
        network=network,
        name="La Fabrique du Banc",
        slug="fabrique",
        status="open",
        address="2 rue de l'Ancien Courrier",
        postcode="11100",
        commune="Narbonne",
        email="contact@example.org",
        location_type="city_centre",
        legal_form="association",
        siret=SIRET,
    )
    BillingProfile.objects.create(
        place=place,
        vat_number="FR40303265045",
        iban="FR1420041010050500013M02606",
        bic="PSSTFRPPLYO",
        sepa_creditor_id="FR72ZZZ123456",
    )
    boss = User.objects.create_user("coordination@example.org", None)
    boss_person = Person.objects.create(
        user=boss, first_name="Camille", last_name="Coordination", email=boss.email
    )
    PlaceRole.objects.create(place=place, person=boss_person, role="coordinator")

    def product(kind: str, name: str, price: str, tax: str, **fields: Any) -> Product:
        return Product.objects.create(
            place=place, kind=kind, name=name, price_net=Decimal(price), tax_code=tax, **fields
        )

    resident = product(
        "plan", "Coworking résident", "150.00", "vat_20", period="month", family="memberships",
        wallet="room_hours", credits=Decimal(10),
    )  # fmt: skip
    nomad = product("plan", "Coworking nomade", "80.00", "vat_20", period="month")
    membership = product(
        "membership", "Adhésion", "50.00", "exempt_261_7_1b", period="year", account="756000",
        family="memberships",
    )  # fmt: skip

    people = Person.objects.bulk_create(
        Person(first_name=f"Prénom{n}", last_name=f"Nom {n:04d}", email=f"m{n}@example.org")
        for n in range(members)
    )
    customers = []
    for n, person in enumerate(people):
        mandated = n % 10 == 0
        customers.append(
            Customer(
                place=place,
                name=f"{person.first_name} {person.last_name}",
                email=person.email,
                address=f"{n} avenue Foch",
                postcode="11100",
                city="Narbonne",
                language="en" if n % 7 == 0 else "fr",
                person=person,
                iban="FR7630006000011234567890189" if mandated else "",
                bic="AGRIFRPP882" if mandated else "",
                sepa_mandate_reference=f"RUM-{n:05d}" if mandated else "",
                sepa_mandate_date=date(2026, 1, 15) if mandated else None,
            )
        )
    Customer.objects.bulk_create(customers, batch_size=1000)

    subscriptions = []
    for n, (person, customer) in enumerate(zip(people, customers, strict=True)):
        chosen = resident if rng.random() < 0.6 else nomad
        # One in ten starts during the month (prorated), the others earlier in the year.
        start = date(2026, 10, rng.randint(2, 28)) if rng.random() < 0.1 else date(2026, 1, 1)
        subscriptions.append(
            Subscription(
                place=place,
                product=chosen,
                customer=customer,
                person=person,
                price_net=chosen.price_net,
                start=start,
            )
        )
        if n % 12 == 0:  # a membership whose anniversary falls this month
            subscriptions.append(
                Subscription(
                    place=place,
                    product=membership,
                    customer=customer,
                    person=person,
                    price_net=membership.price_net,
                    start=date(2025, 10, rng.randint(1, 31)),
                )
            )
    Subscription.objects.bulk_create(subscriptions, batch_size=1000)
    plans = [s for s in subscriptions if s.product_id != membership.pk]
    pauses = [
        SubscriptionPause(
            subscription=s,
            start=date(2026, 10, 10),
            end=date(2026, 10, 10) + timedelta(rng.randint(0, 30)),
        )
        for s in rng.sample(plans, len(plans) // 20)
    ]
    SubscriptionPause.objects.bulk_create(pauses)

    charges = []
    for n in range(bookings):
        customer = rng.choice(customers)
        day = MONTH + timedelta(days=rng.randrange(31))
        hours = rng.choice([1, 1.5, 2, 3, 4])
        charges.append(
            Charge(
                place=place,
                customer=customer,
                person_id=customer.person_id,
                description=f"Salle de réunion — {day:%d/%m/%Y} ({hours} h)",
                quantity=Decimal(str(hours)),
                unit="HUR",
                unit_price_net=Decimal(rng.choice(["25.00", "20.00", "35.00"])),
                tax_code="vat_20",
                service_date=day,
                source=f"booking:{n + 1}",
            )
        )
    Charge.objects.bulk_create(charges, batch_size=2000)
    return {
        "place": place,
        "boss": boss,
        "members": members,
        "subscriptions": len(subscriptions),
        "pauses": len(pauses),
        "charges": bookings,
    }


def analyse() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def timed(fn: Any) -> tuple[float, Any]:
    began = time.perf_counter()
    result = fn()
    return time.perf_counter() - began, result


def count_queries(fn: Any) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        fn()
    return len(queries)


def rolled_back(fn: Any) -> Any:
    """Run fn in a transaction and undo it; return what fn returned."""
    from django.db import transaction

    found: list[Any] = []
    try:
        with transaction.atomic():
            found.append(fn())
            raise Rollback
    except Rollback:
        pass
    return found[0]


def run(args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    from django.db import connection

    from tierslieux.billing.integrity import verify
    from tierslieux.billing.pdf import invoice_pdf
    from tierslieux.billing.queries import invoice_document
    from tierslieux.members.models import BillRun, Charge
    from tierslieux.members.services import billrun, billrun_sepa

    seed_seconds, seeded = timed(lambda: seed(args.members, args.bookings, rng))
    analyse()
    place, boss = seeded["place"], seeded["boss"]
    print(f"seeded in {seed_seconds:.0f} s on {connection.vendor}", file=sys.stderr, flush=True)

    def preview() -> Any:
        return billrun.preview(place, MONTH)

    preview()  # warm-up
    previews = [timed(preview)[0] for _ in range(args.runs)]
    planned = preview()
    preview_queries = count_queries(preview)

    def confirm() -> Any:
        return billrun.confirm(actor=boss, place=place, month=MONTH, issue_date=ISSUE_DATE)

    confirm_queries = rolled_back(lambda: count_queries(confirm))
    confirms = []
    for n in range(args.confirms - 1):
        confirms.append(rolled_back(lambda: timed(confirm)[0]))
        print(f"confirm {n + 1} (rolled back): {confirms[-1]:.2f} s", file=sys.stderr, flush=True)
    seconds, bill_run = timed(confirm)
    confirms.append(seconds)
    print(f"confirm {args.confirms} (kept): {seconds:.2f} s", file=sys.stderr, flush=True)

    run_row = BillRun.objects.get(pk=bill_run.pk)
    invoices = list(run_row.invoices.order_by("sequence_number"))
    numbers = [i.sequence_number for i in invoices]
    report = verify(place)
    unlinked = Charge.objects.filter(place=place, invoice_line__isnull=True).count()
    lines = sum(len(c.items) for c in planned.customers)

    sample = rng.sample(invoices, min(20, len(invoices)))
    invoice_pdf(invoice_document(sample[0]))  # warm-up: templates, fonts
    pdf_times = []
    for invoice in sample:
        seconds, pdf = timed(lambda invoice=invoice: invoice_pdf(invoice_document(invoice)))
        pdf_times.append(seconds)
        assert pdf.startswith(b"%PDF")
    sepa_seconds, sepa_xml = timed(
        lambda: billrun_sepa.sepa_file(run_row, collection_date=ISSUE_DATE)
    )

    return {
        "engine": connection.vendor,
        "seeded": {k: v for k, v in seeded.items() if k not in ("place", "boss")},
        "seed_seconds": round(seed_seconds, 1),
        "preview": {
            "median_s": round(statistics.median(previews), 3),
            "runs_s": [round(t, 3) for t in previews],
            "queries": preview_queries,
            "invoices": planned.invoice_count,
            "lines": lines,
            "total_gross": str(planned.total_gross),
        },
        "confirm": {
            "median_s": round(statistics.median(confirms), 3),
            "runs_s": [round(t, 3) for t in confirms],
            "queries": confirm_queries,
            "target_s": TARGET_SECONDS,
        },
        "check": {
            "invoices": len(invoices),
            "gap_free": numbers == list(range(1, len(invoices) + 1)),
            "chain_intact": report.intact,
            "unlinked_charges": unlinked,
            "run_total_gross": str(run_row.total_gross),
            "sepa_debits": sepa_xml.count(b"<DrctDbtTxInf>"),
            "sepa_seconds": round(sepa_seconds, 3),
        },
        "pdf": {
            "mean_s": round(statistics.mean(pdf_times), 3),
            "max_s": round(max(pdf_times), 3),
            "invoices": len(pdf_times),
            "lines_per_invoice": round(statistics.mean(i.lines.count() for i in sample), 1),
        },
    }


def report(results: dict[str, Any]) -> None:
    from django.db import connection

    from tierslieux.core import clock

    engine = connection.vendor
    if engine == "postgresql":
        number = connection.cursor().connection.info.server_version
        version = f"{number // 10000}.{number % 10000}"
    else:
        import sqlite3

        version = sqlite3.sqlite_version
    p, c, k, d = results["preview"], results["confirm"], results["check"], results["pdf"]
    s = results["seeded"]
    met = "yes" if c["median_s"] <= TARGET_SECONDS else "no"
    lines = [
        f"Bill-run benchmark on {engine} {version}, {s['members']:,} members, "
        f"{s['subscriptions']:,} subscriptions ({s['pauses']} paused), {s['charges']:,} charges, "
        f"{clock.now().astimezone():%Y-%m-%d %H:%M %Z}, load average "
        f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs",
        "",
        "| Measure | Time | Queries | Target | Met |",
        "|---|---:|---:|---|---|",
        f"| (a) preview: {p['invoices']:,} invoices, {p['lines']:,} lines | "
        f"{p['median_s']} s (median of {len(p['runs_s'])}) | {p['queries']} | — | |",
        f"| (b) confirm: issue them all | {c['median_s']} s (median of {len(c['runs_s'])}: "
        f"{', '.join(str(t) for t in c['runs_s'])}) | {c['queries']} | ≤ {TARGET_SECONDS:g} s "
        f"| {met if engine == 'postgresql' else '(PostgreSQL only)'} |",
        f"| (c) PDF of one invoice ({d['lines_per_invoice']} lines on average) | "
        f"{d['mean_s']} s (mean of {d['invoices']}, max {d['max_s']}) | | — | |",
        f"| SEPA file of the run ({k['sepa_debits']} debits) | {k['sepa_seconds']} s | | — | |",
        f"| check: {k['invoices']:,} invoices, gap-free {k['gap_free']}, chain intact "
        f"{k['chain_intact']}, unlinked charges {k['unlinked_charges']} | | | | "
        f"{'yes' if k['gap_free'] and k['chain_intact'] and not k['unlinked_charges'] else 'NO'} |",
    ]
    print("\n".join(lines))
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    stamp = clock.now().astimezone().strftime("%Y%m%d-%H%M%S")
    path = out / f"billrun-{engine}-{stamp}.json"
    payload = {
        **results,
        "version": str(version),
        "date": clock.now().astimezone().isoformat(timespec="seconds"),
        "load_average": os.getloadavg(),
        "machine": machine(),
    }
    path.write_text(json.dumps(payload, indent=2, ensure_ascii=False))
    print(f"\n(figures written to {path.relative_to(ROOT)})", file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="in a throwaway PG cluster")
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--bookings", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=5, help="timed previews")
    parser.add_argument("--confirms", type=int, default=3, help="timed confirmations")
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    work = Path(tempfile.mkdtemp(prefix="tl-bench."))
    cluster = Cluster() if args.postgres else None
    try:
        url = cluster.start() if cluster else None
        setup_django(url, work)
        report(run(args, rng))
    finally:
        from django.db import connections

        connections.close_all()
        if cluster:
            cluster.stop()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
