"""The registration form of an event's page, for a visitor or a person of the network.

It offers what the service accepts: the dates still open (each with its seats left, a full
one saying that it leads to the waiting list), the event's prices (the member price to the
place's people only) and, for pay what you want, the amount one pays per seat. Prices are
shown as the event's page shows them, including tax first, then excluding tax; the amount is
typed including tax, as one pays it, and handed to the service excluding tax. The service
still decides; its refusals come back on the field they concern (`FIELDS`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from tierslieux.accounts.models import Person
from tierslieux.billing import tax
from tierslieux.billing.models import MAX_PRICE
from tierslieux.core import formatting
from tierslieux.core.money import round_money
from tierslieux.core.validators import validate_single_line
from tierslieux.events import registration_queries as queries
from tierslieux.events.models import Event, PriceCategory, Registration
from tierslieux.events.registration_models import MAX_SEATS
from tierslieux.events.services.registrations import is_member

PriceKind = PriceCategory.Kind
CENT = Decimal("0.01")
# The service's refusal codes and the field each concerns (others go above the form).
FIELDS = {
    "seats": "seats",
    "email": "email",
    "name": "name",
    "session": "session",
    "session_cancelled": "session",
    "started": "session",
    "price_kind": "price_kind",
    "amount": "amount",
}


def with_tax(price_net: Decimal, code: str, seats: int = 1) -> Decimal:
    """The price of `seats` seats including tax, as an invoice of them totals it."""
    return tax.totals([tax.LineAmount(Decimal(seats), price_net, code)]).gross


def net_of(gross: Decimal, code: str) -> Decimal:
    """The price excluding tax whose price including tax is `gross` (to the cent when one
    exists; else the nearest below, so that one never pays more than one typed)."""
    rate = tax.rule(code).rate
    net = round_money(gross * 100 / (100 + rate))
    for candidate in (net, net - CENT, net + CENT):
        if candidate >= 0 and with_tax(candidate, code) == gross:
            return candidate
    return net if with_tax(net, code) <= gross else max(Decimal("0.00"), net - CENT)


def price_label(price: PriceCategory) -> str:
    """ "Non-member: €12.00 incl. tax (€10.00 excl. tax)", as the event's page shows it."""
    name = str(price.get_kind_display())
    if price.kind == PriceKind.FREE:
        return name
    if price.min_price_net is not None:
        return _("%(name)s: from %(gross)s incl. tax (%(net)s excl. tax)") % {
            "name": name,
            "gross": formatting.money(with_tax(price.min_price_net, price.tax_code)),
            "net": formatting.money(price.min_price_net),
        }
    return _("%(name)s: %(gross)s incl. tax (%(net)s excl. tax)") % {
        "name": name,
        "gross": formatting.money(with_tax(price.price_net, price.tax_code)),
        "net": formatting.money(price.price_net),
    }


def date_label(dates: queries.DateSeats, tz: ZoneInfo) -> str:
    """ "Wednesday 3 March 2027, 14:00–17:00 · Salle Jaune — 2 seats left" (or full)."""
    if dates.full:
        seats = _("full: you would go on the waiting list")
    else:
        seats = ngettext("%(count)s seat left", "%(count)s seats left", dates.left) % {
            "count": dates.left
        }
    session = dates.session
    if session is None:
        return seats
    with timezone.override(tz):
        start, end = timezone.localtime(session.start), timezone.localtime(session.end)
        when = capfirst(formatting.day(start, "l j F Y"))
    return f"{when}, {start:%H:%M}–{end:%H:%M} · {session.space.name} — {seats}"


class RegistrationForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Your name"),
        max_length=200,
        validators=[validate_single_line],
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Your e-mail address"),
        max_length=254,
        help_text=gettext_lazy(
            "We send you a link to confirm your registration; the address is used for this "
            "registration's messages only."
        ),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    seats = forms.IntegerField(
        label=gettext_lazy("Seats"),
        min_value=1,
        max_value=MAX_SEATS,
        initial=1,
        help_text=gettext_lazy("Yourself and those who come with you (10 at most)."),
    )
    # A field people do not see: robots fill every field they find.
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def __init__(
        self,
        data: Any = None,
        *,
        event: Event,
        dates: list[queries.DateSeats],
        person: Person | None = None,
    ) -> None:
        super().__init__(data, prefix="registration")
        self.event, self.person = event, person
        self.dates = {d.session.pk: d for d in dates if d.session is not None}
        self.member = is_member(person, event)
        if person is not None:
            del self.fields["name"], self.fields["email"]
        if event.enrolment == Event.Enrolment.SESSION:
            tz = ZoneInfo(event.place.timezone)
            self.fields["session"] = forms.TypedChoiceField(
                label=_("Date"),
                coerce=int,
                choices=[(pk, date_label(d, tz)) for pk, d in self.dates.items()],
                widget=forms.RadioSelect,
                initial=next(iter(self.dates), None) if len(self.dates) == 1 else None,
            )
        self.prices = {
            p.kind: p
            for p in event.prices.order_by("price_net", "pk")
            if p.kind != PriceKind.MEMBER or self.member
        }
        if self.prices:
            self.fields["price_kind"] = forms.ChoiceField(
                label=_("Price"),
                choices=[(kind, price_label(p)) for kind, p in self.prices.items()],
                widget=forms.RadioSelect,
                initial=next(iter(self.prices)) if len(self.prices) == 1 else None,
            )
        wanted = self.prices.get(PriceKind.PAY_WHAT_YOU_WANT)
        if wanted is not None:
            self.fields["amount"] = forms.DecimalField(
                label=_("Your price per seat, including tax (pay what you want)"),
                required=False,
                min_value=Decimal("0"),
                max_value=MAX_PRICE,
                max_digits=9,
                decimal_places=2,
                help_text=_("At least %(minimum)s including tax (%(net)s excluding tax).")
                % {
                    "minimum": formatting.money(
                        with_tax(wanted.min_price_net or Decimal(0), wanted.tax_code)
                    ),
                    "net": formatting.money(wanted.min_price_net or Decimal(0)),
                },
                widget=forms.NumberInput(attrs={"step": "0.01", "inputmode": "decimal"}),
            )
        self.order_fields(["name", "email", "session", "seats", "price_kind", "amount"])

    def clean_website(self) -> str:
        if self.cleaned_data.get("website"):
            raise forms.ValidationError(_("Leave this field empty."), code="honeypot")
        return ""

    def clean_email(self) -> str:
        return str(self.cleaned_data.get("email", "")).strip().lower()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("price_kind")
        wanted = self.prices.get(PriceKind.PAY_WHAT_YOU_WANT)
        if wanted is None or kind != PriceKind.PAY_WHAT_YOU_WANT:
            data["amount"] = None
            return data
        gross = data.get("amount")
        minimum = with_tax(wanted.min_price_net or Decimal(0), wanted.tax_code)
        if gross is None:
            if "amount" not in self.errors:
                self.add_error("amount", _("Say how much you pay per seat."))
        elif gross < minimum:
            self.add_error(
                "amount",
                _("The price per seat cannot be under %(minimum)s including tax.")
                % {"minimum": formatting.money(minimum)},
            )
        else:
            net = net_of(gross, wanted.tax_code)
            data["amount"] = max(net, wanted.min_price_net or Decimal(0))
        return data


@dataclass
class Panel:
    """What the registration part of an event's page shows."""

    event: Event
    state: str  # "open", "none" (no registration), "closed", "members_only", "hidden"
    form: RegistrationForm | None = None
    dates: list[queries.DateSeats] = field(default_factory=list)
    mine: list[Registration] = field(default_factory=list)
    person: Person | None = None

    @property
    def all_full(self) -> bool:
        return bool(self.dates) and all(d.full for d in self.dates)

    @property
    def course(self) -> queries.DateSeats | None:
        return self.dates[0] if self.event.enrolment == Event.Enrolment.SERIES else None


def panel(event: Event, user: Any, now: datetime, data: Any = None) -> Panel:
    """The registration part of the event's page for `user` (bound to `data` after a POST)."""
    person = person_of(user)
    if event.status != Event.Status.PUBLISHED:
        return Panel(event, "hidden")
    if not event.registration_required:
        return Panel(event, "none")
    dates = queries.open_dates(event, now)
    if not dates:
        coming = event.sessions.filter(cancelled_at__isnull=True, end__gt=now).exists()
        return Panel(event, "closed" if coming else "hidden")
    mine = queries.active_of(person, event)
    if event.access == Event.Access.MEMBERS and not is_member(person, event):
        return Panel(event, "members_only", dates=dates, mine=mine, person=person)
    form = RegistrationForm(data, event=event, dates=dates, person=person)
    return Panel(event, "open", form=form, dates=dates, mine=mine, person=person)


def person_of(user: Any) -> Person | None:
    """The logged-in user's person (None for a visitor, or a login without a person)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "person", None)
