"""Aggregation of released evaluations, done in the database.

Every function takes a queryset the caller has already scoped (qa.scoping) and
filtered (reports.filters), and runs a fixed number of queries whatever the
number of evaluations: annotate/aggregate with plain comparisons (CASE) for
periods and score bands, which behave the same on SQLite and PostgreSQL. Where
one grouping can serve several figures (summary, distribution and trend; both
rankings) the database returns the groups and they are added up here.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from datetime import datetime, time, timedelta

from django.db.models import Avg, Case, Count, DateTimeField, F, FloatField, Max, Min, Q, Sum, Value, When
from django.utils import timezone

from qa.models import SECTION_SLOTS, Answer
from scorecards.models import Item, Kpi, Section
from scorecards.services import sections_in_order
from shops.models import Employee, Location

# Two-sided 97.5% quantiles of Student's t for small samples; 1.96 beyond 30.
T_975 = {1: 12.706, 2: 4.303, 3: 3.182, 4: 2.776, 5: 2.571, 6: 2.447, 7: 2.365, 8: 2.306, 9: 2.262, 10: 2.228,
         11: 2.201, 12: 2.179, 13: 2.160, 14: 2.145, 15: 2.131, 16: 2.120, 17: 2.110, 18: 2.101, 19: 2.093,
         20: 2.086, 21: 2.080, 22: 2.074, 23: 2.069, 24: 2.064, 25: 2.060, 26: 2.056, 27: 2.052, 28: 2.048,
         29: 2.045, 30: 2.042}


def confidence_interval(n: int, mean, mean_of_squares) -> tuple[float, float] | None:
    """95% confidence interval of a mean from n, the mean and the mean of squares (Student's t)."""
    if not n or n < 2 or mean is None or mean_of_squares is None:
        return None
    mean, mean_sq = float(mean), float(mean_of_squares)
    variance = max(0.0, (mean_sq - mean * mean) * n / (n - 1))
    half = T_975.get(n - 1, 1.96) * math.sqrt(variance / n)
    return max(0.0, mean - half), min(100.0, mean + half)


BUCKETS = list(range(0, 100, 10))


def summary(evaluations) -> dict:
    """Overall figures: number of evaluations, mean score, critical failures and their rate."""
    figures = evaluations.aggregate(
        count=Count("pk"),
        average=Avg("overall_score"),
        critical_failures=Count("pk", filter=Q(critical_failed=True)),
    )
    figures["critical_rate"] = 100 * figures["critical_failures"] / figures["count"] if figures["count"] else None
    return figures


@dataclass
class SectionRow:
    name: str
    average: float | None
    count: int
    changed_in: list[str]


def sections(evaluations) -> list[SectionRow]:
    """Mean score per section, compared across scorecard versions by section name.

    Added up over the evaluation rows, per version, from each evaluation's own copy of
    its section scores (Evaluation.section_score_N, the Nth section of its version):
    a fifth of the rows a join of SectionScore reads. Merged by name here, from sums
    and counts so the means stay exact.

    When the versions in the data define a section differently (weights, items),
    `changed_in` names them, so the page can say so instead of mixing them silently.
    """
    sums = {}
    for n, slot in enumerate(SECTION_SLOTS):
        sums[f"total_{n}"] = Sum(slot)
        sums[f"count_{n}"] = Count(slot)
    per_version = list(evaluations.values("version_id").annotate(**sums).order_by())
    return sections_from(per_version, evaluations)


def sections_from(per_version: list[dict], evaluations) -> list[SectionRow]:
    """sections() from its per-version sums (total_N, count_N per slot); `evaluations` (raw
    rows or roll-ups) names the versions present for section_changes()."""
    layouts = sections_in_order([row["version_id"] for row in per_version])
    totals: dict[str, list] = {}
    for row in per_version:
        for n, (_section_id, name) in enumerate(layouts.get(row["version_id"], [])[:len(SECTION_SLOTS)]):
            if not row[f"count_{n}"]:
                continue  # N/A everywhere
            entry = totals.setdefault(name, [0, 0])
            entry[0] += row[f"total_{n}"]
            entry[1] += row[f"count_{n}"]
    versions = section_changes(evaluations)
    return [SectionRow(name, total / count, count, versions.get(name, []))
            for name, (total, count) in sorted(totals.items())]


def section_changes(evaluations) -> dict[str, list[str]]:
    """Section names whose definition differs between the scorecard versions present, with those versions."""
    version_ids = evaluations.order_by().values("version_id").distinct()
    signatures: dict[tuple, dict] = defaultdict(dict)
    items_by_section = defaultdict(list)
    for item in Item.objects.filter(section__version__in=version_ids).values(
            "section_id", "question", "weight", "answer_type", "critical"):
        items_by_section[item["section_id"]].append(
            (item["question"], str(item["weight"]), item["answer_type"], item["critical"]))
    for section in Section.objects.filter(version__in=version_ids).values(
            "pk", "name", "weight", "version__scorecard_id", "version__scorecard__name", "version__number"):
        signature = (str(section["weight"]), tuple(sorted(items_by_section[section["pk"]])))
        key = (section["version__scorecard_id"], section["name"])
        signatures[key].setdefault(signature, []).append(f"{section['version__scorecard__name']} v{section['version__number']}")
    changed: dict[str, list[str]] = defaultdict(list)
    for (_scorecard, name), variants in signatures.items():
        if len(variants) > 1:
            changed[name].extend(sorted(label for group in variants.values() for label in group))
    return dict(changed)


def day_bounds(evaluations) -> tuple:
    """The local days of the first and the last evaluation, (None, None) when there are none. One scan
    serves both the trend's periods and the report's first day (coaching counts sessions from it)."""
    bounds = evaluations.aggregate(first=Min("interaction_at"), last=Max("interaction_at"))
    if bounds["first"] is None:
        return None, None
    return timezone.localtime(bounds["first"]).date(), timezone.localtime(bounds["last"]).date()


def period_starts(evaluations, period: str, bounds: tuple | None = None) -> list[datetime]:
    """The starts of every week (Monday) or month from the first evaluation to the last,
    at local midnight in the current time zone, newest first."""
    first, last = bounds or day_bounds(evaluations)
    if first is None:
        return []
    return starts_between(first, last, period)


def starts_between(first, last, period: str) -> list[datetime]:
    """The local starts of the weeks or months from day `first` to day `last`, newest first."""
    if period == "week":
        day = first - timedelta(days=first.weekday())
        step = lambda d: d + timedelta(days=7)  # noqa: E731
    else:
        day = first.replace(day=1)
        step = lambda d: (d.replace(day=28) + timedelta(days=4)).replace(day=1)  # noqa: E731
    starts = []
    while day <= last:
        starts.append(timezone.make_aware(datetime.combine(day, time.min)))
        day = step(day)
    return starts[::-1]


def period_of(field: str, starts: list[datetime]):
    """The start of the period a timestamp falls in, as plain comparisons.

    Django's TruncMonth/TruncWeek become a Python function call per row on SQLite
    (half a second over 100,000 rows); comparing against the few period starts,
    newest first, is done by the database engine itself, on SQLite and PostgreSQL
    alike, and honours the time zone exactly (the starts are local midnights)."""
    return Case(*[When(**{f"{field}__gte": start}, then=Value(start)) for start in starts],
                default=Value(None), output_field=DateTimeField())


def local_starts(starts: list[datetime]):
    """The database hands a period back as the same instant in UTC (the start of June in
    London comes back as 31 May, 23:00): each is swapped for the local start it stands
    for, so a period is always named from its local date."""
    by_instant = {start: start for start in starts}

    def local(value):
        if value is None:
            return None
        return by_instant.get(value) or timezone.localtime(value)

    return local


def bucket_of(field: str):
    """The lower bound of a score's tenth (0, 10, ... 90; 100 falls in 90), as comparisons."""
    return Case(*[When(**{f"{field}__gte": low}, then=Value(low)) for low in BUCKETS[::-1] if low],
                default=Value(0))


def overview(evaluations, starts: list[datetime]) -> tuple[dict, list[dict]]:
    """summary() with the distribution of scores, and the mean score, count and critical
    failures per week or month (in the current time zone), from one pass over the rows:
    grouped by period and tenth of score, a few hundred groups at most, added up here.
    `starts` come from period_starts(), which the targets' trends share.

    Means are total / number scored, exact in Decimal, as AVG is in the database."""
    period_expr = period_of("interaction_at", starts) if starts else Value(None, output_field=DateTimeField())
    cells = (
        evaluations.annotate(period=period_expr, bucket=bucket_of("overall_score")).values("period", "bucket")
        .annotate(count=Count("pk"), scored=Count("overall_score"), total=Sum("overall_score"),
                  critical_failures=Count("pk", filter=Q(critical_failed=True)))
        .order_by()
    )
    figures = {"count": 0, "scored": 0, "total": 0, "critical_failures": 0}
    per_bucket = dict.fromkeys(BUCKETS, 0)
    per_period: dict = {}
    for cell in cells:
        for key in figures:
            figures[key] += cell[key] or 0
        if cell["scored"]:
            per_bucket[cell["bucket"]] += cell["scored"]
        if cell["period"] is not None:
            point = per_period.setdefault(cell["period"], {"count": 0, "scored": 0, "total": 0, "critical_failures": 0})
            for key in point:
                point[key] += cell[key] or 0
    summary = {
        "count": figures["count"],
        "average": mean(figures["total"], figures["scored"]),
        "critical_failures": figures["critical_failures"],
        "critical_rate": 100 * figures["critical_failures"] / figures["count"] if figures["count"] else None,
        "distribution": [{"low": low, "high": low + 9 if low < 90 else 100, "count": per_bucket[low]} for low in BUCKETS],
    }
    local = local_starts(starts)
    trend_rows = [{"period": local(start), "average": mean(point["total"], point["scored"]), "count": point["count"],
                   "critical_failures": point["critical_failures"]}
                  for start, point in sorted(per_period.items())]
    return summary, trend_rows


def mean(total, count):
    return total / count if count else None


def failed_items(evaluations, limit: int = 10) -> list[dict]:
    """The items failed most often, with the policy clause each one checks.

    Failures are counted from the partial index of failed answers (a tenth of all
    answers; COUNT(*) so PostgreSQL can answer from the index alone). How many times an item was answered is not counted row by row either:
    every submitted evaluation holds an answer for every item of its version (the
    engine refuses it otherwise), so it is the number of evaluations of the item's
    version less the item's answers without a score (N/A), from a second partial
    index. Four small queries, whatever the number of answers.
    """
    pks = evaluations.values("pk")
    counts = list(
        Answer.objects.filter(failed=True, evaluation__in=pks).values("item_id")
        .annotate(failures=Count("*")).order_by("-failures", "item_id")[:limit]
    )
    item_ids = [row["item_id"] for row in counts]
    details = Item.objects.select_related("section").in_bulk(item_ids)
    per_version = dict(evaluations.order_by().values("version_id").annotate(n=Count("pk")).values_list("version_id", "n"))
    # "+ 0" keeps SQLite from probing the unscored index once per evaluation and item (60 ms
    # over 100,000 evaluations even when no answer is unscored); it walks that index instead.
    unscored = dict(
        Answer.objects.alias(evaluation_key=F("evaluation_id") + 0)
        .filter(item_id__in=item_ids, score__isnull=True, evaluation_key__in=pks).values("item_id")
        .annotate(n=Count("*")).order_by().values_list("item_id", "n")
    )
    return failed_item_rows(counts, details, per_version, unscored)


def failed_item_rows(counts: list[dict], details: dict, per_version: dict, unscored: dict) -> list[dict]:
    """failed_items() from its counts: failures per item (most first), the items, evaluations
    per version and unscored answers per item."""
    rows = []
    for row in counts:
        item = details[row["item_id"]]
        answered = per_version.get(item.section.version_id, 0) - unscored.get(item.pk, 0)
        answered = max(answered, row["failures"])
        rows.append({
            "item__question": item.question, "item__policy_reference": item.policy_reference,
            "item__section__name": item.section.name, "answered": answered, "failures": row["failures"],
            "rate": 100.0 * row["failures"] / answered,
        })
    return sorted(rows, key=lambda r: (-r["failures"], -r["rate"], r["item__question"]))


LEVELS = {"location": "location_id", "employee": "employee_id"}


def ranking_labels(level: str, ids) -> dict:
    """Names and places of the ranked locations or employees, in one query on the small tables."""
    if level == "location":
        rows = Location.objects.filter(pk__in=ids).values(
            "pk", location__name=F("name"), location__code=F("code"), location__region_id=F("region_id"),
            location__region__name=F("region__name"))
    else:
        rows = Employee.objects.filter(pk__in=ids).values(
            "pk", employee__name=F("name"), employee__employee_code=F("employee_code"),
            location__name=F("location__name"), location__region_id=F("location__region_id"),
            location__region__name=F("location__region__name"))
    return {row.pop("pk"): row for row in rows}


def ranking(evaluations, level: str, min_sample: int) -> list[dict]:
    """Locations or employees by mean score, each with its sample size and 95% confidence interval.

    Those with fewer than `min_sample` evaluations are marked `too_few` and listed
    after the ranked ones, unranked: a mean of three visits is not a verdict.
    The region's average comes along for comparison.
    """
    key = LEVELS[level]
    rows = labelled(roll_up(place_groups(evaluations, key), key), level)
    region_avg = region_averages_of(rows) if level == "location" else region_averages(evaluations)
    return ranked(rows, level, min_sample, region_avg)


def rankings(evaluations, min_sample: int, regions_from=None) -> tuple[list[dict], list[dict]]:
    """Both rankings from one pass over the rows, grouped by location and employee
    together and added up here per location and per employee.

    Each row carries its own region's average. When the report covers the whole reach
    (no place chosen) those come from the locations' totals (every evaluation with a
    region has a location); when it is narrowed to a place, a region's average is still
    the whole region's, from `regions_from` (the reach under the same dates and
    scorecards), not the few rows of the chosen place."""
    groups = place_groups(evaluations, "location_id", "employee_id")
    location_rows = labelled(roll_up(groups, "location_id"), "location")
    employee_rows = labelled(roll_up(groups, "employee_id"), "employee")
    if regions_from is None:
        region_avg = region_averages_of(location_rows)
    else:
        region_ids = {row["location__region_id"] for row in location_rows + employee_rows}
        region_avg = region_averages(regions_from.filter(location__region_id__in=region_ids)) if region_ids else {}
    return (ranked(location_rows, "location", min_sample, region_avg),
            ranked(employee_rows, "employee", min_sample, region_avg))


SUMMED = ("count", "scored", "total", "sum_sq", "critical_failures", "failing")
# A failing evaluation: below this overall score, or a critical failure (which makes the overall 0, so the roll-ups'
# score tenths count them: reports.rollup_figures.FAILING). A multiple of ten, a tenth's lower bound.
FAILING_BELOW = 80


def failing(evaluations_prefix: str = "") -> Q:
    return Q(**{f"{evaluations_prefix}overall_score__lt": FAILING_BELOW}) | Q(
        **{f"{evaluations_prefix}critical_failed": True})


def place_groups(evaluations, *keys) -> list[dict]:
    """The sums a ranking row is made of (SUMMED), per value of `keys`."""
    return list(
        evaluations.values(*keys)
        .annotate(count=Count("pk"), scored=Count("overall_score"), total=Sum("overall_score"),
                  sum_sq=Sum(F("overall_score") * F("overall_score"), output_field=FloatField()),
                  critical_failures=Count("pk", filter=Q(critical_failed=True)),
                  failing=Count("pk", filter=failing()))
        .order_by()
    )


def roll_up(groups: list[dict], key: str) -> list[dict]:
    """Groups added up by one of their keys (groups without it are left out), with the
    mean and mean of squares a ranking row carries (and, per location, how many employees
    were evaluated there: coaching's coverage reads it instead of counting the rows again). Most keys have one group (an
    employee works at one place), which is taken as it is."""
    merged: dict = {}
    people: dict = defaultdict(set)  # per location: the employees evaluated there
    for group in groups:
        value = group[key]
        if value is None:
            continue
        if key == "location_id" and group.get("employee_id") is not None:
            people[value].add(group["employee_id"])
        row = merged.get(value)
        if row is None:
            row = merged[value] = {key: value, **{name: group[name] for name in SUMMED}}
            row["total"] = row["total"] or 0
            row["sum_sq"] = row["sum_sq"] or 0.0
        else:
            for name in SUMMED:
                row[name] += group[name] or 0
    for value, row in merged.items():
        row["average"] = mean(row["total"], row["scored"])
        row["mean_sq"] = mean(row["sum_sq"], row["scored"])
        if key == "location_id":
            row["employees_evaluated"] = len(people[value])
    return list(merged.values())


def labelled(rows: list[dict], level: str) -> list[dict]:
    key = LEVELS[level]
    labels = ranking_labels(level, [row[key] for row in rows])
    for row in rows:
        row.update(labels[row[key]])
        row["id"] = row[key]
    return rows


def ranked(rows: list[dict], level: str, min_sample: int, region_avg: dict) -> list[dict]:
    for row in rows:
        row["too_few"] = row["count"] < min_sample
        row["ci"] = confidence_interval(row["count"], row["average"], row["mean_sq"])
        row["region_average"] = region_avg.get(row["location__region_id"])
    ranked_rows = sorted((r for r in rows if not r["too_few"]), key=lambda r: (-float(r["average"]), -r["count"]))
    for position, row in enumerate(ranked_rows, start=1):
        row["rank"] = position
    unranked = sorted((r for r in rows if r["too_few"]), key=lambda r: -r["count"])
    return ranked_rows + unranked


def region_averages(evaluations) -> dict:
    return dict(evaluations.values("location__region_id").annotate(a=Avg("overall_score")).order_by()
                .values_list("location__region_id", "a"))


def region_averages_of(location_rows: list[dict]) -> dict:
    """Each region's mean score from its locations' totals and counts: the same mean as
    region_averages() gives, without another pass over the evaluations."""
    totals: dict = defaultdict(lambda: [0, 0])
    for row in location_rows:
        entry = totals[row["location__region_id"]]
        entry[0] += row["total"]
        entry[1] += row["scored"]
    return {region: total / count for region, (total, count) in totals.items() if count}


def best_performers(ranked_rows: list[dict], count: int = 3) -> list[dict]:
    """For recognition: the highest lower confidence bound, so a lucky small sample does not win."""
    eligible = [r for r in ranked_rows if not r["too_few"] and r["ci"]]
    return sorted(eligible, key=lambda r: -r["ci"][0])[:count]


def kpi_item_ids() -> list[int]:
    return list(Item.objects.exclude(kpi="").values_list("pk", flat=True))


def kpi_answers(evaluations):
    """Answers of KPI-tagged items only, picked by a literal list of item ids so the item
    index does the work (with a subquery SQLite scanned every answer). No KPI items, no query."""
    kpi_items = kpi_item_ids()
    return Answer.objects.filter(
        item_id__in=kpi_items, evaluation__in=evaluations.values("pk"), na=False,
    ).exclude(value="")


# The KPI formula, written once for the figures and their trend lines: a rate is the
# share of applicable answers that pass (yes, or 4-5 on a scale); response time is the
# mean of the numbers answered.
KPI_PASSED = Q(value="yes") | Q(item__answer_type="scale_5", value__in=["4", "5"])
KPI_FIGURES = {"n": Count("pk"), "passed": Count("pk", filter=KPI_PASSED), "mean_number": Avg("number")}


def kpi_value(kpi: str, row: dict) -> float | None:
    """One KPI's figure from a row annotated with KPI_FIGURES."""
    if kpi == Kpi.RESPONSE_HOURS and row["mean_number"] is not None:
        return float(row["mean_number"])
    return 100.0 * row["passed"] / row["n"] if row["n"] else None


def kpis(evaluations) -> dict[str, dict]:
    """The policy's KPIs from answers of items tagged with them (Item.kpi), in one query."""
    rows = kpi_answers(evaluations).values("item__kpi").annotate(**KPI_FIGURES).order_by()
    return {row["item__kpi"]: {"value": kpi_value(row["item__kpi"], row), "n": row["n"]} for row in rows}


def kpi_trend(evaluations, period: str = "month", starts: list[datetime] | None = None) -> dict[str, list[dict]]:
    """Each KPI per week or month, for the targets' trend lines."""
    if not kpi_item_ids():
        return {}
    starts = period_starts(evaluations, period) if starts is None else starts
    if not starts:
        return {}
    rows = (
        kpi_answers(evaluations)
        .annotate(period=period_of("evaluation__interaction_at", starts))
        .values("item__kpi", "period")
        .annotate(**KPI_FIGURES)
        .order_by("period")
    )
    result: dict[str, list[dict]] = defaultdict(list)
    local = local_starts(starts)
    for row in rows:
        result[row["item__kpi"]].append({"period": local(row["period"]), "value": kpi_value(row["item__kpi"], row),
                                         "n": row["n"]})
    return dict(result)
