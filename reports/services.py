"""A report's figures, built once from one scoped, filtered queryset. Pages, PDF,
Excel and CSV exports all take their numbers from here, so they always agree."""

import hashlib
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from qa import scoping
from qa.models import Evaluation
from reports import aggregation, coverage, extensions, figure_cache, parallel, rollup_figures
from reports.filters import ReportFilter
from reports.models import PolicyTarget


class FilterRequest:
    """The little a FilterSet needs of a request, so tasks can rebuild a report without one."""

    def __init__(self, user, params: dict):
        self.user = user
        self.GET = QueryDict(mutable=True)
        for key, value in params.items():
            if isinstance(value, list):
                self.GET.setlist(key, value)
            else:
                self.GET[key] = value


@dataclass
class ReportData:
    title: str
    filters: list
    period: str
    evaluations: object
    summary: dict
    company: dict
    region: dict | None
    sections: list
    trend: list
    distribution: list
    failed_items: list
    locations: list
    employees: list
    best: list
    targets: list
    hidden_comparisons: list = field(default_factory=list)  # "company", "region": too few outside the reach
    generated_at: object = field(default_factory=timezone.now)
    min_sample: int = 5
    # The day of the report's first evaluation (in the report's time zone), for tables that count from it
    # (coaching's sessions since then): read with the figures, from the roll-ups where they serve the report.
    first_day: object = None
    # The place filters the viewer chose ({"region": Region, "location": Location, "employee": Employee}, those set),
    # for the tables apps add (reports.extensions) that count other things than evaluations, such as plans.
    places: dict = field(default_factory=dict)

    def hidden_note(self) -> str:
        """Why a comparison is missing, for the exports (the pages say it in their own words)."""
        if not self.hidden_comparisons:
            return ""
        return (f"{' and '.join(self.hidden_comparisons).capitalize()} comparison left out: fewer than "
                f"{self.min_sample} evaluations outside your reach match, and it would reveal individual scores.")


def filtered(user, params: dict, **fixed):
    """The user's reach (qa.scoping), narrowed by the URL's filters and any fixed scope (one location, ...);
    none of it when a filter is refused."""
    request = FilterRequest(user, params)
    base = coverage.counted(user, params).filter(**fixed)
    report_filter = ReportFilter(request.GET, queryset=base, request=request)
    if not report_filter.is_valid():
        # A filter refused (a reversed range, a day far away) would otherwise be dropped and the rest applied:
        # figures for filters other than the panel shows. The panel says what is wrong; nothing is counted.
        return report_filter, base.none()
    return report_filter, report_filter.qs


PLACE_FILTERS = ("region", "location", "employee")


def place_filters(report_filter) -> dict:
    """The region, location and employee the report is filtered on (ReportData.places); {} for none or a bad
    filter (the page then says what is wrong and shows nothing)."""
    if not report_filter.is_valid():
        return {}
    cleaned = report_filter.form.cleaned_data
    return {name: cleaned[name] for name in PLACE_FILTERS if cleaned.get(name) is not None}


def company_queryset(report_filter):
    """Company-wide figures for comparison: the same filters (dates, scorecard, channel,
    source) through the same filter set, over every place and not only the user's reach."""
    params = report_filter.data.copy()
    for name in PLACE_FILTERS:
        params.pop(name, None)
    return ReportFilter(params, queryset=coverage.company_counted(params), request=report_filter.request).qs


def targets_with_values(evaluations, period: str, starts=None) -> list[dict]:
    return targets_from(aggregation.kpis(evaluations), aggregation.kpi_trend(evaluations, period, starts))


def targets_from(values: dict, trends: dict) -> list[dict]:
    """The policy's targets beside the KPIs' values and trends."""
    rows = []
    for target in PolicyTarget.objects.all():
        current = values.get(target.kpi, {})
        rows.append({
            "target": target, "value": current.get("value"), "n": current.get("n", 0),
            "met": target.is_met(current.get("value")), "trend": trends.get(target.kpi, []),
        })
    return rows


def location_scope(location) -> dict:
    """What build() needs for one location's report (used by its page and its exports)."""
    return {"title": location.name, "region": location.region, "location": location}


def employee_scope(employee) -> dict:
    return {"title": employee.name, "region": employee.location.region, "employee": employee}


def page_scope(scope: dict) -> dict:
    """The fixed scope a report page hands to reports.extensions providers: {} on the dashboard,
    {"location": ...} or {"employee": ...} on those pages, {"region": ...} for a region's booklet."""
    for name in ("employee", "location"):
        if name in scope:
            return {name: scope[name]}
    if "location__region" in scope:
        return {"region": scope["location__region"]}
    return {}


def extension_tables(user, data, scope: dict) -> list:
    """The tables apps above reports add to this report (reports.extensions), never cached:
    they are the owning app's figures, computed when shown."""
    return extensions.tables(user, data, page_scope(scope))


def cache_key(user, params: dict, title, region, fixed) -> str:
    parts = [scoping.reach_signature(user), repr(sorted((k, str(v)) for k, v in params.items())), str(title),
             str(getattr(region, "pk", region)), repr(sorted((k, getattr(v, "pk", v)) for k, v in fixed.items())),
             timezone.get_current_timezone_name()]
    return "report:" + hashlib.sha256("|".join(parts).encode()).hexdigest()


def build(user, params: dict, title: str, region=None, **fixed) -> ReportData:
    """The report's figures. They are cached for REPORT_CACHE_SECONDS per reach and filters:
    a dashboard over 100,000 evaluations costs a second of database work, and on Monday
    morning every manager of a region opens the same one. The evaluations queryset is
    never cached, only the figures computed from it."""
    report_filter, evaluations = filtered(user, params, **fixed)
    seconds = settings.REPORT_CACHE_SECONDS

    def figures():
        return compute(report_filter, evaluations, region, fixed)

    places = place_filters(report_filter)
    if seconds:
        return ReportData(title=title, evaluations=evaluations, places=places, **figure_cache.get_or_compute(
            cache_key(user, params, title, region, fixed), seconds, figures))
    return ReportData(title=title, evaluations=evaluations, places=places, **figures())


def compute(report_filter, evaluations, region, fixed=None, use_rollups: bool = True) -> dict:
    """The figures in two halves of about equal cost, run side by side (reports.parallel):
    the scan of failed answers (the largest) with the section means, and everything
    read from the evaluation rows alone.

    From the roll-ups (reports.rollup_figures) whenever the reach, filters and time zone
    allow it: the same figures, read from a few rows per day and person instead of
    every evaluation and answer."""
    rows = rollup_figures.rows_for(report_filter, fixed or {}) if use_rollups else None
    if rows is not None:
        return compute_from_rollups(report_filter, evaluations, region, rows)
    period = report_filter.trend_period
    min_sample = settings.REPORT_MIN_SAMPLE

    def items_and_sections():
        return {"failed_items": aggregation.failed_items(evaluations), "sections": aggregation.sections(evaluations)}

    def scores_and_places():
        bounds = aggregation.day_bounds(evaluations)
        starts = aggregation.period_starts(evaluations, period, bounds)  # trend and targets share the periods
        summary, trend = aggregation.overview(evaluations, starts)
        reach = reach_queryset(report_filter)
        locations, employees = aggregation.rankings(
            evaluations, min_sample, regions_from=None if same_rows(reach, evaluations) else reach)
        return {"summary": summary, "distribution": summary["distribution"], "trend": trend,
                "targets": targets_with_values(evaluations, period, starts),
                "locations": locations, "employees": employees, "best": aggregation.best_performers(employees),
                "first_day": bounds[0],
                **comparisons(report_filter, evaluations, region, summary)}

    figures = {"filters": report_filter.describe(), "period": period, "min_sample": min_sample,
               "generated_at": timezone.now()}
    for half in parallel.side_by_side(scores_and_places, items_and_sections):
        figures.update(half)
    return figures


def compute_from_rollups(report_filter, evaluations, region, rows) -> dict:
    """compute(), each figure from the roll-up cells `rows`; `evaluations` (never read here)
    still decides, as text, which comparisons are the report's own rows."""
    period = report_filter.trend_period
    min_sample = settings.REPORT_MIN_SAMPLE
    user = report_filter.request.user

    def items_and_sections():
        return {"failed_items": rollup_figures.failed_items(rows), "sections": rollup_figures.sections(rows)}

    def scores_and_places():
        bounds = rollup_figures.day_bounds(rows)
        starts = rollup_figures.period_starts(rows, period, bounds)
        summary, trend = rollup_figures.overview(rows, starts, period)
        own_reach = same_rows(reach_queryset(report_filter), evaluations)
        reach_rows = None if own_reach else rollup_figures.without_places(
            report_filter, scoping.counted_rollup_filter(user))
        locations, employees = rollup_figures.rankings(rows, min_sample, regions_from=reach_rows)
        targets = targets_from(rollup_figures.kpis(rows), rollup_figures.kpi_trend(rows, period, starts))
        return {"summary": summary, "distribution": summary["distribution"], "trend": trend, "targets": targets,
                "locations": locations, "employees": employees, "best": aggregation.best_performers(employees),
                "first_day": bounds[0],
                **comparisons(report_filter, evaluations, region, summary, rolled=True)}

    figures = {"filters": report_filter.describe(), "period": period, "min_sample": min_sample,
               "generated_at": timezone.now()}
    for half in parallel.side_by_side(scores_and_places, items_and_sections):
        figures.update(half)
    return figures


def reach_queryset(report_filter):
    """The user's whole reach under the report's filters other than places: the part of the
    company's figures the user may see anyway."""
    params = report_filter.data.copy()
    for name in PLACE_FILTERS:
        params.pop(name, None)
    user = report_filter.request.user
    return ReportFilter(params, queryset=coverage.counted(user, params), request=report_filter.request).qs


def same_rows(first, second) -> bool:
    try:
        return str(first.query) == str(second.query)
    except EmptyResultSet:  # a reach or filter that matches nothing has no SQL to compare
        return False


def comparisons(report_filter, evaluations, region, summary: dict, rolled: bool = False) -> dict:
    """The company's and the region's figures under the same filters. When the user's
    reach is the whole company the company's are the report's own `summary`.

    A comparison is left out (None, named in `hidden_comparisons`) when the part of it
    outside the user's reach holds fewer than REPORT_MIN_SAMPLE evaluations: "own 92.6%
    (n=1), company 87.4% (n=2)" would give away another region's single score."""
    min_sample = settings.REPORT_MIN_SAMPLE
    company_qs = company_queryset(report_filter)
    reach = reach_queryset(report_filter)
    # Which rows the figures are read from: the evaluations, or their roll-ups (the querysets
    # above still decide, as text, which of them are the report's own rows).
    company_rows, reach_rows, summarise, counting = company_qs, reach, aggregation.summary, lambda rows: rows.count()
    if rolled:
        company_rows = rollup_figures.without_places(report_filter, Q())
        reach_rows = rollup_figures.without_places(report_filter,
                                                   scoping.counted_rollup_filter(report_filter.request.user))
        summarise, counting = rollup_figures.summary, rollup_figures.count
    whole_company = same_rows(reach, company_qs)  # QA staff: nothing lies outside their reach
    if same_rows(company_qs, evaluations):
        company = {k: v for k, v in summary.items() if k != "distribution"}
    else:
        company = summarise(company_rows)
    if whole_company:
        reach_count = company["count"]
    else:
        reach_count = summary["count"] if same_rows(reach, evaluations) else counting(reach_rows)
    hidden = []
    if 0 < company["count"] - reach_count < min_sample:
        company = None
        hidden.append("company")
    region_figures = None
    if region is not None:
        region_figures = summarise(company_rows.filter(location__region=region))
        outside = 0 if whole_company else region_figures["count"] - counting(reach_rows.filter(location__region=region))
        if 0 < outside < min_sample:
            region_figures = None
            hidden.append("region")
    return {"company": company, "region": region_figures, "hidden_comparisons": hidden}


def ensure_default_targets():
    """The policy's own targets (seed documents): FCR 85%, response under 2 hours, complaints
    acknowledged and resolved in time, customer satisfaction 95%."""
    defaults = [
        ("fcr", 85, "at_least", "%", "Policy template VII.A KPIs: First Contact Resolution"),
        ("response_hours", 2, "at_most", " h", "Policy template VII.A KPIs: Average Response Time"),
        ("acknowledged_in_time", 95, "at_least", "%", "Policy template Table 1: acknowledgement times"),
        ("resolved_in_time", 95, "at_least", "%", "Policy template Table 1: resolution times"),
        ("satisfaction", 95, "at_least", "%", "Policy template II.B: 95% customer satisfaction"),
    ]
    for kpi, target, comparison, unit, reference in defaults:
        PolicyTarget.objects.get_or_create(kpi=kpi, defaults={
            "target": target, "comparison": comparison, "unit": unit, "policy_reference": reference})
