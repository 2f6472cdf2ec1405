"""`tierslieux simulate [SCENARIO.toml] [--template micro-centre:typical] [--out DIR]`: will
this place hold up? Prints the verdict and its reasons, the break-even month, the key figures,
the sensitivity, and writes the charts as SVG (cash.svg, mix.svg, tornado.svg) in DIR.

A template is the base and the file's top-level keys replace the template's (a file holding
only `fixed_costs` changes the rent of the template). Bad input — a file that is not TOML, a
field out of range — prints every error naming its field and exits with code 2, never a
traceback. See docs/economics.md and docs/examples/micro-centre.toml."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import formats, translation
from django.utils.translation import gettext as _

from tierslieux.core import formatting
from tierslieux.economics import charts, engine, scenario, sensitivity, templates_model, verdict

BAD_INPUT = 2


class Command(BaseCommand):
    help = "Project a tiers-lieu's economic scenario: verdict, break-even, charts."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", type=Path, help="a scenario in TOML")
        parser.add_argument(
            "--template",
            metavar="NAME",
            help=f"a base scenario: {', '.join(templates_model.NAMES)}",
        )
        parser.add_argument("--out", type=Path, metavar="DIR", help="write the SVG charts here")
        parser.add_argument("--language", choices=[c for c, _n in settings.LANGUAGES])
        parser.add_argument("--draws", type=int, default=10_000, help="Monte Carlo draws")
        parser.add_argument("--seed", type=int, default=0, help="Monte Carlo seed")

    def handle(self, *args: Any, **options: Any) -> None:
        with translation.override(options["language"] or settings.LANGUAGE_CODE):
            data = self._data(options)
            try:
                scenario_ = scenario.parse(data)
            except scenario.ScenarioError as refusal:
                lines = [_("The scenario has %(count)s error(s):") % {"count": len(refusal.errors)}]
                colon = formatting.colon()
                lines += [f"  {path}{colon} {message}" for path, message in refusal.errors]
                raise CommandError("\n".join(lines), returncode=BAD_INPUT) from None
            if not 1 <= options["draws"] <= 100_000:
                raise CommandError(_("--draws: between 1 and 100000"), returncode=BAD_INPUT)
            self._report(scenario_, options)

    def _data(self, options: dict[str, Any]) -> dict[str, Any]:
        data: dict[str, Any] = {}
        if options["template"]:
            try:
                data = templates_model.template(options["template"])[0]
            except KeyError:
                message = _("--template: unknown template “%(name)s”; known: %(names)s") % {
                    "name": options["template"],
                    "names": ", ".join(templates_model.NAMES),
                }
                raise CommandError(message, returncode=BAD_INPUT) from None
        path: Path | None = options["file"]
        if path is None and not data:
            raise CommandError(_("Give a scenario file or --template."), returncode=BAD_INPUT)
        if path is not None:
            try:
                data = {**data, **tomllib.loads(path.read_text(encoding="utf-8"))}
            except OSError as error:
                message = _("%(file)s: cannot be read (%(error)s)") % {
                    "file": path,
                    "error": error.strerror or error,
                }
                raise CommandError(message, returncode=BAD_INPUT) from None
            except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
                message = _("%(file)s: not a TOML file (%(error)s)") % {
                    "file": path,
                    "error": error,
                }
                raise CommandError(message, returncode=BAD_INPUT) from None
        return data

    def _report(self, sc: scenario.Scenario, options: dict[str, Any]) -> None:
        p = engine.project(sc)
        judged = verdict.judge(p)
        out = self.stdout.write
        colon = formatting.colon()
        out(f"{sc.name or _('Scenario')} — {_('verdict')}{colon} {judged.label.upper()}")
        for reason in judged.reasons:
            mark = {"blocking": "✗", "warning": "!", "note": "·", "ok": "✓"}[reason.severity]
            out(f"  {mark} {reason.text}")
        out("")
        out(_("Key figures") + colon)
        rows = [
            (_("Investment"), charts.euros(sc.investment_total)),
            (_("Opening cash"), charts.euros(p.opening_cash)),
            (_("Operating break-even"), self._month(sc, p.break_even_month)),
            (_("Break-even without grants"), self._month(sc, p.break_even_without_grants)),
            *[
                (_("Cumulative cash at month %(month)s") % {"month": m}, charts.euros(v))
                for m, v in p.cumulative_at.items()
            ],
            (_("Cash low point"), charts.euros(p.low_point)),
            (_("In-kind contributions a month (not cash)"), charts.euros(float(p.in_kind[0]))),
            (_("Public funding share"), formatting.percent(round(p.public_share * 100))),
            (_("Occupancy planned"), formatting.percent(round(p.occupancy_planned * 100))),
            (_("Occupancy needed to break even"), _share(p.occupancy_needed)),
            (_("Individual members needed"), _count(p.members_needed.get("people"))),
            (_("Member organisations needed"), _count(p.members_needed.get("organisations"))),
        ]
        for label, value in rows:
            out(f"  {label}{colon} {value}")
        out(_("Revenue mix (seed's target)") + colon)
        for family, (low, high) in templates_model.MIX_TARGETS.items():
            share = formatting.percent(round(p.mix.get(family, 0.0) * 100))
            target = f"{formatting.number(low)}–{formatting.percent(high)}"
            out(f"  {scenario.FAMILY_LABELS[family]}{colon} {share} ({target})")
        self._sensitivity(sc, options, out)
        if options["out"]:
            self._charts(p, sensitivity.tornado(sc), options["out"])

    def _sensitivity(self, sc: scenario.Scenario, options: dict[str, Any], out: Any) -> None:
        colon = formatting.colon()
        tornado = sensitivity.tornado(sc)
        out(_("Sensitivity, each driver ±20 %% (cash at month 36)") % {} + colon)
        for bar in tornado.bars[:5]:
            low, high = charts.euros(bar.cash_low), charts.euros(bar.cash_high)
            out(f"  {charts.driver_label(bar.driver)}{colon} {low} / {high}")
        mc = sensitivity.monte_carlo(sc, options["draws"], options["seed"])
        out(
            _("Monte Carlo (%(draws)s draws, seed %(seed)s)")
            % {"draws": formatting.number(mc.draws), "seed": mc.seed}
            + colon
        )
        chance = formatting.percent(round(mc.p_break_even * 100))
        out("  " + _("break-even within 24 months%(colon)s %(chance)s of the draws")
            % {"colon": colon, "chance": chance})  # fmt: skip
        lows = ", ".join(f"p{q} {charts.euros(v)}" for q, v in mc.low_point.items())
        out("  " + _("cash low point%(colon)s %(lows)s") % {"colon": colon, "lows": lows})

    def _month(self, sc: scenario.Scenario, month: int | None) -> str:
        if month is None:
            return _("not reached within %(months)s months") % {"months": sc.horizon}
        year, first = (int(x) for x in sc.start.split("-"))
        index = first - 1 + month - 1
        when = formats.date_format(date(year + index // 12, index % 12 + 1, 1), "YEAR_MONTH_FORMAT")
        return _("month %(month)s (%(when)s)") % {"month": month, "when": when}

    def _charts(self, p: engine.Projection, t: sensitivity.Tornado, folder: Path) -> None:
        try:
            folder.mkdir(parents=True, exist_ok=True)
            for name, svg in (
                ("cash.svg", charts.cash_curve(p)),
                ("mix.svg", charts.revenue_mix(p)),
                ("tornado.svg", charts.tornado(t)),
            ):
                (folder / name).write_text(svg, encoding="utf-8")
        except OSError as error:
            message = _("--out: cannot write the charts in %(folder)s (%(error)s)") % {
                "folder": folder,
                "error": error.strerror or error,
            }
            raise CommandError(message, returncode=BAD_INPUT) from None
        self.stdout.write(_("Charts written in %(folder)s.") % {"folder": folder})


def _share(value: float | None) -> str:
    return "—" if value is None else formatting.percent(round(value * 100))


def _count(value: float | None) -> str:
    return "—" if value is None else formatting.number(round(value))
