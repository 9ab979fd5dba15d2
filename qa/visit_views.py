"""What a mystery shopper does on their phone: accept a visit, file its report
(with autosaved drafts and an idempotent submission), upload evidence.

The page works as a plain HTML form; static/js/visit-report.js adds autosave,
the offline outbox and in-browser photo resizing on top.
"""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from qa import evidence as evidence_service
from qa.http import missing_file, read_int, read_json, wants_json
from qa import files, formats, roles, visits
from qa.models import Evidence, ReportDraft, VisitReport
from qa.visit_forms import VisitReportForm
from shops import services as shop_services
from shops.models import Assignment, Shopper


class ShopperMixin(LoginRequiredMixin):
    """Only a signed-in mystery shopper, and only their own assignments."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.shopper = Shopper.objects.filter(user=request.user, active=True).first()
        if self.shopper is None or not roles.has_role(request.user, roles.SHOPPER):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def own_assignment(self, pk) -> Assignment:
        return get_object_or_404(
            Assignment.objects.select_related("location__region", "version__scorecard"), pk=pk, shopper=self.shopper
        )


class AcceptView(ShopperMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = get_object_or_404(shop_services.offered_to(self.shopper), pk=pk)
        try:
            shop_services.accept(assignment, self.shopper)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("Accepted: %(location)s. The brief and address are under “Your visits”.") % {
                "location": assignment.location.name})
        return redirect("home")


class VisitReportView(ShopperMixin, View):
    template_name = "qa/visit_report.html"

    def get_report(self, assignment):
        return VisitReport.objects.select_related("evaluation").filter(assignment=assignment).first()

    def render_form(self, request, assignment, form, status=200):
        draft = ReportDraft.objects.filter(assignment=assignment).first()
        context = {
            "assignment": assignment,
            "form": form,
            "evidence": assignment.evidence.all(),
            "server_draft": {"data": draft.data, "client_saved_at": draft.client_saved_at} if draft else None,
            "due_hours": assignment.report_due_hours,
            "phone_rules": form.phone_rules(),
            "before_window": timezone.localdate() < assignment.window_start,
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request, pk):
        assignment = self.own_assignment(pk)
        if not assignment.is_open_for_report:
            messages.info(request, _("This visit is %(status)s; its report can no longer be changed.") % {
                "status": assignment.get_status_display().lower()})
            return redirect("home")
        form = VisitReportForm(assignment=assignment, report=self.get_report(assignment))
        return self.render_form(request, assignment, form)

    def post(self, request, pk):
        assignment = self.own_assignment(pk)
        key = request.POST.get("submission_key", "")
        replay = visits.find_replay(key) if key else None
        if replay is not None and replay.assignment_id == assignment.pk:
            return self.done(request, assignment, created=False)
        if not assignment.is_open_for_report and not key:
            message = _("This visit is %(status)s: it takes no new report.") % {
                "status": assignment.get_status_display().lower()}
            if wants_json(request):
                return JsonResponse({"status": "closed", "message": message}, status=409)
            messages.error(request, message)
            return redirect("home")
        form = VisitReportForm(request.POST, assignment=assignment)
        if form.is_valid():
            try:
                _report, created = visits.submit_visit_report(assignment, request.user, form.visit_data(), key)
            except visits.AlreadyClosed as exc:
                if wants_json(request):
                    return JsonResponse({"status": "closed", "message": " ".join(exc.messages)}, status=409)
                messages.error(request, " ".join(exc.messages))
                return redirect("home")
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                return self.done(request, assignment, created)
        if wants_json(request):  # the phone's script (or its outbox) shows these in the summary and inline
            return JsonResponse({"status": "invalid", "errors": form.error_list()}, status=422)
        return self.render_form(request, assignment, form, status=422)

    def done(self, request, assignment, created):
        text = (_("Report sent for %(location)s. A reviewer will check it; you will see the result here.")
                if created else _("This report had already arrived: nothing was sent twice.")) % {
            "location": assignment.location.name}
        messages.success(request, text)
        if wants_json(request):
            return JsonResponse({"status": "submitted", "created": created, "redirect": reverse("home")})
        return redirect("home")


# A phone's clock in milliseconds, as JavaScript's Date.now() gives it: up to its largest exact integer.
DRAFT_STAMP_MAX = 2**53 - 1


class DraftView(ShopperMixin, View):
    """The server copy of a report being typed. The newer copy wins, by the phone's own clock."""

    http_method_names = ["get", "post"]

    def get(self, request, pk):
        assignment = self.own_assignment(pk)
        draft = ReportDraft.objects.filter(assignment=assignment).first()
        if draft is None:
            return JsonResponse({"data": None, "client_saved_at": 0})
        return JsonResponse({"data": draft.data, "client_saved_at": draft.client_saved_at})

    def post(self, request, pk):
        assignment = self.own_assignment(pk)
        if not assignment.is_open_for_report:
            return JsonResponse({"status": "closed"}, status=409)
        try:
            payload = read_json(request.body, max_bytes=200_000)
            data, stamp = payload["data"], read_int(payload["client_saved_at"], 0, DRAFT_STAMP_MAX)
            if not isinstance(data, dict):
                raise ValueError
        except (ValueError, KeyError, TypeError):
            return JsonResponse({"status": "invalid", "message": _("The draft could not be read.")}, status=400)
        draft, _created = ReportDraft.objects.get_or_create(assignment=assignment)
        if stamp >= draft.client_saved_at:
            draft.data, draft.client_saved_at = data, stamp
            draft.save()
        return JsonResponse({"status": "saved", "client_saved_at": draft.client_saved_at,
                             "saved_at": formats.time(draft.saved_at)})


class EvidenceUploadView(ShopperMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        assignment = self.own_assignment(pk)
        if not assignment.is_open_for_report:
            return JsonResponse({"error": _("This visit takes no more evidence.")}, status=409)
        upload = request.FILES.get("file")
        if upload is None:
            return JsonResponse({"error": _("Choose a photo to upload.")}, status=400)
        try:
            item, created = evidence_service.store_evidence(
                assignment, request.user, upload, request.POST.get("kind", "photo"), request.POST.get("client_key"))
        except ValidationError as exc:
            return JsonResponse({"error": " ".join(exc.messages)}, status=400)
        return JsonResponse({"id": item.pk, "url": item.get_absolute_url(), "kind": item.kind,
                             "label": item.get_kind_display(), "created": created,
                             "delete_url": reverse("evidence-delete", args=[item.pk])}, status=201 if created else 200)


class EvidenceDeleteView(ShopperMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        item = get_object_or_404(Evidence, pk=pk, uploaded_by=request.user, assignment__shopper=self.shopper)
        if not item.assignment.is_open_for_report:
            raise PermissionDenied
        assignment_pk = item.assignment_id
        item.file.delete(save=False)
        item.delete()
        if wants_json(request):
            return JsonResponse({"status": "deleted"})
        messages.success(request, _("Photo removed."))
        return redirect("visit-report", assignment_pk)


class EvidenceFileView(LoginRequiredMixin, View):
    """Evidence is private: its uploader and QA staff may see it, through this view only."""

    http_method_names = ["get"]

    def get(self, request, pk):
        item = get_object_or_404(Evidence, pk=pk)
        if item.uploaded_by_id != request.user.pk and not roles.is_qa_staff(request.user):
            raise Http404
        try:
            response = files.file_response(item.file, "image/jpeg")
        except FileNotFoundError:
            return missing_file(request, item, _("photo"))
        response["Cache-Control"] = "private, max-age=3600"
        response["X-Content-Type-Options"] = "nosniff"
        return response
