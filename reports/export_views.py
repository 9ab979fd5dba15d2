"""Downloads: small exports at once, large ones through a background job with a progress bar."""

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from qa import files
from qa.http import missing_file, wants_json
from reports.exporters import FORMATS, get_exporter
from reports.models import ExportJob
from reports.tasks import build_export
from reports.views import ReportAccessMixin


def stream_csv(exporter):
    yield "\ufeff"  # so spreadsheet programs read UTF-8
    yield from exporter.csv_lines()


class ExportView(ReportAccessMixin, View):
    http_method_names = ["get"]

    def get(self, request, exporter, fmt, object_id=None):
        if fmt not in FORMATS:
            raise Http404
        params = request.GET.dict()
        instance = get_exporter(exporter, request.user, params, object_id)
        if fmt not in instance.formats:
            raise Http404
        instance.scope()  # refuses objects outside the user's reach before anything else
        errors = instance.filter_errors()
        if errors:
            back = request.META.get("HTTP_REFERER", "")
            if not url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure()):
                back = reverse("reports:dashboard")
            return render(request, "reports/export_refused.html", {"errors": errors, "back": back}, status=400)
        if fmt == "csv":
            response = StreamingHttpResponse(stream_csv(instance), content_type=FORMATS["csv"])
            response["Content-Disposition"] = f'attachment; filename="{instance.filename("csv")}"'
            return response
        if instance.count() > settings.EXPORT_SYNC_LIMIT:
            job = ExportJob.objects.create(requested_by=request.user, exporter=exporter, file_format=fmt,
                                           params={"filters": params, "object_id": object_id})
            build_export.enqueue(job.pk)
            messages.info(request, _("This export is large, so it is being built in the background. "
                                     "You can leave this page; the file stays here for %(days)s days.") % {
                "days": settings.EXPORT_KEEP_DAYS})
            return redirect(job.get_absolute_url())
        response = HttpResponse(content_type=FORMATS[fmt])
        instance.write(fmt, response)
        response["Content-Disposition"] = f'attachment; filename="{instance.filename(fmt)}"'
        return response


def own_job(request, pk) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, requested_by=request.user)


class ExportJobView(ReportAccessMixin, View):
    http_method_names = ["get"]

    def get(self, request, pk):
        job = own_job(request, pk)
        if wants_json(request):
            return JsonResponse({"status": job.status, "label": job.get_status_display(), "percent": job.percent,
                                 "done": job.done, "total": job.total, "error": job.error,
                                 "download": job.get_absolute_url() + "download/" if job.status == "done" else None})
        return render(request, "reports/export_job.html", {"job": job})


class ExportDownloadView(ReportAccessMixin, View):
    http_method_names = ["get"]

    def get(self, request, pk):
        job = own_job(request, pk)
        if job.status != ExportJob.Status.DONE or not job.file:
            raise Http404
        try:
            return files.file_response(job.file, FORMATS.get(job.file_format), filename=job.filename,
                                       as_attachment=True)
        except FileNotFoundError:
            return missing_file(request, job, _("export file"))


class ExportRetryView(ReportAccessMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        job = own_job(request, pk)
        if job.status == ExportJob.Status.FAILED:
            ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.QUEUED, done=0, error="")
            build_export.enqueue(job.pk)
            messages.success(request, _("Trying again."))
        return redirect(job.get_absolute_url())
