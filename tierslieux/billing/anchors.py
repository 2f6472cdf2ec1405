"""Anchoring the chains' heads outside the database (see docs/algorithms/numbering.md).

A hash chain proves that nothing inside it changed, not that its end is still there: whoever
can write the database can remove the last invoice and rewind the sequence, or remove the
last payment. So once a day `tierslieux anchor_chains` writes a digest, signed with HMAC-
SHA-256, of each place's chain heads (count and last hash, of invoices and of payments) to a
file out of the database's reach; `verify_invoices --anchors DIR` checks the database against
the latest one: each chain must still hold, at the anchored position, the anchored hash.

The key (`CHAIN_ANCHOR_KEY`) is not `SECRET_KEY`: it need not be in the web process's
environment at all (only the timer's), rotating `SECRET_KEY` (sessions, reset links) leaves
past digests checkable, and whoever reads the web server's settings cannot forge a digest.
In development (DEBUG) a key is derived from `SECRET_KEY` when none is set.
"""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q
from django.utils.crypto import salted_hmac

from tierslieux.billing.chain import canonical_json
from tierslieux.billing.models import Invoice, InvoiceSequence, Payment
from tierslieux.core import clock
from tierslieux.places.models import Place

VERSION = 1


def key() -> bytes:
    configured = getattr(settings, "CHAIN_ANCHOR_KEY", "")
    if configured:
        return configured.encode()
    if settings.DEBUG:
        return salted_hmac("tierslieux.billing.anchors", "key").hexdigest().encode()
    raise ImproperlyConfigured("CHAIN_ANCHOR_KEY must be set when DEBUG is off.")


def directory() -> Path:
    return Path(getattr(settings, "CHAIN_ANCHOR_DIR", settings.VAR_DIR / "anchors"))


def sign(body: dict[str, Any]) -> str:
    return hmac.new(key(), canonical_json(body).encode(), hashlib.sha256).hexdigest()


def _head(rows: Any) -> dict[str, Any]:
    last = rows.first()
    return {"count": rows.count(), "head": last or ""}


def heads(place: Place) -> dict[str, Any]:
    """One place's chain heads as the digest records them."""
    invoices = Invoice.objects.filter(place=place, status=Invoice.Status.ISSUED)
    sequence = InvoiceSequence.objects.filter(place=place).first()
    return {
        "invoices": _head(invoices.order_by("-sequence_number").values_list("hash", flat=True)),
        "next_number": sequence.next_number if sequence else 1,
        "payments": _head(
            Payment.objects.filter(place=place).order_by("-id").values_list("hash", flat=True)
        ),
    }


def digest(day: date | None = None) -> dict[str, Any]:
    """The signed digest of every place with issued invoices or payments."""
    issued = Invoice.objects.filter(status=Invoice.Status.ISSUED).values("place_id")
    paid = Payment.objects.values("place_id")
    places = Place.objects.filter(Q(pk__in=issued) | Q(pk__in=paid)).order_by("slug")
    body = {
        "version": VERSION,
        "date": (day or clock.today()).isoformat(),
        "at": clock.now().isoformat(timespec="seconds"),
        "places": {place.slug: heads(place) for place in places},
    }
    return {**body, "signature": sign(body)}


def write(data: dict[str, Any], folder: Path | None = None) -> Path:
    """`anchor-YYYY-MM-DD.json` in the folder (a second run the same day replaces it)."""
    folder = folder or directory()
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"anchor-{data['date']}.json"
    temporary = path.with_suffix(".tmp")
    temporary.write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    temporary.replace(path)
    return path


@dataclass(frozen=True)
class Check:
    path: Path | None
    findings: tuple[str, ...]


def latest(folder: Path) -> Path | None:
    files = sorted(folder.glob("anchor-*.json"))
    return files[-1] if files else None


def _position(chain: str, place: Place, count: int) -> str | None:
    """The hash at position `count` (1-based) of a place's chain, None if it is shorter."""
    if chain == "invoices":
        return (
            Invoice.objects.filter(place=place, status=Invoice.Status.ISSUED, sequence_number=count)
            .values_list("hash", flat=True)
            .first()
        )
    payments = Payment.objects.filter(place=place).order_by("id").values_list("hash", flat=True)
    return payments[count - 1 : count].first()


def check(folder: Path) -> Check:
    """The database against the latest digest of `folder`: signature, then each place's
    chains (still as long, the same hash where the digest's head was) and sequence."""
    path = latest(folder)
    if path is None:
        return Check(None, (f"no anchor in {folder}",))
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        body = {k: v for k, v in data.items() if k != "signature"}
        signed = hmac.compare_digest(str(data.get("signature", "")), sign(body))
    except (ValueError, AttributeError):
        return Check(path, (f"{path.name}: unreadable",))
    if not signed:
        return Check(path, (f"{path.name}: signature does not match (forged or wrong key)",))
    findings: list[str] = []
    for slug, anchored in sorted(body.get("places", {}).items()):
        place = Place.objects.filter(slug=slug).first()
        if place is None:
            findings.append(f"{slug}: the place is gone since {body['date']}")
            continue
        for name in ("invoices", "payments"):
            count, head = anchored[name]["count"], anchored[name]["head"]
            if count and _position(name, place, count) != head:
                findings.append(
                    f"{slug}: the {name} chain no longer holds link {count} of "
                    f"{body['date']} (removed or rewritten since)"
                )
        sequence = InvoiceSequence.objects.filter(place=place).first()
        next_number = sequence.next_number if sequence else 1
        if next_number < anchored["next_number"]:
            findings.append(
                f"{slug}: the sequence went back to {next_number} "
                f"(it was at {anchored['next_number']} on {body['date']})"
            )
    return Check(path, tuple(findings))
