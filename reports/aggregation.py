"""Aggregation of released evaluations, done in the database.

Every function takes a queryset the caller has already scoped (qa.scoping) and
filtered (reports.filters), and runs a fixed number of queries whatever the
number of evaluations: annotate/aggregate and Trunc date functions that behave
the same on SQLite and PostgreSQL.
"""

import math
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Avg, Case, Count, F, FloatField, IntegerField, Q, Value, When
from django.db.models.functions import TruncMonth, TruncWeek

from qa.models import Answer, SectionScore
from scorecards.models import Item, Kpi, Section

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

    When the versions in the data define a section differently (weights, items),
    `changed_in` names them, so the page can say so instead of mixing them silently.
    """
    rows = (
        SectionScore.objects.filter(evaluation__in=evaluations.values("pk"), score__isnull=False)
        .values("section_name").annotate(average=Avg("score"), count=Count("pk")).order_by("section_name")
    )
    versions = section_changes(evaluations)
    return [SectionRow(r["section_name"], r["average"], r["count"], versions.get(r["section_name"], [])) for r in rows]


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


def trend(evaluations, period: str = "month") -> list[dict]:
    """Mean score and number of evaluations per week or month (in the current time zone)."""
    trunc = TruncWeek if period == "week" else TruncMonth
    return list(
        evaluations.annotate(period=trunc("interaction_at")).values("period")
        .annotate(average=Avg("overall_score"), count=Count("pk"),
                  critical_failures=Count("pk", filter=Q(critical_failed=True)))
        .order_by("period")
    )


BUCKETS = list(range(0, 100, 10))


def distribution(evaluations) -> list[dict]:
    """How many evaluations scored 0-9, 10-19, ... 90-100."""
    bucket = Case(
        *[When(overall_score__lt=low + 10, then=Value(low)) for low in BUCKETS[:-1]],
        default=Value(90), output_field=IntegerField(),
    )
    counts = dict(evaluations.annotate(bucket=bucket).values("bucket").annotate(n=Count("pk")).values_list("bucket", "n"))
    return [{"low": low, "high": low + 9 if low < 90 else 100, "count": counts.get(low, 0)} for low in BUCKETS]


def failed_items(evaluations, limit: int = 10) -> list[dict]:
    """The items failed most often, with the policy clause each one checks.

    Answers are grouped by item id alone (no joins over millions of rows); the
    details of the few items shown are fetched afterwards. Two queries.
    """
    counts = list(
        Answer.objects.filter(evaluation__in=evaluations.values("pk"), score__isnull=False)
        .values("item_id")
        .annotate(answered=Count("pk"), failures=Count("pk", filter=Q(failed=True)))
        .filter(failures__gt=0)
        .order_by("-failures", "item_id")[:limit]
    )
    details = Item.objects.select_related("section").in_bulk([row["item_id"] for row in counts])
    rows = []
    for row in counts:
        item = details[row["item_id"]]
        rows.append({
            "item__question": item.question, "item__policy_reference": item.policy_reference,
            "item__section__name": item.section.name, "answered": row["answered"], "failures": row["failures"],
            "rate": 100.0 * row["failures"] / row["answered"],
        })
    return sorted(rows, key=lambda r: (-r["failures"], -r["rate"], r["item__question"]))


LEVELS = {
    "location": ("location_id", ["location__name", "location__code", "location__region_id", "location__region__name"]),
    "employee": ("employee_id", ["employee__name", "employee__employee_code", "location__name",
                                 "location__region_id", "location__region__name"]),
}


def ranking(evaluations, level: str, min_sample: int) -> list[dict]:
    """Locations or employees by mean score, each with its sample size and 95% confidence interval.

    Those with fewer than `min_sample` evaluations are marked `too_few` and listed
    after the ranked ones, unranked: a mean of three visits is not a verdict.
    The region's average comes along for comparison.
    """
    key, labels = LEVELS[level]
    rows = list(
        evaluations.exclude(**{f"{key}__isnull": True}).values(key, *labels)
        .annotate(count=Count("pk"), average=Avg("overall_score"),
                  mean_sq=Avg(F("overall_score") * F("overall_score"), output_field=FloatField()),
                  critical_failures=Count("pk", filter=Q(critical_failed=True)))
        .order_by()
    )
    region_avg = region_averages(evaluations)
    for row in rows:
        row["id"] = row[key]
        row["too_few"] = row["count"] < min_sample
        row["ci"] = confidence_interval(row["count"], row["average"], row["mean_sq"])
        row["region_average"] = region_avg.get(row["location__region_id"])
    ranked = sorted((r for r in rows if not r["too_few"]), key=lambda r: (-float(r["average"]), -r["count"]))
    for position, row in enumerate(ranked, start=1):
        row["rank"] = position
    unranked = sorted((r for r in rows if r["too_few"]), key=lambda r: -r["count"])
    return ranked + unranked


def region_averages(evaluations) -> dict:
    return dict(evaluations.values("location__region_id").annotate(a=Avg("overall_score")).order_by()
                .values_list("location__region_id", "a"))


def best_performers(ranked_rows: list[dict], count: int = 3) -> list[dict]:
    """For recognition: the highest lower confidence bound, so a lucky small sample does not win."""
    eligible = [r for r in ranked_rows if not r["too_few"] and r["ci"]]
    return sorted(eligible, key=lambda r: -r["ci"][0])[:count]


def kpi_answers(evaluations):
    """Answers of KPI-tagged items only: picked by item first, so the index does the work."""
    return Answer.objects.filter(
        item_id__in=Item.objects.exclude(kpi="").values("pk"), evaluation__in=evaluations.values("pk"), na=False,
    ).exclude(value="")


def kpis(evaluations) -> dict[str, dict]:
    """The policy's KPIs from answers of items tagged with them (Item.kpi), in one query.

    Rates are the share of applicable answers that pass (yes, or 4-5 on a scale);
    response time is the mean of the numbers answered.
    """
    passed = Q(value="yes") | Q(item__answer_type="scale_5", value__in=["4", "5"])
    rows = (
        kpi_answers(evaluations)
        .values("item__kpi")
        .annotate(n=Count("pk"), passed=Count("pk", filter=passed), mean_number=Avg("number"))
        .order_by()
    )
    result = {}
    for row in rows:
        kpi = row["item__kpi"]
        value = float(row["mean_number"]) if kpi == Kpi.RESPONSE_HOURS and row["mean_number"] is not None \
            else (100.0 * row["passed"] / row["n"] if row["n"] else None)
        result[kpi] = {"value": value, "n": row["n"]}
    return result


def kpi_trend(evaluations, period: str = "month") -> dict[str, list[dict]]:
    """Each KPI per week or month, for the targets' trend lines."""
    trunc = TruncWeek if period == "week" else TruncMonth
    passed = Q(value="yes") | Q(item__answer_type="scale_5", value__in=["4", "5"])
    rows = (
        kpi_answers(evaluations)
        .annotate(period=trunc("evaluation__interaction_at"))
        .values("item__kpi", "period")
        .annotate(n=Count("pk"), passed=Count("pk", filter=passed), mean_number=Avg("number"))
        .order_by("period")
    )
    result: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        value = float(row["mean_number"]) if row["item__kpi"] == Kpi.RESPONSE_HOURS and row["mean_number"] is not None \
            else (100.0 * row["passed"] / row["n"] if row["n"] else None)
        result[row["item__kpi"]].append({"period": row["period"], "value": value, "n": row["n"]})
    return dict(result)
