"""The dashboard's figures for given filters (reports.services.build, the same numbers as the page and its
exports), and exports requested, polled and downloaded (reports.models.ExportJob, built by the task worker
with reports.tasks.build_export, which checks the requester's reach again)."""

import dataclasses
import math
from datetime import date, datetime
from decimal import Decimal
from fractions import Fraction

from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from api.endpoints.base import ID, Problems, digit_errors
from api.filtering import refuse_unknown
from api.serializers import ExportInput, ExportJobSerializer
from reports import services
from reports.exporters import FORMATS, get_exporter
from reports.filters import ReportFilter
from reports.models import ExportJob
from reports.tasks import build_export
from reports.views import may_read_reports
from scorecards.scoring import round_score

FILTERS = ["date_from", "date_to", "region", "location", "employee", "scorecard", "channel", "source", "period"]


def figure(number):
    """A figure as JSON: rounded once, to 2 places with halves up (scorecards.scoring.round_score, the site's
    one rounding), whether the database's average came back as a Decimal or a float."""
    if not (number.is_finite() if isinstance(number, Decimal) else math.isfinite(number)):
        return None
    return float(round_score(Fraction(number)))


def plain(value):
    """Figures as JSON: dataclasses as objects, decimals and fractions as numbers rounded to 2 places,
    querysets left out."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, (Decimal, float)):
        return figure(value)
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if value is None or isinstance(value, (str, int, bool)):
        return value
    return str(value)


def report_readers(user) -> bool:
    return may_read_reports(user)


def check_filters(user, params):
    report_filter = services.filtered(user, params)[0]
    if not report_filter.is_valid():
        raise exceptions.ValidationError({name: [str(e) for e in errors]
                                          for name, errors in report_filter.form.errors.items()})


class DashboardReportView(APIView):
    """The dashboard's figures: summary, sections, trend, distribution, most failed items, rankings and
    targets, for the reader's reach narrowed by the filters (the dashboard's own names and meaning)."""

    required = {"*": report_readers}

    @extend_schema(parameters=[OpenApiParameter(name, str, required=False) for name in FILTERS],
                   responses={200: OpenApiTypes.OBJECT})
    def get(self, request):
        refuse_unknown(request.query_params, set(FILTERS))
        params = {k: v for k, v in request.query_params.items() if k in FILTERS}
        check_filters(request.user, params)
        data = services.build(request.user, params, _("Dashboard"))
        figures = plain({f.name: getattr(data, f.name) for f in dataclasses.fields(data) if f.name != "evaluations"})
        return Response(figures)


class ExportViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Exports in the background: POST asks for one (202), GET polls it, /download/ fetches the file.
    Each person sees their own exports only."""

    serializer_class = ExportJobSerializer
    lookup_value_regex = ID
    required = {"*": report_readers}

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a user
            return ExportJob.objects.none()
        return ExportJob.objects.filter(requested_by=self.request.user)

    @extend_schema(request=ExportInput, responses={202: ExportJobSerializer})
    def create(self, request, *args, **kwargs):
        incoming = ExportInput(data=request.data)
        refused = Problems()
        refused.update(digit_errors(ExportInput, request.data))
        if not incoming.is_valid():
            refused.update(incoming.errors)
        refused.raise_any()
        values = incoming.validated_data
        object_id = values.get("object_id")
        params = {k: v for k, v in values.get("filters", {}).items() if k in FILTERS}
        for name in sorted(set(values.get("filters", {})) - set(FILTERS)):
            refused.add(f"filters.{name}", _("There is no such filter. The filters are: %(names)s.") % {
                "names": ", ".join(FILTERS)})
        refused.raise_any()
        exporter = get_exporter(values["exporter"], request.user, params, object_id)
        problems = Problems()  # every check, so that one answer lists all that is wrong
        if values["exporter"] != "dashboard" and object_id is None:
            problems.add("object_id", _("Say which one: this export is of one place or person."))
        else:
            try:
                exporter.scope()
            except Http404:
                problems.add("object_id", _("Nothing with this id is within your reach."))
        if values["format"] not in exporter.formats:
            problems.add("format", _("This export is not available in this format."))
        for label, message in exporter.filter_errors():
            problems.add("filters", f"{label}: {message}")
        problems.raise_any()
        job = ExportJob.objects.create(requested_by=request.user, exporter=values["exporter"],
                                       file_format=values["format"], params={"filters": params, "object_id": object_id})
        build_export.enqueue(job.pk)
        job.refresh_from_db()
        response = Response(self.get_serializer(job).data, status=status.HTTP_202_ACCEPTED)
        response["Location"] = request.build_absolute_uri(f"{job.pk}/")
        return response

    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY})
    @action(detail=True, methods=["get"])
    def download(self, request, pk=None):
        job = self.get_object()
        if job.status != ExportJob.Status.DONE or not job.file:
            raise exceptions.NotFound(_("This export is not ready: poll it until its status is done."))
        return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename,
                            content_type=FORMATS.get(job.file_format))


__all__ = ["DashboardReportView", "ExportViewSet", "ReportFilter"]
