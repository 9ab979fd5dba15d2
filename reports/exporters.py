"""One class per export. Each builds its ReportData once (reports.services) and writes
Excel, PDF and CSV from it, so the files always agree with the page and with each other.

An exporter checks the user's reach itself (through qa.scoping), also when it runs
inside the background task, long after the request that asked for it.
"""

import csv
import io

from django.http import Http404
from django.utils.text import slugify
from django.utils.translation import gettext as _

from qa import formats, scoping
from reports import coverage, pdf, services, xlsx
from reports.rows import column_titles, csv_lines, item_columns
from shops.models import Region

FORMATS = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "csv": "text/csv; charset=utf-8",
}


class Exporter:
    identifier = ""
    formats = ("xlsx", "pdf", "csv")

    def __init__(self, user, params: dict, object_id=None):
        self.user = user
        self.params = {k: v for k, v in params.items() if k not in ("page",)}
        self.object_id = object_id
        self._data = None

    # What each exporter defines -------------------------------------------------
    def scope(self) -> dict:
        """Title and fixed filters; raises Http404 for anything outside the user's reach."""
        raise NotImplementedError

    def rankings(self, data):
        return [("Locations", data.locations, "location__name"), ("Employees", data.employees, "employee__name")]

    # Shared ---------------------------------------------------------------------
    def data(self):
        """Every figure of the report (for Excel and PDF)."""
        if self._data is None:
            self._data = services.build(self.user, self.params, **self.scope())
        return self._data

    def evaluations(self):
        """Just the scoped, filtered evaluations (for CSV and for sizing), without the figures."""
        scope = {k: v for k, v in self.scope().items() if k not in ("title", "region")}
        return services.filtered(self.user, self.params, **scope)[1]

    def count(self) -> int:
        return self.evaluations().count()

    def filter_errors(self) -> list[tuple[str, str]]:
        """What is wrong with the URL's filters, as (label, message): checked before a download starts,
        so that a bad filter is refused with a message instead of breaking a file half-way."""
        report_filter = services.filtered(self.user, self.params)[0]
        form = report_filter.form
        if report_filter.is_valid():
            return []
        return [(str(form.fields[name].label) if name in form.fields else name, error)
                for name, errors in form.errors.items() for error in errors]

    def tables(self) -> list:
        """The tables plans and coaching add (reports.extensions), for this user and scope."""
        return services.extension_tables(self.user, self.data(), self.scope())

    def filename(self, fmt: str) -> str:
        stamp = formats.stamp()
        return f"{slugify(self.scope()['title']) or self.identifier}-{stamp}.{fmt}"

    def write(self, fmt: str, out, progress=None):
        if fmt == "xlsx":
            data = self.data()
            return xlsx.write_workbook(out, data, item_columns(data.evaluations), progress, tables=self.tables())
        if fmt == "pdf":
            return pdf.write_report(out, self.data(), rankings=self.rankings(self.data()), progress=progress,
                                    tables=self.tables())
        if fmt == "csv":
            text = io.TextIOWrapper(out, encoding="utf-8", newline="", write_through=True)
            text.writelines(self.csv_lines())
            text.detach()
            return None
        raise Http404

    def csv_lines(self):
        """The same raw rows as the Excel "Evaluations" sheet, as CSV lines, header first, for streaming.
        Dates are local, to the minute: 2026-11-02 09:30 (qa.formats.CSV_DATETIME)."""
        evaluations = self.evaluations()
        columns = item_columns(evaluations)
        header = io.StringIO()
        csv.writer(header).writerow(column_titles(columns))
        yield header.getvalue()
        yield from csv_lines(evaluations, columns, date_format=formats.csv_datetime)


class DashboardExport(Exporter):
    identifier = "dashboard"

    def scope(self):
        return {"title": _("Service QA report")}

    def coverage_figures(self) -> dict | None:
        """The dashboard's coverage block (reports.coverage.figures, as DashboardView calls it): None for
        viewers who do not see the automatic source (managers, employees)."""
        report_filter = services.filtered(self.user, self.params)[0]
        cleaned = report_filter.form.cleaned_data if report_filter.is_valid() else {}
        return coverage.figures(self.user, cleaned)

    def tables(self) -> list:
        block = coverage.table(self.coverage_figures())
        return ([block] if block else []) + super().tables()


class LocationExport(Exporter):
    identifier = "location"

    def scope(self):
        location = scoping.locations_for(self.user).select_related("region").filter(pk=self.object_id).first()
        if location is None:
            raise Http404
        return services.location_scope(location)

    def rankings(self, data):
        return [("Employees", data.employees, "employee__name")]


class EmployeeExport(Exporter):
    identifier = "employee"

    def scope(self):
        employee = scoping.employees_for(self.user).select_related("location__region").filter(pk=self.object_id).first()
        if employee is None:
            raise Http404
        return services.employee_scope(employee)

    def rankings(self, data):
        return []


class RegionExport(Exporter):
    """A region's booklet: cover, contents, summary, then one chapter per location."""

    identifier = "region"

    def region(self):
        region_ids = scoping.locations_for(self.user).values("region_id")
        region = Region.objects.filter(pk=self.object_id, pk__in=region_ids).first()
        if region is None:
            raise Http404
        return region

    def scope(self):
        region = self.region()
        return {"title": _("%(region)s region") % {"region": region.name}, "region": region, "location__region": region}

    def write(self, fmt: str, out, progress=None):
        if fmt != "pdf":
            return super().write(fmt, out, progress)
        data = self.data()
        region = self.region()
        chapters = []
        for location in scoping.locations_for(self.user).filter(region=region, active=True).order_by("name"):
            chapter = services.build(self.user, self.params, title=location.name, region=region, location=location)
            if chapter.summary["count"]:
                chapters.append((location, chapter))
        return pdf.write_booklet(out, data, chapters, progress, tables=self.tables())


EXPORTERS = {cls.identifier: cls for cls in (DashboardExport, LocationExport, EmployeeExport, RegionExport)}


def get_exporter(identifier: str, user, params: dict, object_id=None) -> Exporter:
    cls = EXPORTERS.get(identifier)
    if cls is None:
        raise Http404
    return cls(user, params, object_id)
