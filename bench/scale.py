"""The dashboard at scale (`make bench BENCH_ARGS=--scale`, or `python bench/scale.py --size 10m`).

One PostgreSQL database per size (qa_scale_100k, qa_scale_1m, qa_scale_10m on
SCALE_DATABASE_URL's server), built once and reused: 1,000 employees at 200
locations in 10 regions, one 25-item scorecard, the evaluations spread over the last
365 days. Built in SQL (generate_series), not through the ORM: the evaluation rows
with every column the pages and exports read, and the report roll-ups
(qa.models.rollups) that replace the 25 answer rows per evaluation at this size.

Each evaluation's answers are one of 32 answer sets scored by the real engine
(scorecards.scoring), so its overall, section and critical figures, its
`answer_values` and the roll-ups all agree, as qa.rollups would have written them;
`manage.py rebuild_rollups` is not run on these databases (they hold no answer rows).

Prints `name: value unit` lines: build time, database size (and per million
evaluations), dashboard_ms with no filter and for the last 30 days.
"""

import argparse
import os
import random
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVER = os.environ.get("SCALE_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/")
SIZES = {"100k": 100_000, "1m": 1_000_000, "10m": 10_000_000}
REGIONS, LOCATIONS, EMPLOYEES_PER_LOCATION, DAYS, PATTERNS = 10, 200, 5, 365, 32
SECTIONS = ["Courtesy", "Accuracy", "Transparency", "Responsiveness", "Follow-through"]
CHUNK = 1_000_000


def database_url(size: str) -> str:
    parsed = urllib.parse.urlparse(SERVER)
    return parsed._replace(path=f"/qa_scale_{size}").geturl()


def ensure_database(url: str):
    parsed = urllib.parse.urlparse(url)
    admin = parsed._replace(path="/postgres").geturl()
    name = parsed.path.lstrip("/")
    exists = subprocess.run(["psql", admin, "-tAc", f"SELECT 1 FROM pg_database WHERE datname = '{name}'"],
                            capture_output=True, text=True, check=True).stdout.strip()
    if not exists:
        subprocess.run(["psql", admin, "-qc", f'CREATE DATABASE "{name}"'], check=True)


def say(name, value, unit=""):
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def setup(size: str):
    url = database_url(size)
    ensure_database(url)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "false")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def structure():
    """Regions, places, people, the scorecard and the answer sets (small: through the ORM)."""
    from qa.models import User
    from scorecards.models import AnswerType, Channel, Item, Scorecard, ScorecardVersion, Section
    from scorecards.services import publish
    from shops.models import Employee, Location, Region

    regions = [Region.objects.get_or_create(code=f"S{n:02d}", defaults={"name": f"Scale region {n:02d}"})[0]
               for n in range(REGIONS)]
    user, _ = User.objects.get_or_create(username="scale-reviewer")
    scorecard, _ = Scorecard.objects.get_or_create(name="Scale scorecard", defaults={"channel": Channel.PHONE_CALL})
    version = scorecard.versions.first()
    if version is None:
        version = ScorecardVersion.objects.create(scorecard=scorecard, number=1)
        types = [AnswerType.YES_NO, AnswerType.YES_PARTIAL_NO, AnswerType.SCALE_5]
        for order, name in enumerate(SECTIONS, start=1):
            section = Section.objects.create(version=version, name=name, weight=1, order=order)
            for i in range(5):
                Item.objects.create(section=section, order=i, question=f"{name} check {i + 1}",
                                    answer_type=types[i % 3], policy_reference=f"Policy {order}.{i + 1}",
                                    critical=(order == 2 and i == 0))
        publish(version, None)
    if not Location.objects.filter(code__startswith="S-").exists():
        locations = Location.objects.bulk_create(
            Location(region=regions[n % REGIONS], code=f"S-{n:03d}", name=f"Scale store {n:03d}")
            for n in range(LOCATIONS))
        Employee.objects.bulk_create(
            Employee(location=loc, employee_code=f"S-{loc.code}-{e}", name=f"Scale person {loc.code}-{e}")
            for loc in locations for e in range(EMPLOYEES_PER_LOCATION))
    return version, user


def answer_sets(version):
    """PATTERNS answer sets, scored by the engine: (answer_values, result, item figures)."""
    from qa import rollups
    from scorecards.services import spec_for

    spec = spec_for(version)
    rng = random.Random(16)
    sets = []
    for _ in range(PATTERNS):
        values = []
        for item in spec.items():
            if rng.random() < 0.12 and not (item.critical and rng.random() < 0.8):
                values.append("1" if item.answer_type == "scale_5" else "no")
            elif item.answer_type == "scale_5":
                values.append(rng.choice(["3", "4", "5"]))
            elif item.answer_type == "yes_partial_no":
                values.append(rng.choice(["yes", "yes", "partial"]))
            else:
                values.append("yes")
        text = rollups.ANSWER_SEPARATOR.join(values)
        row = {"answer_values": text}
        from scorecards import scoring
        result = scoring.score(spec, {item.id: scoring.AnswerInput(value=v) for item, v in zip(spec.items(), values)})
        slots = [result.section_scores.get(section.id) for section in spec.sections]
        sets.append((text, result, slots, rollups.item_figures(row, spec)))
    return sets


def settle():
    """The roll-ups in the order a live installation writes them (a day's cells when the day
    comes, so the rows of a date range lie together; a bulk GROUP BY scatters them), and
    the planner's statistics."""
    from django.db import connection

    with connection.cursor() as cursor:
        # Planner settings for a database on SSD serving short reads (PostgreSQL's defaults assume
        # spinning disks, and JIT-compiles a 1-second query for half a second): without them the
        # month cells are read by scanning every day cell.
        cursor.execute(f"ALTER DATABASE {connection.settings_dict['NAME']} SET random_page_cost = 1.1")
        cursor.execute(f"ALTER DATABASE {connection.settings_dict['NAME']} SET jit = off")
        cursor.execute("CLUSTER qa_evaluationrollup USING evaluation_rollup_key")
        cursor.execute("CLUSTER qa_itemrollup USING item_rollup_key")
        cursor.execute("CLUSTER qa_locationitemrollup USING location_item_rollup_key")
        cursor.execute("VACUUM ANALYZE")


def build(size: str, count: int):
    from django.db import connection

    from qa.models import Evaluation
    from qa import rollups

    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    version, user = structure()
    existing = Evaluation.objects.filter(version=version).count()
    if existing == count:
        from qa.models import EvaluationRollup

        print(f"# reusing {count:,} evaluations in qa_scale_{size}", flush=True)
        from qa.models import LocationItemRollup

        if not EvaluationRollup.objects.filter(grain="m").exists():  # a build stopped before its months
            print("# finishing the month roll-ups", flush=True)
            rollups.months_from_days()
            settle()
        if not LocationItemRollup.objects.exists():  # built before items were also kept per place
            print("# adding up the item roll-ups per place", flush=True)
            rollups.place_items_from_items()
            settle()
        return None
    if existing:
        raise SystemExit(f"qa_scale_{size} holds {existing:,} evaluations, not {count:,}: drop it to rebuild")
    started = time.perf_counter()
    sets = answer_sets(version)
    zone = rollups.zone().key
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE pattern (n int PRIMARY KEY, answer_values text, overall numeric, "
                       "critical boolean, s1 numeric, s2 numeric, s3 numeric, s4 numeric, s5 numeric)")
        cursor.execute("CREATE TEMP TABLE pattern_item (answer_values text, item_id int, failures int, unscored int, "
                       "answered int, passed int, number_total numeric, number_count int)")
        for n, (text, result, slots, items) in enumerate(sets):
            cursor.execute("INSERT INTO pattern VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                           [n, text, result.overall, result.critical_failed, *slots])
            for item_id, f in items.items():
                cursor.execute("INSERT INTO pattern_item VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                               [text, item_id, f["failures"], f["unscored"], f["answered"], f["passed"],
                                f["number_total"], f["number_count"]])
        cursor.execute("CREATE TEMP TABLE person AS SELECT (row_number() OVER (ORDER BY e.id) - 1)::int AS n, "
                       "e.id AS employee_id, e.location_id FROM shops_employee e JOIN shops_location l "
                       "ON l.id = e.location_id WHERE l.code LIKE 'S-%%'")
        cursor.execute("SELECT count(*) FROM person")
        people = cursor.fetchone()[0]
        slot_columns = ", ".join(f"section_score_{n}" for n in range(1, 11))
        for start in range(0, count, CHUNK):
            end = min(count, start + CHUNK)
            cursor.execute(f"""
                INSERT INTO qa_evaluation (version_id, employee_id, location_id, channel, source, interaction_at,
                    evaluator_id, status, is_calibration, overall_score, critical_failed, comments, created_at,
                    updated_at, submitted_at, scored_at, released_at, revision, answer_values, {slot_columns})
                SELECT %s, p.employee_id, p.location_id, 'phone_call', 'reviewer',
                    now() - (i %% {DAYS}) * interval '1 day' - ((i::bigint * 7919) %% 600) * interval '1 minute',
                    %s, 'released', false, t.overall, t.critical, '', now(), now(), now(), now(), now(), 1,
                    t.answer_values, t.s1, t.s2, t.s3, t.s4, t.s5, NULL, NULL, NULL, NULL, NULL
                FROM generate_series(%s::bigint, %s::bigint) AS i
                JOIN person p ON p.n = (i / {DAYS}) %% %s
                JOIN pattern t ON t.n = abs(hashint4(i::int)) %% {PATTERNS}
            """, [version.pk, user.pk, start, end - 1, people])
            print(f"# {end:,} evaluations ({time.perf_counter() - started:.0f} s)", flush=True)
        day = f"(e.interaction_at AT TIME ZONE '{zone}')::date"
        keys = "e.employee_id, e.location_id, e.version_id, e.channel, e.source"
        buckets = ", ".join(
            f"count(*) FILTER (WHERE e.overall_score >= {low}" + (f" AND e.overall_score < {low + 10})" if low < 90 else ")")
            if low else "count(*) FILTER (WHERE e.overall_score < 10)" for low in range(0, 100, 10))
        slots = ", ".join(f"coalesce(sum(e.section_score_{n}), 0), count(e.section_score_{n})" for n in range(1, 11))
        slot_names = ", ".join(f"slot_total_{n}, slot_count_{n}" for n in range(1, 11))
        bucket_names = ", ".join(f"bucket_{low}" for low in range(0, 100, 10))
        cursor.execute("DELETE FROM qa_itemrollup; DELETE FROM qa_evaluationrollup")
        cursor.execute(f"""
            INSERT INTO qa_evaluationrollup (grain, period, employee_id, employee_key, location_id, version_id, channel,
                source, count, scored, total, sum_sq, critical_failures, {bucket_names}, {slot_names})
            SELECT 'd', {day}, e.employee_id, coalesce(e.employee_id, 0), e.location_id, e.version_id, e.channel,
                e.source, count(*), count(e.overall_score), coalesce(sum(e.overall_score), 0),
                coalesce(sum(e.overall_score * e.overall_score), 0), count(*) FILTER (WHERE e.critical_failed),
                {buckets}, {slots}
            FROM qa_evaluation e WHERE e.status = 'released' AND NOT e.is_calibration
            GROUP BY {day}, {keys}
        """)
        print(f"# evaluation roll-ups ({time.perf_counter() - started:.0f} s)", flush=True)
        # The item roll-up is the largest table: its indexes are made once, after the rows.
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'qa_itemrollup' "
                       "AND indexname NOT LIKE '%%pkey'")
        item_indexes = cursor.fetchall()
        cursor.execute("SELECT conname FROM pg_constraint WHERE conrelid = 'qa_itemrollup'::regclass AND contype = 'u'")
        unique_constraints = [row[0] for row in cursor.fetchall()]
        for name in unique_constraints:
            cursor.execute(f'ALTER TABLE qa_itemrollup DROP CONSTRAINT "{name}"')
        for name, _definition in item_indexes:
            cursor.execute(f'DROP INDEX IF EXISTS "{name}"')
        cursor.execute(f"""
            INSERT INTO qa_itemrollup (grain, period, employee_id, employee_key, location_id, version_id, channel,
                source, item_id, count, failures, unscored, answered, passed, number_total, number_count)
            SELECT 'd', g.day, g.employee_id, coalesce(g.employee_id, 0), g.location_id, g.version_id, g.channel,
                g.source, pi.item_id, sum(g.n), sum(g.n * pi.failures), sum(g.n * pi.unscored),
                sum(g.n * pi.answered), sum(g.n * pi.passed), sum(g.n * pi.number_total), sum(g.n * pi.number_count)
            FROM (SELECT {day} AS day, {keys}, e.answer_values, count(*) AS n FROM qa_evaluation e
                  WHERE e.status = 'released' AND NOT e.is_calibration GROUP BY 1, {keys}, e.answer_values) g
            JOIN pattern_item pi ON pi.answer_values = g.answer_values
            GROUP BY g.day, g.employee_id, g.location_id, g.version_id, g.channel, g.source, pi.item_id
        """)
        for name, definition in item_indexes:
            if name in unique_constraints:
                continue
            cursor.execute(definition)
        for name in unique_constraints:
            cursor.execute(f'ALTER TABLE qa_itemrollup ADD CONSTRAINT "{name}" UNIQUE '
                           '(grain, period, employee_key, location_id, version_id, channel, source, item_id)')
        print(f"# item roll-ups ({time.perf_counter() - started:.0f} s)", flush=True)
    rollups.months_from_days()
    rollups.place_items_from_items()
    settle()
    elapsed = time.perf_counter() - started
    say(f"scale_build_seconds_{size}", f"{elapsed:.0f}", f"s for {count:,} evaluations")
    return elapsed


def measure(size: str, count: int):
    from django.conf import settings
    from django.contrib.auth.models import Group
    from django.db import connection
    from django.test import Client
    from django.test.utils import setup_test_environment
    from django.utils import timezone
    from datetime import timedelta

    from qa import roles
    from qa.models import EvaluationRollup, ItemRollup, LocationItemRollup, User

    setup_test_environment()
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_database_size(current_database())")
        size_bytes = cursor.fetchone()[0]
    say(f"scale_database_gb_{size}", f"{size_bytes / 1e9:.2f}", "GB")
    say(f"scale_database_gb_per_million_{size}", f"{size_bytes / 1e9 / (count / 1e6):.2f}", "GB per million evaluations")
    say(f"scale_rollup_rows_{size}", f"{EvaluationRollup.objects.count():,} + {ItemRollup.objects.count():,} + "
        f"{LocationItemRollup.objects.count():,}", "(evaluation + item + item-per-place roll-up rows)")
    user, _ = User.objects.get_or_create(username="scale-admin", defaults={"is_superuser": True, "is_staff": True})
    user.groups.add(*Group.objects.filter(name=roles.ADMINISTRATOR))
    client = Client()
    client.force_login(user)
    settings.REPORT_CACHE_SECONDS = 0
    last_30 = (timezone.localdate() - timedelta(days=29)).isoformat()
    for name, params in (("all", {}), ("30_days", {"date_from": last_30}), ("week_trend", {"period": "week"})):
        client.get("/reports/", params)
        best, n = None, None
        for _ in range(3):
            start = time.perf_counter()
            response = client.get("/reports/", params)
            elapsed = time.perf_counter() - start
            assert response.status_code == 200, response.status_code
            best = elapsed if best is None else min(best, elapsed)
            n = response.context["data"].summary["count"]
        say(f"dashboard_ms_postgresql_{size}_{name}", f"{best * 1000:.0f}", f"ms for {n:,} evaluations")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", choices=sorted(SIZES), required=True)
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--settle", action="store_true", help="cluster and analyse the roll-ups of a database built before")
    args = parser.parse_args()
    setup(args.size)
    build(args.size, SIZES[args.size])
    if args.settle:
        settle()
    if not args.build_only:
        measure(args.size, SIZES[args.size])


if __name__ == "__main__":
    main()
