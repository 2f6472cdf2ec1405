"""A place's billing settings: what its invoices say beyond its technical sheet (VAT number,
bank details, payment terms, late-payment penalty, logo) and the prefix of its numbers.

Everything a bank, the tax office or a PDF renderer would choke on is refused here with the
reason: an IBAN or a creditor identifier failing its mod-97 check, a French VAT number whose key
or SIREN is not the place's, terms beyond the legal 60 days, a logo that is not a small PNG or
JPEG. A refusal leaves the profile, its files and the sequence as they were.
"""

from __future__ import annotations

import re
import warnings
from decimal import Decimal
from pathlib import PurePath
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from tierslieux.billing import queries
from tierslieux.billing.exports.sepa import creditor_id_is_valid, iban_is_valid, normalize_iban
from tierslieux.billing.models import BillingProfile, Invoice, InvoiceSequence
from tierslieux.billing.services.common import decimal, lock_sequence, require
from tierslieux.core import audit
from tierslieux.core.errors import refuse
from tierslieux.core.types import Actor
from tierslieux.places.models import Place

MAX_TERMS_DAYS = 60  # art. L441-10 of the Code de commerce: 60 days from the invoice date
MAX_LOGO_BYTES = 1024 * 1024
MAX_LOGO_SIDE = 4000  # pixels: a bigger logo is a waste on A4, or a decompression bomb
LOGO_FORMATS = {"PNG": ".png", "JPEG": ".jpg", "MPO": ".jpg"}  # MPO: a camera's JPEG
DECODERS = ("PNG", "JPEG")
EDITABLE = frozenset(
    {
        "vat_number",
        "iban",
        "bic",
        "sepa_creditor_id",
        "payment_terms_days",
        "late_penalty_rate",
        "logo",
    }
)
_FR_VAT = re.compile(r"FR(?P<key>[0-9]{2})(?P<siren>[0-9]{9})")
_VAT = re.compile(r"[A-Z]{2}[0-9A-Z]{2,13}")
# The shape the SEPA file accepts (exports.sepa): bank, country, location, optional branch.
_BIC = re.compile(r"[A-Z]{6}[A-Z2-9][A-NP-Z0-9]([A-Z0-9]{3})?")
_PREFIX = re.compile(r"[A-Z0-9]{1,10}")


def fr_vat_key(siren: str) -> str:
    """The two check digits of a French intra-community VAT number: (12 + 3 × (SIREN mod 97))
    mod 97, on two digits."""
    return f"{(12 + 3 * (int(siren) % 97)) % 97:02d}"


def _compact(value: Any) -> str:
    """What people paste ("FR 40 303 265 045", "fr76 3000…"): no spaces, dots nor dashes."""
    return re.sub(r"[\s.\-]", "", str(value or "")).upper()


def check_vat_number(value: str, place: Place) -> str:
    """A French place's number is FR, its key and the SIREN of its SIRET; elsewhere, the
    country's two letters and 2 to 13 letters or digits."""
    number = _compact(value)
    if not number:
        return ""
    if place.country != "FR":
        if not _VAT.fullmatch(number):
            refuse(
                _(
                    "“%(value)s” is not a VAT number: two letters of the country, then 2 to 13 "
                    "letters or digits."
                ),
                "vat_shape",
                value=value,
            )
        return number
    match = _FR_VAT.fullmatch(number)
    if match is None:
        refuse(
            _(
                "“%(value)s” is not a French VAT number: FR, 2 check digits and the 9-digit "
                "SIREN, e.g. FR40303265045."
            ),
            "vat_shape",
            value=value,
        )
    siren, key = match["siren"], match["key"]
    if key != fr_vat_key(siren):
        refuse(
            _(
                "The check digits of the VAT number %(value)s are wrong: for the SIREN "
                "%(siren)s they are %(expected)s, not %(key)s."
            ),
            "vat_key",
            value=number,
            siren=siren,
            expected=fr_vat_key(siren),
            key=key,
        )
    own = place.siret[:9]
    if own and siren != own:
        refuse(
            _(
                "The VAT number %(value)s is that of the SIREN %(siren)s, but the place's SIRET "
                "%(siret)s gives the SIREN %(own)s."
            ),
            "vat_siren",
            value=number,
            siren=siren,
            siret=place.siret,
            own=own,
        )
    return number


def check_iban(value: str) -> str:
    iban = normalize_iban(_compact(value))
    if iban and not iban_is_valid(iban):
        refuse(
            _(
                "The IBAN %(value)s is not valid: wrong length for its country or its check "
                "digits do not match (ISO 13616); copy it again from the bank's RIB."
            ),
            "invalid_iban",
            value=value,
        )
    return iban


def check_bic(value: str) -> str:
    bic = _compact(value)
    if bic and not _BIC.fullmatch(bic):
        refuse(
            _("“%(value)s” is not a BIC: 8 or 11 letters and digits, e.g. BNPAFRPPXXX."),
            "invalid_bic",
            value=value,
        )
    return bic


def check_creditor_id(value: str) -> str:
    creditor_id = _compact(value)
    if creditor_id and not creditor_id_is_valid(creditor_id):
        refuse(
            _(
                "The SEPA creditor identifier %(value)s is not valid: its check digits do not "
                "match (it reads like FR12ZZZ123456, as given by the bank)."
            ),
            "invalid_creditor_id",
            value=value,
        )
    return creditor_id


def check_terms(value: Any) -> int:
    try:
        days = int(str(value).strip())
    except ValueError:
        refuse(
            _("Payment terms are a whole number of days, not “%(value)s”."),
            "terms_not_a_number",
            value=value,
        )
    if days < 0:
        refuse(_("Payment terms cannot be negative (%(days)s days)."), "terms_negative", days=days)
    if days > MAX_TERMS_DAYS:
        refuse(
            _(
                "Payment terms are at most %(max)s days after the invoice date under French law "
                "(art. L441-10 of the Code de commerce), not %(days)s."
            ),
            "terms_too_long",
            max=MAX_TERMS_DAYS,
            days=days,
        )
    return days


def check_penalty_rate(value: Any) -> Decimal:
    rate = decimal(value, _("The late-payment penalty rate"))
    if rate < 0:
        refuse(
            _("The late-payment penalty rate cannot be negative (%(rate)s %%)."),
            "penalty_negative",
            rate=rate,
        )
    if rate != rate.quantize(Decimal("0.01")) or rate >= 1000:
        refuse(
            _(
                "The late-payment penalty rate is a percentage below 1000 with at most 2 "
                "decimals, not %(rate)s."
            ),
            "penalty_shape",
            rate=rate,
        )
    return rate


def check_logo(upload: File) -> str:
    """The upload's extension by its content: a PNG or a JPEG that decodes whole, at most
    1 MB and `MAX_LOGO_SIDE` pixels a side. The file's name and declared type are not
    trusted (only Pillow's PNG and JPEG decoders ever see the bytes)."""
    name = PurePath(str(upload.name or "")).name
    size = upload.size or 0
    if size > MAX_LOGO_BYTES:
        refuse(
            _("The logo “%(name)s” weighs %(size)s kB; a logo is at most %(max)s kB."),
            "logo_too_big",
            name=name,
            size=-(-size // 1024),
            max=MAX_LOGO_BYTES // 1024,
        )
    try:
        kind, (width, height) = _decode(upload)
    except UnidentifiedImageError:
        kind, width, height = "", 0, 0
    except (Image.DecompressionBombWarning, Image.DecompressionBombError):
        kind, width, height = "", MAX_LOGO_SIDE + 1, MAX_LOGO_SIDE + 1
    except (OSError, SyntaxError, ValueError):
        refuse(
            _("The logo “%(name)s” is a damaged image: export it again as PNG or JPEG."),
            "logo_damaged",
            name=name,
        )
    finally:
        upload.seek(0)
    if max(width, height) > MAX_LOGO_SIDE:
        refuse(
            _(
                "The logo “%(name)s” is %(width)s × %(height)s pixels; a logo is at most "
                "%(max)s pixels a side."
            )
            if kind
            else _("The logo “%(name)s” has far too many pixels: at most %(max)s a side."),
            "logo_too_large",
            name=name,
            width=width,
            height=height,
            max=MAX_LOGO_SIDE,
        )
    extension = LOGO_FORMATS.get(kind)
    if extension is None:
        refuse(
            _(
                "The logo “%(name)s” is not a PNG or JPEG image (whatever its name says): "
                "export it as PNG or JPEG."
            ),
            "logo_type",
            name=name,
        )
    return extension


def _decode(upload: File) -> tuple[str, tuple[int, int]]:
    """The image's format and size, once it decoded whole. Truncation is looked for by hand:
    WeasyPrint sets Pillow's LOAD_TRUNCATED_IMAGES for the whole process."""
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        upload.seek(0)
        with Image.open(upload, formats=DECODERS) as image:
            kind, dimensions = str(image.format), image.size
            if max(dimensions) > MAX_LOGO_SIDE:
                return kind, dimensions
            if kind == "PNG":
                image.verify()  # every chunk's checksum, up to the end: a cut file fails
        upload.seek(0)
        with Image.open(upload, formats=DECODERS) as image:
            image.load()
        if kind != "PNG":
            upload.seek(0)
            if not upload.read().rstrip(b"\0\r\n ").endswith(b"\xff\xd9"):
                raise OSError("a JPEG ends with its EOI marker")
    return kind, dimensions


_CHECKS = {
    "iban": check_iban,
    "bic": check_bic,
    "sepa_creditor_id": check_creditor_id,
    "payment_terms_days": check_terms,
    "late_penalty_rate": check_penalty_rate,
}


def _checked(place: Place, fields: dict[str, Any]) -> tuple[dict[str, Any], str]:
    """The new values, normalised, and the logo's extension; every refusal at once, by field."""
    values: dict[str, Any] = {}
    extension = ""
    errors: dict[str, list[ValidationError]] = {}
    for field, value in fields.items():
        try:
            if field == "vat_number":
                values[field] = check_vat_number(value, place)
            elif field == "logo":
                values[field] = value or None
                if value:
                    extension = check_logo(value)
            else:
                values[field] = _CHECKS[field](value)
        except ValidationError as error:
            errors[field] = error.error_list
    if errors:
        raise ValidationError(errors)
    return values, extension


def _profile_for_update(place: Place) -> BillingProfile:
    """The place's profile row, locked (created at first use; see `common.lock_sequence`)."""
    profile = BillingProfile.objects.select_for_update().filter(place=place).first()
    if profile is None:
        BillingProfile.objects.get_or_create(place=place)
        profile = BillingProfile.objects.select_for_update().get(place=place)
    return profile


@transaction.atomic
def update_billing_profile(*, actor: Actor, place: Place, **fields: Any) -> BillingProfile:
    """Create or change the place's billing profile: the given fields only, each checked.
    `logo`: an uploaded file replaces the logo, None removes it; the old file is deleted once
    the change is committed. Issued invoices keep what they were issued with, but their PDFs
    show the current logo."""
    unknown = set(fields) - EDITABLE
    if unknown:
        raise TypeError(f"update_billing_profile() cannot change {sorted(unknown)}")
    require(actor, place)
    values, extension = _checked(place, fields)
    profile = _profile_for_update(place)
    changes: dict[str, Any] = {}
    old_logo = profile.logo.name or ""
    for field, value in values.items():
        if field == "logo":
            continue
        if getattr(profile, field) != value:
            setattr(profile, field, value)
            changes[field] = value
    profile.full_clean(exclude=["logo"])
    if "logo" in values:
        upload = values["logo"]
        if upload is not None:
            profile.logo.save(f"place-{place.pk}{extension}", upload, save=False)
            changes["logo"] = profile.logo.name
        elif old_logo:
            profile.logo = None
            changes["logo"] = ""
    if not changes:
        return profile
    profile.save()
    if old_logo and "logo" in changes:
        storage = profile.logo.storage
        transaction.on_commit(lambda: storage.delete(old_logo))
    # The place's own bank details are printed on every invoice: not secret, and a change of
    # IBAN is exactly what the audit trail must show.
    audit.record(
        actor=actor,
        action="billing.profile.update",
        obj=profile,
        place_id=place.pk,
        changes=changes,
    )
    return profile


@transaction.atomic
def set_invoice_prefix(*, actor: Actor, place: Place, prefix: str) -> InvoiceSequence:
    """Change the prefix of the place's numbers (F-000001), only before the first one is
    taken: the numbers already issued keep their series, without a gap nor a second one."""
    require(actor, place)
    wanted = str(prefix or "").strip().upper()
    if not _PREFIX.fullmatch(wanted):
        refuse(
            _("“%(prefix)s” is not a prefix: 1 to 10 capital letters or digits, e.g. F or FAC."),
            "prefix_shape",
            prefix=prefix,
        )
    sequence = lock_sequence(place)
    if sequence.next_number > 1 or queries.numbers_issued(place):
        last = (
            Invoice.objects.filter(place=place, sequence_number__isnull=False)
            .order_by("-sequence_number")
            .values_list("number", flat=True)
            .first()
        )
        refuse(
            _(
                "The prefix stays %(prefix)s: numbers have been issued (the last is %(last)s) "
                "and the numbers already issued keep their series, without a gap."
            ),
            "prefix_locked",
            prefix=sequence.prefix,
            last=last or "-",
        )
    if sequence.prefix != wanted:
        sequence.prefix = wanted
        sequence.full_clean()
        sequence.save(update_fields=["prefix"])
        audit.record(
            actor=actor,
            action="billing.sequence.prefix",
            obj=sequence,
            place_id=place.pk,
            changes={"prefix": wanted},
        )
    return sequence
