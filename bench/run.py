"""Benchmarks for reports and exports (`make bench`). Not tests: they print figures.

Each figure is measured against a floor measured in the same run, so the
machine's noise cancels out of the ratios. Output: one line per figure,
`name: value unit`.

Data: 100,000 released evaluations of a 25-item scorecard across 200 locations
and 1,000 employees in one region; one "Flagship" location holds 37,000 of them
(enough for a 500-page PDF). Made once into BENCH_DATABASE_URL (default: the
SQLite file var/bench.sqlite3) and reused; `--fresh` rebuilds it.

    make bench
    make bench BENCH_ARGS=--fresh
    make bench BENCH_ARGS=--scale    # the dashboard at 100k, 1M and 10M on PostgreSQL (bench/scale.py)
    make bench BENCH_ARGS="--scale --sizes 100k,1m"
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/qa_bench make bench
"""

import argparse
import io
import os
import random
import sys
import time
import tracemalloc
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DEFAULT_FILE = ROOT / "var" / "bench.sqlite3"
os.environ["DATABASE_URL"] = os.environ.get("BENCH_DATABASE_URL", f"sqlite:///{DEFAULT_FILE}")
if "--fresh" in sys.argv and "BENCH_DATABASE_URL" not in os.environ and __name__ == "__main__":
    DEFAULT_FILE.unlink(missing_ok=True)  # a new file is faster than deleting 2.5 million rows
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "false")

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

EVALUATIONS = 100_000
LOCATIONS = 200
EMPLOYEES_PER_LOCATION = 5
FLAGSHIP = 37_000  # enough evaluations for a 500-page location report
ITEMS_PER_SECTION = 5
SECTIONS = ["Courtesy", "Accuracy", "Transparency", "Responsiveness", "Follow-through"]


def say(name, value, unit=""):
    print(f"{name}: {value} {unit}".rstrip(), flush=True)


def timed(fn, repeat=1):
    best = None
    for _ in range(repeat):
        start = time.perf_counter()
        result = fn()
        elapsed = time.perf_counter() - start
        best = elapsed if best is None else min(best, elapsed)
    return best, result


# ---------------------------------------------------------------- data

def build_data(fresh: bool):
    from qa.models import Answer, Evaluation, SectionScore, User
    from qa.services import ANSWER_SEPARATOR
    from scorecards.models import AnswerType, Channel, Item, Scorecard, ScorecardVersion, Section
    from scorecards.services import publish
    from shops.models import Employee, Location, Region

    call_command("migrate", verbosity=0)
    if not fresh and Evaluation.objects.filter(location__region__code="bench").count() == EVALUATIONS:
        print("# reusing the bench data already in the database", flush=True)
        analyze()
        return
    print("# building 100,000 evaluations with 2,500,000 answers (once; a few minutes)", flush=True)
    # Bench rows have no history or files to clean up: delete them in bulk, without
    # Django's per-row cascade collector (which would load millions of rows).
    for queryset in (Answer.objects.filter(evaluation__location__region__code="bench"),
                     SectionScore.objects.filter(evaluation__location__region__code="bench"),
                     Evaluation.objects.filter(location__region__code="bench"),
                     Employee.objects.filter(location__region__code="bench"),
                     Location.objects.filter(region__code="bench")):
        queryset._raw_delete(queryset.db)
    rng = random.Random(7)
    with transaction.atomic():
        region, _ = Region.objects.get_or_create(code="bench", defaults={"name": "Bench region"})
        user, _ = User.objects.get_or_create(username="bench-reviewer")
        scorecard, created = Scorecard.objects.get_or_create(name="Bench scorecard", defaults={"channel": Channel.PHONE_CALL})
        version = scorecard.versions.first()
        if version is None:
            version = ScorecardVersion.objects.create(scorecard=scorecard, number=1)
            types = [AnswerType.YES_NO, AnswerType.YES_PARTIAL_NO, AnswerType.SCALE_5]
            for s_order, name in enumerate(SECTIONS, start=1):
                section = Section.objects.create(version=version, name=name, weight=1, order=s_order)
                for i in range(ITEMS_PER_SECTION):
                    Item.objects.create(section=section, order=i, question=f"{name} check {i + 1}",
                                        answer_type=types[i % 3], policy_reference=f"Policy {s_order}.{i + 1}")
            publish(version, None)
        items = list(Item.objects.filter(section__version=version).select_related("section")
                     .order_by("section__order", "section__pk", "order", "pk"))
        sections = list(Section.objects.filter(version=version))
        locations = Location.objects.bulk_create(
            Location(region=region, code=f"B{n:03d}", name="Flagship" if n == 0 else f"Bench store {n:03d}")
            for n in range(LOCATIONS))
        employees = Employee.objects.bulk_create(
            Employee(location=loc, employee_code=f"B{loc.code}-{e}", name=f"Bench person {loc.code}-{e}")
            for loc in locations for e in range(EMPLOYEES_PER_LOCATION))
    by_location = {}
    for employee in employees:
        by_location.setdefault(employee.location_id, []).append(employee)
    now = timezone.now()
    batch = 5000
    for start in range(0, EVALUATIONS, batch):
        with transaction.atomic():
            evaluations = []
            answer_sets = []
            for n in range(start, min(start + batch, EVALUATIONS)):
                location = locations[0] if n < FLAGSHIP else locations[1 + n % (LOCATIONS - 1)]
                score = Decimal(rng.randint(3000, 10000)) / 100
                given = []
                for item in items:
                    failed = rng.random() < 0.12
                    given.append((item, "no" if failed else ("yes" if item.answer_type != "scale_5" else "4"), failed))
                answer_sets.append(given)
                section_scores = [Decimal(rng.randint(0, 100)) for _section in sections]
                evaluations.append(Evaluation(
                    **{f"section_score_{place}": value for place, value in enumerate(section_scores, start=1)},
                    version=version, location=location, employee=rng.choice(by_location[location.pk]),
                    channel="phone_call", source="reviewer", evaluator=user, status="released",
                    interaction_at=now - timedelta(days=n % 365, minutes=n % 600), overall_score=score,
                    critical_failed=rng.random() < 0.03, released_at=now, scored_at=now,
                    answer_values=ANSWER_SEPARATOR.join(value for _item, value, _failed in given),
                ))
            Evaluation.objects.bulk_create(evaluations, batch_size=1000)
            SectionScore.objects.bulk_create(
                (SectionScore(evaluation=e, section=s, section_name=s.name, score=getattr(e, f"section_score_{place}"))
                 for e in evaluations for place, s in enumerate(sections, start=1)), batch_size=5000)
            answers = [Answer(evaluation=e, item=item, value=value, score=0 if failed else 100, failed=failed)
                       for e, given in zip(evaluations, answer_sets) for item, value, failed in given]
            Answer.objects.bulk_create(answers, batch_size=5000)
        print(f"# {min(start + batch, EVALUATIONS):,} evaluations", flush=True)
    analyze()


def analyze():
    """Planner statistics (and on PostgreSQL the visibility map that index-only scans
    need) after a bulk load, as autovacuum would soon have them on any real database."""
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE" if connection.vendor == "postgresql" else "ANALYZE")


# ---------------------------------------------------------------- figures

def bench_user():
    from django.contrib.auth.models import Group

    from qa import roles
    from qa.models import User

    user, _ = User.objects.get_or_create(username="bench-admin", defaults={"is_superuser": True, "is_staff": True})
    user.groups.add(*Group.objects.filter(name=roles.ADMINISTRATOR))
    return user


def date_from_for(count):
    """A date_from filter keeping about `count` of the 100,000 evaluations (spread over 365 days)."""
    days = max(1, round(365 * count / EVALUATIONS))
    return (timezone.localdate() - timedelta(days=days - 1)).isoformat()


def bench_xlsx(user, region):
    from django.conf import settings
    from openpyxl import Workbook

    from reports.exporters import RegionExport
    from reports.rows import column_titles, item_columns, raw_rows

    exporter = RegionExport(user, {}, region.pk)
    data = exporter.data()
    columns = item_columns(data.evaluations)
    rows = list(raw_rows(data.evaluations, columns))  # the floor writes these, already in memory

    def floor():
        wb = Workbook(write_only=True)
        ws = wb.create_sheet("Evaluations")
        ws.append(column_titles(columns))
        for row in rows:
            ws.append(row)
        wb.save(io.BytesIO())

    floor_s, _ = timed(floor)
    rows.clear()

    def export():
        RegionExport(user, {}, region.pk).write("xlsx", io.BytesIO())

    export_s, _ = timed(export)
    say("xlsx_seconds", f"{export_s:.2f}", "s")
    say("xlsx_floor_seconds", f"{floor_s:.2f}", "s")
    say("xlsx_ratio", f"{export_s / floor_s:.2f}", "x (target <= 1.3)")
    tracemalloc.start()
    export()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    say("xlsx_peak_mib", f"{peak / 1048576:.1f}", "MiB (target < 100)")
    counts = []
    threads = settings.REPORT_QUERY_THREADS
    settings.REPORT_QUERY_THREADS = 1  # so every query runs on this connection and is counted
    for params in ({"date_from": date_from_for(10_000)}, {}):
        with CaptureQueriesContext(connection) as queries:
            RegionExport(user, params, region.pk).write("xlsx", io.BytesIO())
        counts.append(len(queries.captured_queries))
    settings.REPORT_QUERY_THREADS = threads
    say("xlsx_queries_10k", counts[0])
    say("xlsx_queries_100k", counts[1], "(target: equal)")


def bench_pdf(user, flagship):
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas
    from pypdf import PdfReader

    from reports.exporters import LocationExport
    from reports.pdf import EVALUATION_COLUMNS, RowTable, evaluation_rows

    def export(params):
        out = io.BytesIO()
        LocationExport(user, params, flagship.pk).write("pdf", out)
        return out

    full_s, out = timed(lambda: export({}))
    pages = len(PdfReader(io.BytesIO(out.getvalue())).pages)
    tenth = {"date_from": date_from_for(EVALUATIONS // 10)}
    small_s, out_small = timed(lambda: export(tenth))
    small_pages = len(PdfReader(io.BytesIO(out_small.getvalue())).pages)
    data = LocationExport(user, {}, flagship.pk).data()
    rows = list(evaluation_rows(data.evaluations))

    per_page = max(1, (len(rows) + pages - 1) // pages)
    line = RowTable([], [], EVALUATION_COLUMNS).line

    def floor():
        """The same rows, one drawString each, the same number of pages: reportlab's floor."""
        c = canvas.Canvas(io.BytesIO(), pagesize=A4)
        for start in range(0, len(rows), per_page):
            c.setFont("Courier", 7.5)
            y = 800
            for row in rows[start:start + per_page]:
                c.drawString(40, y, line(row))
                y -= 10
            c.showPage()
        c.save()

    floor_s, _ = timed(floor)
    say("pdf_pages", pages)
    say("pdf_seconds", f"{full_s:.2f}", "s")
    say("pdf_floor_seconds", f"{floor_s:.2f}", "s")
    say("pdf_ratio", f"{full_s / floor_s:.2f}", "x (target <= 2)")
    say("pdf_scaling", f"{full_s / small_s:.2f}", f"x for {pages} vs {small_pages} pages (target <= 12)")


def bench_aggregation(user):
    """The dashboard's rankings (locations and employees, with the regions' averages) against
    hand-written SQL giving the same figures: one GROUP BY over the same rows, then the
    names of the locations and employees it found."""
    from qa import scoping
    from reports import aggregation

    evaluations = scoping.evaluations_for(user).counted()

    def ours():
        return aggregation.rankings(evaluations, 5)

    sql = """
        SELECT e.location_id, e.employee_id, COUNT(*), COUNT(e.overall_score), SUM(e.overall_score),
               SUM(e.overall_score * e.overall_score), SUM(CASE WHEN e.critical_failed THEN 1 ELSE 0 END)
        FROM qa_evaluation e WHERE e.status = 'released' AND NOT e.is_calibration
        GROUP BY e.location_id, e.employee_id
    """

    locations_sql = """
        SELECT l.id, l.name, l.code, l.region_id, r.name FROM shops_location l JOIN shops_region r ON r.id = l.region_id
        WHERE l.id IN ({})
    """
    employees_sql = """
        SELECT e.id, e.name, e.employee_code, l.name, l.region_id, r.name FROM shops_employee e
        JOIN shops_location l ON l.id = e.location_id JOIN shops_region r ON r.id = l.region_id WHERE e.id IN ({})
    """

    def floor():
        with connection.cursor() as cursor:
            cursor.execute(sql)
            groups = cursor.fetchall()
            for query, ids in ((locations_sql, {g[0] for g in groups}), (employees_sql, {g[1] for g in groups} - {None})):
                cursor.execute(query.format(", ".join(["%s"] * len(ids))), list(ids))
                cursor.fetchall()
            return groups

    ours()
    floor()
    ours_s, _ = timed(ours, repeat=3)
    floor_s, _ = timed(floor, repeat=3)
    say("agg_seconds", f"{ours_s:.3f}", "s")
    say("agg_floor_seconds", f"{floor_s:.3f}", "s")
    say("agg_ratio", f"{ours_s / floor_s:.2f}", "x (target <= 1.5)")


def bench_dashboard(user):
    """The dashboard's own cost (report cache off), then what a second viewer pays (cache on)."""
    from django.conf import settings
    from django.core.cache import cache
    from django.test import Client

    client = Client()
    client.force_login(user)
    vendor = connection.vendor
    cache_seconds = settings.REPORT_CACHE_SECONDS
    settings.REPORT_CACHE_SECONDS = 0
    threads = settings.REPORT_QUERY_THREADS
    say("dashboard_threads", threads, "(REPORT_QUERY_THREADS: queries side by side, reports.parallel)")
    for size in (1_000, 10_000, EVALUATIONS):
        params = {"date_from": date_from_for(size)} if size < EVALUATIONS else {}
        client.get("/reports/", params)  # warm the connection and the database's own caches
        elapsed, response = timed(lambda: client.get("/reports/", params))
        assert response.status_code == 200, response.status_code
        # Queries in the pool's threads run on their own connections: counted one after the other.
        settings.REPORT_QUERY_THREADS = 1
        with CaptureQueriesContext(connection) as queries:
            client.get("/reports/", params)
        settings.REPORT_QUERY_THREADS = threads
        n = response.context["data"].summary["count"] if response.context else size
        say(f"dashboard_ms_{vendor}_{size // 1000}k", f"{elapsed * 1000:.0f}", f"ms for {n:,} evaluations (target < 500 at 100k)")
        say(f"dashboard_queries_{vendor}_{size // 1000}k", len(queries.captured_queries), "(target: equal at every size)")
    settings.REPORT_CACHE_SECONDS = cache_seconds or 60
    cache.clear()
    client.get("/reports/")
    elapsed, _ = timed(lambda: client.get("/reports/"), repeat=3)
    say(f"dashboard_cached_ms_{vendor}_100k", f"{elapsed * 1000:.0f}", "ms for the next viewer within REPORT_CACHE_SECONDS")


def bench_csv(user, region):
    from reports.exporters import RegionExport
    from reports.export_views import stream_csv

    def export():
        total = 0
        for chunk in stream_csv(RegionExport(user, {}, region.pk)):
            total += len(chunk)
        return total

    elapsed, size = timed(export)
    say("csv_seconds", f"{elapsed:.2f}", f"s for {size / 1048576:.1f} MiB (target < 1.5)")


def run_scale(sizes: str):
    """bench/scale.py once per size, each in its own process (each size is its own database)."""
    import subprocess

    figures = {}
    for size in sizes.split(","):
        out = subprocess.run([sys.executable, str(ROOT / "bench" / "scale.py"), "--size", size],
                             capture_output=True, text=True, cwd=ROOT)
        for line in out.stdout.splitlines():
            print(line, flush=True)
            if line.startswith(f"dashboard_ms_postgresql_{size}_all:"):
                figures[size] = float(line.split(":")[1].split()[0])
        if out.returncode:
            print(out.stderr[-2000:], file=sys.stderr)
    if "1m" in figures and "10m" in figures:
        say("dashboard_growth_1m_to_10m", f"{figures['10m'] / figures['1m']:.2f}", "x (target <= 1.5)")


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--fresh", action="store_true", help="rebuild the bench data")
    parser.add_argument("--only", help="comma-separated: xlsx,pdf,agg,dashboard,csv,autoqa,transcribe")
    parser.add_argument("--scale", action="store_true", help="the dashboard at scale on PostgreSQL (bench/scale.py)")
    parser.add_argument("--sizes", default="100k,1m,10m", help="with --scale: comma-separated sizes")
    args = parser.parse_args()
    if args.scale:
        run_scale(args.sizes)
        return
    wanted = set((args.only or "agg,dashboard,csv,xlsx,pdf,transcribe").split(","))
    if "transcribe" in wanted:  # needs no bench data (bench/transcribe.py)
        from bench.transcribe import bench_transcribe

        bench_transcribe()
        if wanted == {"transcribe"}:
            return
    from shops.models import Location, Region

    from django.test.utils import setup_test_environment

    wanted = set((args.only or "agg,dashboard,csv,xlsx,pdf,autoqa").split(","))
    if wanted == {"autoqa"}:  # needs none of the 100,000 report evaluations
        call_command("migrate", verbosity=0)
        say("database", connection.vendor)
        from bench.autoqa import bench_autoqa

        bench_autoqa(say)
        return
    build_data(args.fresh)
    setup_test_environment()  # so responses carry their context, to read the evaluation count
    user = bench_user()
    region = Region.objects.get(code="bench")
    flagship = Location.objects.get(code="B000")
    say("database", connection.vendor)
    if "agg" in wanted:
        bench_aggregation(user)
    if "dashboard" in wanted:
        bench_dashboard(user)
    if "csv" in wanted:
        bench_csv(user, region)
    if "xlsx" in wanted:
        bench_xlsx(user, region)
    if "pdf" in wanted:
        bench_pdf(user, flagship)
    if "autoqa" in wanted:
        from bench.autoqa import bench_autoqa

        bench_autoqa(say)


if __name__ == "__main__":
    main()
