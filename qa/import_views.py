"""Bulk import of interactions: upload, progress, the rejected rows and why, a template."""

import zipfile

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View

from qa import imports, pending, roles
from qa.http import wants_json
from qa.models import InteractionImport
from qa.tasks import run_interaction_import



class ImportForm(forms.Form):
    sheet = forms.FileField(label=_lazy("Sheet of interactions (CSV or Excel .xlsx)"),
                            widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,text/csv"}))
    recordings = forms.FileField(
        label=_lazy("Zip of recordings"), required=False,
        help_text=_lazy("Needed when the sheet has phone calls: each row's recording column names a file in the zip."),
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}))

    def __init__(self, *args, kept_sheet=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.kept_sheet = None
        if kept_sheet:
            self.set_kept(kept_sheet)

    def set_kept(self, kept: dict) -> None:
        """A sheet kept from an attempt that failed for another reason (qa.pending) stands in for a new one."""
        self.kept_sheet = kept
        self.fields["sheet"].required = False
        pending.show_kept(self, "sheet", _("Kept from your last attempt: %(name)s (%(rows)s rows). "
                                           "Choose another file only to replace it.") % kept)

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        if not sheet and self.kept_sheet:
            self.rows = self.kept_sheet["rows"]
            return None
        if sheet.size > settings.IMPORT_SHEET_MAX_BYTES:
            raise forms.ValidationError(_("This sheet is larger than %(mb)s MB. Split it into smaller files.")
                                        % {"mb": settings.IMPORT_SHEET_MAX_BYTES // 1048576})
        try:
            self.rows = imports.count_rows(sheet)
        except imports.SheetError as exc:
            raise forms.ValidationError(exc.messages) from exc
        if self.rows == 0:
            raise forms.ValidationError(_("The sheet has column names but no rows."))
        if self.rows > settings.IMPORT_MAX_ROWS:
            raise forms.ValidationError(_("This sheet has %(n)s rows; the limit is %(limit)s. Split it into smaller "
                                          "files.") % {"n": self.rows, "limit": settings.IMPORT_MAX_ROWS})
        sheet.seek(0)
        return sheet

    def clean_recordings(self):
        archive = self.cleaned_data.get("recordings")
        if not archive:
            return archive
        if archive.size > settings.IMPORT_ZIP_MAX_BYTES:
            raise forms.ValidationError(_("This zip is larger than %(mb)s MB. Split it into smaller files.")
                                        % {"mb": settings.IMPORT_ZIP_MAX_BYTES // 1048576})
        if not zipfile.is_zipfile(archive):
            raise forms.ValidationError(_("This is not a zip archive. Put the recordings in a .zip file."))
        archive.seek(0)
        try:
            too_large = imports.Recordings(archive).too_large()
        except zipfile.BadZipFile as exc:
            raise forms.ValidationError(_("This zip archive is damaged and cannot be read.")) from exc
        if too_large:
            raise forms.ValidationError(too_large)
        archive.seek(0)
        return archive


class ImportView(PermissionRequiredMixin, View):
    permission_required = roles.ADD_INTERACTIONIMPORT

    def render_page(self, request, form, status=200):
        recent = InteractionImport.objects.select_related("created_by")[:10]
        return render(request, "qa/import_form.html", {
            "form": form, "recent": recent, "columns": imports.COLUMNS, "max_rows": settings.IMPORT_MAX_ROWS,
        }, status=status)

    def get(self, request):
        pending.discard(request, "import_sheet")  # a fresh form starts without a kept file
        return self.render_page(request, ImportForm())

    def post(self, request):
        form = ImportForm(request.POST, request.FILES, kept_sheet=pending.get(request, "import_sheet"))
        if not form.is_valid():
            upload = request.FILES.get("sheet")
            if upload and "sheet" not in form.errors:
                suffix = "xlsx" if upload.name.lower().endswith(".xlsx") else "csv"
                form.set_kept(pending.keep(request, "import_sheet", upload, suffix, rows=form.rows))
            messages.error(request, _("The files were not accepted: see the message under each. Nothing was imported."))
            return self.render_page(request, form, status=422)
        sheet = form.cleaned_data["sheet"] or pending.open_file(request, "import_sheet")
        job = InteractionImport(created_by=request.user, time_zone=timezone.get_current_timezone_name(),
                                sheet_name=sheet.name[:200], total=form.rows)
        job.sheet.save("sheet", sheet, save=False)
        if not form.cleaned_data["sheet"]:
            sheet.close()
        pending.discard(request, "import_sheet")
        if form.cleaned_data.get("recordings"):
            job.recordings_name = form.cleaned_data["recordings"].name[:200]
            job.recordings.save("recordings.zip", form.cleaned_data["recordings"], save=False)
        job.save()
        start(request, job)
        return redirect(job.get_absolute_url())

    @staticmethod
    def announce(request, job):
        if job.status == job.Status.DONE:
            messages.success(request, _("%(n)s interactions imported.") % {"n": job.imported})
        elif job.status == job.Status.REJECTED:
            messages.error(request, _("Nothing was imported: fix the rows listed below and upload the sheet again."))
        else:
            messages.error(request, _("The import failed and nothing was imported: %(e)s") % {"e": job.error})


def start(request, job):
    """Small sheets are imported during the request, larger ones by the task worker."""
    if job.total <= settings.IMPORT_SYNC_ROWS:
        job = imports.run(job)
        ImportView.announce(request, job)
    else:
        transaction.on_commit(lambda: run_interaction_import.enqueue(job.pk))
        messages.info(request, _("%(n)s rows are being checked and imported in the background; "
                                 "this page shows the progress.") % {"n": job.total})


class ImportDetailView(PermissionRequiredMixin, View):
    permission_required = roles.ADD_INTERACTIONIMPORT

    def get(self, request, pk):
        imports.fail_stale()  # an import whose worker died shows as failed, with a retry, not as running forever
        job = get_object_or_404(InteractionImport.objects.select_related("created_by"), pk=pk)
        if wants_json(request):
            return JsonResponse({"status": job.status, "label": job.get_status_display(), "percent": job.percent,
                                 "done": job.done, "total": job.total, "finished": job.finished})
        page = Paginator(job.problems, 50).get_page(request.GET.get("page"))
        return render(request, "qa/import_detail.html", {"job": job, "page_obj": page, "problems": page.object_list})


class ImportRetryView(PermissionRequiredMixin, View):
    """Run a failed import again from the files it kept."""

    permission_required = roles.ADD_INTERACTIONIMPORT

    def post(self, request, pk):
        job = get_object_or_404(InteractionImport, pk=pk)
        if not imports.retry(job):
            messages.error(request, _("Only a failed import whose files are still kept can be retried; "
                                      "upload the files again instead."))
            page = Paginator(job.problems, 50).get_page(1)
            return render(request, "qa/import_detail.html", {"job": job, "page_obj": page,
                                                            "problems": page.object_list}, status=409)
        job.refresh_from_db()
        start(request, job)  # says what happens next
        return redirect(job.get_absolute_url())


class ImportTemplateView(PermissionRequiredMixin, View):
    permission_required = roles.ADD_INTERACTIONIMPORT

    def get(self, request):
        response = HttpResponse(imports.template_csv(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="interactions-template.csv"'
        return response
