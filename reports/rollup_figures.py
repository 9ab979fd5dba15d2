"""A report's figures from the roll-ups (qa.models.rollups) instead of the raw rows.

reports.services.compute asks `rows_for()` first: when the report's reach, filters and
time zone can be said in the roll-ups' keys, every figure comes from them (the same
figures reports.aggregation gets from the evaluations, through the same merging code),
and a page reads a few thousand rows however many evaluations there are. Otherwise
(a filter the roll-ups do not hold, a viewer in another time zone, a reach chosen by
evaluator) it returns None and the raw rows are added up as before.

Dates: whole calendar months come from month rows, the days at either end of a date
range from day rows; a weekly trend reads day rows.

Items: a report whose reach and filters name no employee (the dashboard, a region's or a
location's page) reads the item cells added up per place (LocationItemRollup), a few rows
per place and item; one that names an employee reads the employees' cells (ItemRollup).
"""

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import FieldError
from django.db.models import F, Max, Min, Q, Sum
from django.utils import timezone
from django_filters.constants import EMPTY_VALUES

from qa import roles, scoping
from qa.models import PEOPLE_SOURCES, EvaluationRollup, ItemRollup, LocationItemRollup
from qa.models.rollups import BUCKETS, SLOTS, Grain
from reports import aggregation, coverage
from scorecards.models import Item

# Report filters whose lookups the roll-ups hold under the same names (reports.filters).
KEY_FILTERS = ("location", "employee", "scorecard", "channel", "source", "region")
DATE_FILTERS = ("date_from", "date_to")
SHAPE_FILTERS = ("period",)  # shape the figures, not the rows
FIXED_SCOPES = ("location", "employee")


@dataclass(frozen=True)
class RollupRows:
    """The roll-up cells of a report: key filters on both tables, and a date range."""

    evaluations: object  # QuerySet[EvaluationRollup]
    items: object  # QuerySet[ItemRollup]
    date_from: date | None = None
    date_to: date | None = None
    # The same item cells per place (QuerySet[LocationItemRollup]), or None once the reach or a filter names
    # an employee (a field that table does not have).
    place_items: object = None

    def filter(self, *args, **kwargs) -> "RollupRows":
        return replace(self, evaluations=self.evaluations.filter(*args, **kwargs),
                       items=self.items.filter(*args, **kwargs),
                       place_items=per_place(lambda rows: rows.filter(*args, **kwargs), self.place_items))

    def cells(self, queryset, by_day: bool = False):
        """`queryset` cut to the date range, each evaluation once: month rows for the whole
        months inside it, day rows for the rest (or day rows only, `by_day`)."""
        days = Q(grain=Grain.DAY)
        if self.date_from:
            days &= Q(period__gte=self.date_from)
        if self.date_to:
            days &= Q(period__lte=self.date_to)
        if by_day:
            return queryset.filter(days)
        first = None if self.date_from is None else month_start(self.date_from, up=True)
        last_end = None if self.date_to is None else month_end(self.date_to)  # day after the last whole month
        months = Q(grain=Grain.MONTH)
        if first is not None:
            months &= Q(period__gte=first)
        if last_end is not None:
            months &= Q(period__lt=last_end)
        if first is not None and last_end is not None and first >= last_end:
            return queryset.filter(days)
        edges = Q(pk__in=[])
        if first is not None:
            edges |= Q(period__lt=first)
        if last_end is not None:
            edges |= Q(period__gte=last_end)
        return queryset.filter(months | (days & edges))

    def evaluation_cells(self, by_day=False):
        return self.cells(self.evaluations, by_day).filter(count__gt=0)

    def item_cells(self, by_day=False):
        items = self.items if self.place_items is None else self.place_items
        return self.cells(items, by_day).filter(count__gt=0)


def per_place(narrow, place_items):
    """`narrow(place_items)`, or None when it says something of employees (or there was nothing to narrow)."""
    if place_items is None:
        return None
    try:
        return narrow(place_items)
    except FieldError:
        return None


def month_start(day: date, up: bool) -> date:
    """The first day of the first whole month from `day` on."""
    if day.day == 1 or not up:
        return day.replace(day=1)
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def month_end(day: date) -> date:
    """The day after the last whole month up to `day`: its own month's start unless `day` ends it."""
    following = day + timedelta(days=1)
    return following.replace(day=1) if following.day == 1 else day.replace(day=1)


def usable() -> bool:
    """Roll-up days are ROLLUP_TIME_ZONE's days: a viewer in another zone cuts days elsewhere."""
    return timezone.get_current_timezone_name() == settings.ROLLUP_TIME_ZONE


def keyed(report_filter, reach: Q | None, fixed: dict) -> RollupRows | None:
    """The roll-up cells `report_filter` (over `reach`, narrowed by `fixed`) stands for, or None."""
    if reach is None or not usable() or not report_filter.is_valid():
        return None
    if any(name not in FIXED_SCOPES for name in fixed):
        return None
    # People's cells unless the report asks for another source (qa.models.EvaluationQuerySet.counted).
    sources = coverage.sources_in(report_filter.data)
    if sources is not None and not roles.is_qa_staff(report_filter.request.user):
        return None  # only QA staff read the automatic checks' figures: qa.scoping's rule, on the raw rows
    chosen = Q(source__in=list(sources or PEOPLE_SOURCES))
    rows = RollupRows(EvaluationRollup.objects.filter(reach, chosen).filter(**fixed),
                      ItemRollup.objects.filter(reach, chosen).filter(**fixed),
                      place_items=per_place(lambda places: places.filter(reach, chosen).filter(**fixed),
                                            LocationItemRollup.objects.all()))
    data = report_filter.form.cleaned_data
    for name, report_field in report_filter.filters.items():
        value = data.get(name)
        if value in EMPTY_VALUES or name in SHAPE_FILTERS:
            continue
        if name in DATE_FILTERS:
            rows = replace(rows, **{name: value})
        elif name in KEY_FILTERS:
            rows = replace(rows, evaluations=report_field.filter(rows.evaluations, value),
                           items=report_field.filter(rows.items, value),
                           place_items=per_place(lambda places: report_field.filter(places, value), rows.place_items))
        else:
            return None  # a filter on something the roll-ups do not hold
    return rows


def rows_for(report_filter, fixed: dict) -> RollupRows | None:
    return keyed(report_filter, scoping.counted_rollup_filter(report_filter.request.user), fixed)


def without_places(report_filter, reach: Q | None) -> RollupRows | None:
    """Like reports.services.company_queryset / reach_queryset: the same filters but places."""
    from reports.filters import ReportFilter
    from reports.services import PLACE_FILTERS

    params = report_filter.data.copy()
    for name in PLACE_FILTERS:
        params.pop(name, None)
    return keyed(ReportFilter(params, queryset=report_filter.queryset, request=report_filter.request), reach, {})


# ---------------------------------------------------------------- figures

def local_midnight(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def day_bounds(rows: RollupRows) -> tuple:
    """The first and the last day with an evaluation, (None, None) when there are none: as
    aggregation.day_bounds, from the day cells (one scan for the trend's periods and the first day)."""
    bounds = rows.evaluation_cells(by_day=True).aggregate(first=Min("period"), last=Max("period"))
    return bounds["first"], bounds["last"]


def period_starts(rows: RollupRows, period: str, bounds: tuple | None = None) -> list[datetime]:
    first, last = bounds or day_bounds(rows)
    if first is None:
        return []
    return aggregation.starts_between(first, last, period)


def period_key(period: str):
    """The start of the week or month a roll-up's day (or month) falls in."""
    if period == "week":
        return lambda day: local_midnight(day - timedelta(days=day.weekday()))
    return lambda day: local_midnight(day.replace(day=1))


def summary(rows: RollupRows) -> dict:
    figures = rows.evaluation_cells().aggregate(count=Sum("count"), scored=Sum("scored"), total=Sum("total"),
                                                critical_failures=Sum("critical_failures"))
    count = figures["count"] or 0
    critical = figures["critical_failures"] or 0
    return {"count": count, "average": aggregation.mean(figures["total"], figures["scored"] or 0),
            "critical_failures": critical, "critical_rate": 100 * critical / count if count else None}


def count(rows: RollupRows) -> int:
    return rows.evaluation_cells().aggregate(n=Sum("count"))["n"] or 0


def overview(rows: RollupRows, starts: list[datetime], period: str) -> tuple[dict, list[dict]]:
    """aggregation.overview from the cells, grouped by their period (a month, or a day at the
    range's ends) and added up here into the trend's weeks or months."""
    sums = {"count": Sum("count"), "scored": Sum("scored"), "total": Sum("total"),
            "critical_failures": Sum("critical_failures"), **{f"bucket_{low}": Sum(f"bucket_{low}") for low in BUCKETS}}
    cells = rows.evaluation_cells(by_day=period == "week").values("period").annotate(**sums).order_by()
    figures = {"count": 0, "scored": 0, "total": 0, "critical_failures": 0}
    per_bucket = dict.fromkeys(BUCKETS, 0)
    per_period: dict = {}
    key = period_key(period)
    for cell in cells:
        for name in figures:
            figures[name] += cell[name] or 0
        for low in BUCKETS:
            per_bucket[low] += cell[f"bucket_{low}"] or 0
        if starts:
            point = per_period.setdefault(key(cell["period"]), dict.fromkeys(figures, 0))
            for name in point:
                point[name] += cell[name] or 0
    summary_figures = {
        "count": figures["count"],
        "average": aggregation.mean(figures["total"], figures["scored"]),
        "critical_failures": figures["critical_failures"],
        "critical_rate": 100 * figures["critical_failures"] / figures["count"] if figures["count"] else None,
        "distribution": [{"low": low, "high": low + 9 if low < 90 else 100, "count": per_bucket[low]} for low in BUCKETS],
    }
    trend = [{"period": start, "average": aggregation.mean(point["total"], point["scored"]), "count": point["count"],
              "critical_failures": point["critical_failures"]}
             for start, point in sorted(per_period.items())]
    return summary_figures, trend


# aggregation.failing() from the cells: the score tenths below FAILING_BELOW (a critical failure scores 0).
FAILING = [f"bucket_{low}" for low in BUCKETS if low < aggregation.FAILING_BELOW]


def place_groups(rows: RollupRows, *keys) -> list[dict]:
    failing_sum = sum((F(name) for name in FAILING[1:]), F(FAILING[0]))
    groups = list(rows.evaluation_cells().values(*keys).annotate(
        count=Sum("count"), scored=Sum("scored"), total=Sum("total"), sum_sq=Sum("sum_sq"),
        critical_failures=Sum("critical_failures"), failing=Sum(failing_sum)).order_by())
    for group in groups:
        group["sum_sq"] = float(group["sum_sq"]) if group["sum_sq"] is not None else None
    return groups


def region_averages(rows: RollupRows) -> dict:
    groups = rows.evaluation_cells().values("location__region_id").annotate(
        total=Sum("total"), scored=Sum("scored")).order_by()
    return {g["location__region_id"]: g["total"] / g["scored"] for g in groups if g["scored"]}


def rankings(rows: RollupRows, min_sample: int, regions_from: RollupRows | None = None):
    """aggregation.rankings from the cells."""
    groups = place_groups(rows, "location_id", "employee_id")
    location_rows = aggregation.labelled(aggregation.roll_up(groups, "location_id"), "location")
    employee_rows = aggregation.labelled(aggregation.roll_up(groups, "employee_id"), "employee")
    if regions_from is None:
        region_avg = aggregation.region_averages_of(location_rows)
    else:
        region_ids = {row["location__region_id"] for row in location_rows + employee_rows}
        region_avg = region_averages(regions_from.filter(location__region_id__in=region_ids)) if region_ids else {}
    return (aggregation.ranked(location_rows, "location", min_sample, region_avg),
            aggregation.ranked(employee_rows, "employee", min_sample, region_avg))


def sections(rows: RollupRows) -> list:
    sums = {}
    for n, slot in enumerate(SLOTS):
        sums[f"total_{n}"] = Sum(f"slot_total_{slot}")
        sums[f"count_{n}"] = Sum(f"slot_count_{slot}")
    cells = rows.evaluation_cells()
    per_version = list(cells.values("version_id").annotate(**sums).order_by())
    return aggregation.sections_from(per_version, cells)


def failed_items(rows: RollupRows, limit: int = 10) -> list[dict]:
    """aggregation.failed_items from one pass over the item cells: failures and unscored
    answers of every item (a few dozen groups), the most failed picked here."""
    totals = list(rows.item_cells().values("item_id").annotate(failures=Sum("failures"), unscored=Sum("unscored"))
                  .order_by())
    counts = sorted(({"item_id": row["item_id"], "failures": row["failures"]} for row in totals if row["failures"]),
                    key=lambda row: (-row["failures"], row["item_id"]))[:limit]
    if not counts:
        return []
    item_ids = [row["item_id"] for row in counts]
    details = Item.objects.select_related("section").in_bulk(item_ids)
    per_version = dict(rows.evaluation_cells().values("version_id").annotate(n=Sum("count")).order_by()
                       .values_list("version_id", "n"))
    unscored = {row["item_id"]: row["unscored"] for row in totals if row["item_id"] in details}
    return aggregation.failed_item_rows(counts, details, per_version, unscored)


def kpi_figures(row: dict) -> dict:
    number = row["number_total"] / row["number_count"] if row["number_count"] else None
    return {"n": row["n"] or 0, "passed": row["passed"] or 0, "mean_number": number}


KPI_SUMS = {"n": Sum("answered"), "passed": Sum("passed"), "number_total": Sum("number_total"),
            "number_count": Sum("number_count")}


def kpis(rows: RollupRows) -> dict[str, dict]:
    kpi_items = aggregation.kpi_item_ids()
    if not kpi_items:
        return {}
    result = {}
    for row in rows.item_cells().filter(item_id__in=kpi_items).values("item__kpi").annotate(**KPI_SUMS).order_by():
        figures = kpi_figures(row)
        if figures["n"]:
            result[row["item__kpi"]] = {"value": aggregation.kpi_value(row["item__kpi"], figures), "n": figures["n"]}
    return result


def kpi_trend(rows: RollupRows, period: str, starts: list[datetime]) -> dict[str, list[dict]]:
    kpi_items = aggregation.kpi_item_ids()
    if not kpi_items or not starts:
        return {}
    cells = (rows.item_cells(by_day=period == "week").filter(item_id__in=kpi_items)
             .values("item__kpi", "period").annotate(**KPI_SUMS).order_by())
    key = period_key(period)
    merged: dict = defaultdict(lambda: {"n": 0, "passed": 0, "number_total": 0, "number_count": 0})
    for cell in cells:
        point = merged[(cell["item__kpi"], key(cell["period"]))]
        for name in point:
            point[name] += cell[name] or 0
    result: dict[str, list[dict]] = defaultdict(list)
    for (kpi, start), point in sorted(merged.items(), key=lambda entry: entry[0][1]):
        figures = kpi_figures(point)
        if figures["n"]:
            result[kpi].append({"period": start, "value": aggregation.kpi_value(kpi, figures), "n": figures["n"]})
    return dict(result)
