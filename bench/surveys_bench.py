"""Surveys benchmark: the results of a 30-question survey with 10,000 responses, target ≤ 500 ms
(issue 13), counted in SQL (`tierslieux/surveys/results.py`).

One command: `.venv/bin/python bench/surveys_bench.py [--postgres]`. The data set, by
bulk_create: one place's published survey of 30 questions — 8 single choices (4 to 6 choices,
one with "other"), 5 multiple choices (6 choices, 1 to 3 ticked), 6 scales (1–5 and 0–10),
4 numbers (whole and decimal), 2 dates, 1 commune (20 communes), 2 rankings (4 choices, 2 to 4
ranked), 2 free texts (a third of the people write) — and `--responses` responses over a
year, with their answer rows (about 40 per response: 400,000 rows). Timed with
`time.perf_counter` (warm-up runs discarded):

(a) the whole results computation, all versions (`surveys.results.results`): every
    question's counts, shares, means, medians, distributions, the response rate;
(b) the same, filtered on one answer (`where=("q01", "c1")`);
(c) a cross-tabulation of a single choice by a scale (`surveys.results.crosstab`);
(d) the results page as the coordinator gets it (the view, 30 SVG charts, the template);
(e) the CSV export of every response (no target: a download).

Prints a Markdown table and writes the figures as JSON under var/bench/.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.bookings_bench import timed  # noqa: E402
from bench.harness import in_throwaway_database, machine  # noqa: E402

TARGETS = {"a": 500.0, "b": 500.0, "c": 500.0, "d": 500.0, "e": None}
COMMUNES = [(f"{75100 + n}", f"Paris {n}e arrondissement") for n in range(1, 21)]


def _choices(n: int) -> list[dict[str, str]]:
    return [{"key": f"c{k}", "label": f"Choix {k}"} for k in range(1, n + 1)]


def definition() -> dict[str, Any]:
    """30 questions of every kind, in one section."""
    questions: list[dict[str, Any]] = []

    def add(kind: str, **more: Any) -> None:
        key = f"q{len(questions) + 1:02d}"
        questions.append({"key": key, "kind": kind, "label": f"Question {key}", **more})

    for n in range(8):
        add("single", choices=_choices(4 + n % 3), other=n == 0)
    for _n in range(5):
        add("multiple", choices=_choices(6))
    for n in range(6):
        add("scale", minimum=0 if n % 2 else 1, maximum=10 if n % 2 else 5)
    add("number", minimum=0, maximum=200, unit="km")
    add("number", minimum=0, maximum=7)
    add("number", minimum=0, maximum=100000)
    add("number", minimum=0, maximum=100, step="0.5")
    add("date")
    add("date")
    add("commune")
    add("ranking", choices=_choices(4))
    add("ranking", choices=_choices(4))
    add("text", multiline=True)
    add("text")
    return {"sections": [{"key": "all", "title": "Tout", "questions": questions}]}


def _answers(question: dict[str, Any], rng: random.Random) -> list[dict[str, Any]]:
    """The answer rows of one question for one person (none: left empty)."""
    kind, keys = question["kind"], [c["key"] for c in question.get("choices", [])]
    if kind == "single":
        if question.get("other") and rng.random() < 0.05:
            return [{"choice": "other", "text": rng.choice(["Trottinette", "Roller", "Cheval"])}]
        return [{"choice": rng.choice(keys)}]
    if kind == "multiple":
        return [{"choice": c} for c in rng.sample(keys, rng.randint(1, 3))]
    if kind == "scale":
        return [
            {"number": Decimal(rng.randint(int(question["minimum"]), int(question["maximum"])))}
        ]
    if kind == "number":
        top = int(question["maximum"])
        value = (
            Decimal(rng.randint(0, top * 2)) / 2 if question.get("step") else rng.randint(0, top)
        )
        return [{"number": Decimal(value)}]
    if kind == "date":
        return [{"date": date(2026, 1, 1) + timedelta(days=rng.randint(0, 700))}]
    if kind == "commune":
        code, name = rng.choice(COMMUNES)
        return [{"commune": code, "text": name}]
    if kind == "ranking":
        ranked = rng.sample(keys, rng.randint(2, 4))
        return [{"choice": c, "rank": n} for n, c in enumerate(ranked, start=1)]
    if rng.random() < 0.33:
        return [
            {"text": " ".join(rng.choices(["café", "vélo", "horaires", "bruit", "merci"], k=8))}
        ]
    return []


def seed(responses: int, rng: random.Random) -> dict[str, Any]:
    from tierslieux.places.tests import factories as pf
    from tierslieux.surveys import services
    from tierslieux.surveys.models import Answer, Response, Survey

    place = pf.place(name="Banc d’enquêtes", slug="banc")
    coordinator = pf.coordinator(place)
    survey = services.create_survey(
        actor=coordinator, place=place, title="Enquête de banc", definition=definition()
    )
    survey = services.publish(actor=coordinator, survey=survey)
    Survey.objects.filter(pk=survey.pk).update(invitation_count=25_000)
    version = survey.current_version()
    questions = definition()["sections"][0]["questions"]
    first = date(2026, 6, 1)
    made = Response.objects.bulk_create(
        [
            Response(survey=survey, version=version, submitted_on=first + timedelta(days=n % 365))
            for n in range(responses)
        ],
        batch_size=2000,
    )
    rows: list[Answer] = []
    for response in made:
        for question in questions:
            for given in _answers(question, rng):
                rows.append(
                    Answer(
                        response_id=response.pk,
                        survey_id=response.survey_id,
                        version_id=response.version_id,
                        question=question["key"],
                        **given,
                    )
                )
        if len(rows) > 20_000:
            Answer.objects.bulk_create(rows, batch_size=5000)
            rows = []
    Answer.objects.bulk_create(rows, batch_size=5000)
    return {"place": place, "coordinator": coordinator, "survey": survey}


def run(args: argparse.Namespace, rng: random.Random) -> dict[str, Any]:
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from tierslieux.surveys import exports
    from tierslieux.surveys import results as sr
    from tierslieux.surveys.models import Answer

    data = seed(args.responses, rng)
    survey = data["survey"]
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner's statistics, as after a day in production
    call_command("collectstatic", interactive=False, verbosity=0)  # DEBUG off: manifest
    client = Client()
    client.force_login(data["coordinator"])
    url = reverse("surveys_manage:results", args=[data["place"].slug, survey.pk])
    measures = {
        "a": timed(lambda n: sr.results(survey), args.runs),
        "b": timed(lambda n: sr.results(survey, where=("q01", "c1")), args.runs),
        "c": timed(lambda n: sr.crosstab(sr.scope(survey), "q02", "q15"), args.runs),
        "d": timed(lambda n: client.get(url), args.runs),
        "e": timed(lambda n: exports.answers_csv(survey), max(3, args.runs // 5), warmup=1),
    }
    page = client.get(url)
    found = sr.results(survey)
    check = {
        "page_status": page.status_code,
        "responses": found.responses,
        "answer_rows": Answer.objects.count(),
        "q01_answered": found.questions[0].answered,
        "q15_mean": str(found.questions[14].figures.mean if found.questions[14].figures else None),
    }
    return {"responses": args.responses, **measures, "check": check, "plans": plans(survey)}


def plans(survey: Any) -> list[str]:
    """The query plans of the GROUP BYs (EXPLAIN), to see how the answers are reached."""
    from django.db import connection

    from tierslieux.surveys import results as sr

    found = sr.scope(survey)
    plans = []
    for queryset in (sr.grouped_choices(found), sr.grouped_values(found)):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            prefix = "EXPLAIN " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
            cursor.execute(prefix + sql, params)
            plans += [" ".join(str(c) for c in row) for row in cursor.fetchall()]
    return plans


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--postgres", action="store_true", help="in a throwaway PG cluster")
    parser.add_argument("--runs", type=int, default=10, help="timed runs per measure")
    parser.add_argument("--responses", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    results, vendor = in_throwaway_database(
        args.postgres, "tl-surveys-bench.", lambda: run(args, rng)
    )
    print(f"\n| measure ({vendor}) | median | p95 | min | CPU median | queries | target |")
    print("|---|---|---|---|---|---|---|")
    labels = {
        "a": f"(a) results, 30 questions, {args.responses} responses",
        "b": "(b) results filtered on one answer",
        "c": "(c) cross-tabulation single × scale",
        "d": "(d) results page (view, charts, template)",
        "e": "(e) CSV export of every response",
    }
    for key, label in labels.items():
        r = results[key]
        target = f"≤ {TARGETS[key]:.0f} ms" if TARGETS[key] else "—"
        print(
            f"| {label} | {r['median_ms']} ms | {r['p95_ms']} ms | {r['min_ms']} ms "
            f"| {r['cpu_median_ms']} ms | {r['queries']} | {target} |"
        )
    print(f"load average: {os.getloadavg()}")
    print(f"\ncheck: {results['check']}")
    print("plans of the GROUP BYs:\n  " + "\n  ".join(results["plans"]))
    out = ROOT / "var" / "bench"
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"surveys-{vendor}.json"
    path.write_text(json.dumps({"machine": machine(), **results}, indent=2, default=str))
    print(f"written {path}")


if __name__ == "__main__":
    main()
