"""Managers' reports: the dashboard, one page per location and per employee, exports.

Every page asks reports.services for its figures, which start from qa.scoping, so
a regional manager sees only their regions, an employee only themselves, and a
shopper no reports at all.
"""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from qa import formats, roles, scoping
from reports import charts, coverage, services
from reports.filters import ReportFilter
from reports.services import FilterRequest

REPORT_ROLES = (roles.ADMINISTRATOR, roles.QA_LEAD, roles.QA_REVIEWER, roles.MANAGER, roles.EMPLOYEE)


def may_read_reports(user) -> bool:
    """Who may open the reports at all (never a shopper); what they see inside is qa.scoping's."""
    return roles.has_role(user, *REPORT_ROLES)


class ReportAccessMixin(LoginRequiredMixin):
    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not may_read_reports(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


def period_title(period: str) -> str:
    return _("Week") if period == "week" else _("Month")


def chart_context(data) -> dict:
    """The page's charts, each period named as the table beneath names it (qa.formats)."""
    return {
        "trend_chart": charts.line(
            [(formats.period_axis(p["period"], data.period), formats.period(p["period"], data.period),
              p["average"], p["count"]) for p in data.trend],
            _("Average score by %(period)s") % {"period": period_title(data.period).lower()},
            y_title=_("Score (%)"), x_title=formats.period_axis_title(data.period)),
        "section_chart": charts.bars([(s.name, s.average) for s in data.sections], _("Average score by section (%)")),
    }


RANKING_PAGE_SIZE = 25


def ranking_page(request, rows: list, param: str) -> dict:
    """One page of a ranking: a page lists 25, not 1,000 employees (exports carry them all).

    When every row is in one region, that region's average is said once above the table
    (`one_region`) instead of repeated on every row; otherwise each row shows its own."""
    page = Paginator(rows, RANKING_PAGE_SIZE).get_page(request.GET.get(param))
    query = request.GET.copy()
    query.pop(param, None)
    regions = {(r["location__region_id"], r["location__region__name"], r["region_average"]) for r in rows}
    one_region = next(iter(regions)) if len(regions) == 1 else None
    return {"page": page, "param": param, "query": query.urlencode(),
            "one_region": {"name": one_region[1], "average": one_region[2]} if one_region else None}


class ReportPageMixin(ReportAccessMixin):
    template_name = "reports/dashboard.html"
    # Filters a page fixes itself (a location's page is that location): not offered in its panel.
    hide_filters: tuple[str, ...] = ()

    def report_scope(self) -> dict:
        return {}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        scope = self.report_scope()
        params = self.request.GET.dict()
        data = services.build(self.request.user, params, **scope)
        filter_request = FilterRequest(self.request.user, params)
        query = self.request.GET.copy()
        query.pop("page", None)
        context.update(data=data, filter=ReportFilter(filter_request.GET, request=filter_request),
                       hide_filters=self.hide_filters, query=query.urlencode(), export_query=query.urlencode(),
                       export_formats=[("xlsx", _("Excel")), ("pdf", _("PDF")), ("csv", _("CSV"))],
                       location_ranking=ranking_page(self.request, data.locations, "locations_page"),
                       employee_ranking=ranking_page(self.request, data.employees, "employees_page"),
                       location_links=scoping.reads_location_reports(self.request.user),
                       extension_tables=services.extension_tables(self.request.user, data, scope),
                       **chart_context(data))
        # A refused filter (a reversed range, a day far away) shows the panel with its errors and nothing else:
        # no figures, tables, downloads or subscriptions for filters that were not applied.
        context["filters_refused"] = not context["filter"].is_valid()
        return context

    def render_to_response(self, context, **kwargs):
        if context.get("filters_refused"):
            kwargs["status"] = 400
        return super().render_to_response(context, **kwargs)


class DashboardView(ReportPageMixin, TemplateView):
    def report_scope(self):
        return {"title": _("Dashboard")}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        region = context["filter"].form.cleaned_data.get("region") if context["filter"].is_valid() else None
        context["region_id"] = region.pk if region else None
        cleaned = context["filter"].form.cleaned_data if context["filter"].is_valid() else {}
        context["coverage"] = coverage.figures(self.request.user, cleaned)
        context["automatic_source"] = bool(coverage.sources_in(self.request.GET))
        return context


class EntityReportMixin(ReportPageMixin):
    """One location's or one employee's report: the same figures, plus the evaluations behind them."""

    template_name = "reports/entity.html"
    entity_kind = ""

    def get_entity(self):
        raise NotImplementedError

    def report_scope(self):
        self.entity = self.get_entity()
        return self.entity_scope(self.entity)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(entity=self.entity, entity_kind=self.entity_kind, export_id=self.entity.pk,
                       evaluation_page=evaluation_page(self.request, context["data"]))
        return context


class LocationReportView(EntityReportMixin, TemplateView):
    entity_kind = "location"
    hide_filters = ("region", "location")

    def get_entity(self):
        return get_object_or_404(scoping.locations_for(self.request.user).select_related("region"), pk=self.kwargs["pk"])

    def entity_scope(self, location):
        return services.location_scope(location)


class EmployeeReportView(EntityReportMixin, TemplateView):
    entity_kind = "employee"
    hide_filters = ("region", "location", "employee")

    def get_entity(self):
        return get_object_or_404(scoping.employees_for(self.request.user).select_related("location__region"),
                                 pk=self.kwargs["pk"])

    def entity_scope(self, employee):
        return services.employee_scope(employee)


def evaluation_page(request, data):
    evaluations = data.evaluations.select_related("version__scorecard", "employee", "location").order_by(
        "-interaction_at", "-pk")
    return Paginator(evaluations, 25).get_page(request.GET.get("page"))
