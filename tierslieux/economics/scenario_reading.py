"""Reading a scenario from a dict, refusing bad input with every error at once, each naming
its field (`revenue[2].occupancy`, indices from 0). Messages go through gettext: they come
out in the active language.

Bounds: money up to a hundred million euros, a unit price up to a million, counts and
capacities up to a million; anything not finite (NaN, 1e309 read as infinity) is refused.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from typing import Any, TypeVar

from django.utils.translation import gettext as _

from tierslieux.economics import scenario as s

T = TypeVar("T")
MONEY_MAX = 1e8
PRICE_MAX = 1e6
COUNT_MAX = 1e6
HORIZON = (36, 60)
MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class Reader:
    """Collects errors while reading; each getter returns a usable default after an error."""

    def __init__(self) -> None:
        self.errors: list[tuple[str, str]] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append((path, message))

    def table(self, value: Any, path: str, known: tuple[str, ...]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, _("expected a table of fields"))
            return {}
        for key in value:
            if key not in known:
                self.fail(f"{path}.{key}" if path else str(key), _("unknown field"))
        return value

    def number(
        self,
        obj: dict[str, Any],
        key: str,
        path: str,
        *,
        low: float = 0.0,
        high: float = MONEY_MAX,
        default: float | None = None,
    ) -> float:
        where = f"{path}.{key}" if path else key
        if key not in obj:
            if default is None:
                self.fail(where, _("required"))
                return low
            return default
        value = obj[key]
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(where, _("expected a number"))
            return low
        if isinstance(value, float) and not math.isfinite(value):
            self.fail(where, _("not a finite number"))
            return low
        if value < low:
            if low == 0:
                self.fail(where, _("must not be negative"))
            else:
                self.fail(where, _("must be at least %(low)s") % {"low": _plain(low)})
            return low
        if value > high:
            self.fail(where, _("must be at most %(high)s") % {"high": _plain(high)})
            return high
        return float(value)

    def integer(
        self, obj: dict[str, Any], key: str, path: str, *, low: int, high: int, default: int | None
    ) -> int:
        where = f"{path}.{key}" if path else key
        if key not in obj:
            if default is None:
                self.fail(where, _("required"))
                return low
            return default
        value = obj[key]
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(where, _("expected a whole number"))
            return low
        if not low <= value <= high:
            self.fail(where, _("must be between %(low)s and %(high)s") % {"low": low, "high": high})
            return min(max(value, low), high)
        return value

    def text(self, obj: dict[str, Any], key: str, path: str, *, default: str | None = "") -> str:
        where = f"{path}.{key}" if path else key
        if key not in obj:
            if default is None:
                self.fail(where, _("required"))
                return ""
            return default
        value = obj[key]
        if not isinstance(value, str):
            self.fail(where, _("expected text"))
            return ""
        if len(value) > 200 or "\n" in value:
            self.fail(where, _("expected one line of at most 200 characters"))
        elif any(ord(c) < 32 or 127 <= ord(c) < 160 for c in value):
            # A NUL would reach PostgreSQL's JSON, which refuses it; a tab is no one's text.
            self.fail(
                where, _("Write it on one line, without line breaks, tabs or control characters.")
            )
        return value.strip()

    def choice(
        self, obj: dict[str, Any], key: str, path: str, options: tuple[str, ...], default: str
    ) -> str:
        where = f"{path}.{key}" if path else key
        value = obj.get(key, default)
        if value not in options:
            self.fail(where, _("expected one of: %(options)s") % {"options": ", ".join(options)})
            return options[0]
        return str(value)

    def records(
        self, data: dict[str, Any], key: str, read: Callable[[dict[str, Any], str], T]
    ) -> tuple[T, ...]:
        value = data.get(key, [])
        if not isinstance(value, list):
            self.fail(key, _("expected a list"))
            return ()
        found = []
        for n, item in enumerate(value):
            path = f"{key}[{n}]"
            if not isinstance(item, dict):
                self.fail(path, _("expected a table of fields"))
                continue
            found.append(read(item, path))
        return tuple(found)


def _plain(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def read(data: Any) -> s.Scenario:
    r = Reader()
    top = (
        "name", "horizon", "start", "vat", "investments", "fundings", "loans", "fixed_costs",
        "staff", "variable_costs", "revenue", "memberships", "grants", "in_kind",
        "side_activities",
    )  # fmt: skip
    if not isinstance(data, dict):
        raise s.ScenarioError([("", _("expected a table of fields"))])
    data = r.table(data, "", top)
    horizon = r.integer(data, "horizon", "", low=HORIZON[0], high=HORIZON[1], default=None)
    start = r.text(data, "start", "", default=None)
    found = MONTH.match(start)
    if start and (not found or not 1 <= int(found.group(2)) <= 12):
        r.fail("start", _("expected a month written YYYY-MM"))

    def month(obj: dict[str, Any], key: str, path: str, default: int | None) -> int:
        return r.integer(obj, key, path, low=1, high=horizon, default=default)

    def ramp(obj: dict[str, Any], path: str) -> s.Ramp:
        if "ramp" not in obj:
            return s.Ramp()
        where = f"{path}.ramp"
        value = r.table(obj["ramp"], where, ("months", "shape"))
        months = r.integer(value, "months", where, low=0, high=horizon, default=0)
        return s.Ramp(months, r.choice(value, "shape", where, s.SHAPES, "linear"))

    def investment(o: dict[str, Any], p: str) -> s.Investment:
        r.table(o, p, ("category", "amount", "label"))
        category = r.choice(o, "category", p, s.INVESTMENT_CATEGORIES, "")
        return s.Investment(category, r.number(o, "amount", p), r.text(o, "label", p))

    investments = r.records(data, "investments", investment)
    total = sum(i.amount for i in investments)
    shares: list[float] = []
    amounts: list[float] = []

    def funding(o: dict[str, Any], p: str) -> s.Funding:
        r.table(o, p, ("source", "amount", "share", "label"))
        source = r.choice(o, "source", p, s.FUNDING_SOURCES, "")
        if ("amount" in o) == ("share" in o):
            r.fail(p, _("give either an amount or a share of the investment"))
            shares.append(float("nan"))  # no sum can be checked
            return s.Funding(source, 0.0)
        if "share" in o:
            share = r.number(o, "share", p, high=100.0)
            shares.append(share)
            return s.Funding(source, total * share / 100, r.text(o, "label", p))
        amounts.append(r.number(o, "amount", p))
        return s.Funding(source, amounts[-1], r.text(o, "label", p))

    fundings = r.records(data, "fundings", funding)
    if any(math.isnan(x) for x in shares):
        pass
    elif shares and amounts:
        r.fail("fundings", _("give every funding by share or every funding by amount"))
    elif shares and abs(sum(shares) - 100) > 0.01:
        summed = _plain(round(sum(shares), 2))
        r.fail("fundings", _("the shares add up to %(sum)s %%, not 100 %%") % {"sum": summed})

    def loan(o: dict[str, Any], p: str) -> s.Loan:
        r.table(o, p, ("amount", "rate", "months", "deferral", "lender"))
        amount = r.number(o, "amount", p)
        rate = r.number(o, "rate", p, high=30.0)
        months = r.integer(o, "months", p, low=1, high=10_000, default=None)
        if months > horizon:
            r.fail(
                f"{p}.months",
                _("the loan runs %(months)s months, longer than the horizon of %(horizon)s")
                % {"months": months, "horizon": horizon},
            )
        deferral = r.integer(o, "deferral", p, low=0, high=10_000, default=0)
        if deferral >= months:
            r.fail(f"{p}.deferral", _("the deferral must be shorter than the loan"))
            deferral = 0
        return s.Loan(amount, rate, months, deferral, r.text(o, "lender", p))

    def fixed(o: dict[str, Any], p: str) -> s.FixedCost:
        r.table(o, p, ("category", "monthly", "label"))
        category = r.choice(o, "category", p, s.FIXED_CATEGORIES, "")
        return s.FixedCost(category, r.number(o, "monthly", p), r.text(o, "label", p))

    def staff(o: dict[str, Any], p: str) -> s.Staff:
        r.table(o, p, ("role", "fte", "monthly_cost", "start"))
        return s.Staff(
            r.text(o, "role", p),
            r.number(o, "fte", p, high=1000.0),
            r.number(o, "monthly_cost", p, high=PRICE_MAX),
            month(o, "start", p, 1),
        )

    def revenue(o: dict[str, Any], p: str) -> s.RevenueLine:
        keys = ("label", "family", "capacity", "occupancy", "price", "unit", "ramp", "start")
        r.table(o, p, keys)
        return s.RevenueLine(
            r.text(o, "label", p, default=None),
            r.choice(o, "family", p, s.FAMILIES, ""),
            r.number(o, "capacity", p, high=COUNT_MAX),
            r.number(o, "occupancy", p, high=100.0),
            r.number(o, "price", p, high=PRICE_MAX),
            r.text(o, "unit", p),
            ramp(o, p),
            month(o, "start", p, 1),
        )

    lines = r.records(data, "revenue", revenue)
    names = [line.label for line in lines]

    def variable(o: dict[str, Any], p: str) -> s.VariableCost:
        r.table(o, p, ("label", "share", "per_unit", "line", "monthly"))
        given = [k for k in ("share", "per_unit", "monthly") if k in o]
        if len(given) != 1:
            r.fail(p, _("give exactly one of: share, per_unit, monthly"))
        line = r.text(o, "line", p)
        if "per_unit" in o and line not in names:
            r.fail(f"{p}.line", _("name one of the revenue lines"))
        return s.VariableCost(
            r.text(o, "label", p),
            r.number(o, "share", p, high=100.0, default=0.0),
            r.number(o, "per_unit", p, high=PRICE_MAX, default=0.0),
            line,
            r.number(o, "monthly", p, default=0.0),
        )

    def membership(o: dict[str, Any], p: str) -> s.Membership:
        r.table(o, p, ("label", "kind", "count", "fee", "period", "ramp"))
        return s.Membership(
            r.text(o, "label", p, default=None),
            r.choice(o, "kind", p, s.MEMBER_KINDS, ""),
            r.number(o, "count", p, high=COUNT_MAX),
            r.number(o, "fee", p, high=PRICE_MAX),
            r.choice(o, "period", p, s.PERIODS, "year"),
            ramp(o, p),
        )

    def grant(o: dict[str, Any], p: str) -> s.Grant:
        r.table(o, p, ("label", "funder", "funder_kind", "per_year", "start", "end"))
        begins, ends = month(o, "start", p, 1), month(o, "end", p, horizon)
        if ends < begins:
            r.fail(f"{p}.end", _("the end comes before the start"))
        return s.Grant(
            r.text(o, "label", p),
            r.text(o, "funder", p, default=None),
            r.choice(o, "funder_kind", p, s.FUNDING_SOURCES, ""),
            r.number(o, "per_year", p),
            begins,
            ends,
        )

    def in_kind(o: dict[str, Any], p: str) -> s.InKind:
        r.table(o, p, ("label", "hours_per_month", "rate", "monthly_value"))
        return s.InKind(
            r.text(o, "label", p),
            r.number(o, "hours_per_month", p, high=COUNT_MAX, default=0.0),
            r.number(o, "rate", p, high=PRICE_MAX, default=0.0),
            r.number(o, "monthly_value", p, default=0.0),
        )

    def side(o: dict[str, Any], p: str) -> s.SideActivity:
        r.table(o, p, ("label", "monthly_sales", "margin", "ramp"))
        return s.SideActivity(
            r.text(o, "label", p, default=None),
            r.number(o, "monthly_sales", p),
            r.number(o, "margin", p, high=100.0),
            ramp(o, p),
        )

    scenario = s.Scenario(
        name=r.text(data, "name", ""),
        horizon=horizon,
        start=start,
        vat=r.choice(data, "vat", "", s.VAT_REGIMES, "franchise"),
        investments=investments,
        fundings=fundings,
        loans=r.records(data, "loans", loan),
        fixed_costs=r.records(data, "fixed_costs", fixed),
        staff=r.records(data, "staff", staff),
        variable_costs=r.records(data, "variable_costs", variable),
        revenue=lines,
        memberships=r.records(data, "memberships", membership),
        grants=r.records(data, "grants", grant),
        in_kind=r.records(data, "in_kind", in_kind),
        side_activities=r.records(data, "side_activities", side),
    )
    if len(set(names)) != len(names):
        r.fail("revenue", _("two revenue lines have the same label"))
    if r.errors:
        raise s.ScenarioError(r.errors)
    return scenario
