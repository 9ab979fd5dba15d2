"""Report validation: before a shopper's visit report counts, a reviewer checks it,
corrects answers (keeping the original), returns it with a note, approves or rejects it.
(Scoring interactions is the other review workflow: qa.scoring_views.)"""

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from qa import extensions, revisions, roles, visits
from qa.forms import add_service_errors
from qa.http import parse_id
from qa.models import Answer, VisitReport
from qa.validation_forms import CorrectionForm, RejectForm, ReturnForm



def get_report(pk) -> VisitReport:
    return get_object_or_404(
        VisitReport.objects.select_related(
            "assignment__location__region", "assignment__shopper__user", "evaluation__version__scorecard",
            "evaluation__employee",
        ),
        pk=pk,
    )


class ValidationQueueView(PermissionRequiredMixin, ListView):
    permission_required = roles.CHANGE_EVALUATION
    template_name = "qa/validation_queue.html"
    context_object_name = "reports"
    paginate_by = 25

    def get_queryset(self):
        return visits.validation_queue()


class ValidationDetailView(PermissionRequiredMixin, View):
    permission_required = roles.CHANGE_EVALUATION
    http_method_names = ["get"]

    def get(self, request, pk):
        return render_validation(request, get_report(pk))


def render_validation(request, report, status=200, **forms):
    answers = list(
        Answer.objects.filter(evaluation=report.evaluation).select_related("item__section")
        .prefetch_related("corrections__by")
    )
    context = {
        "report": report,
        "assignment": report.assignment,
        "evaluation": report.evaluation,
        "answers": answers,
        "evidence": report.assignment.evidence.all(),
        "history": report_history(report.assignment),
        "report_panels": extensions.report_panels_for(request, report.assignment),
        "section_scores": report.evaluation.section_scores.all(),
        "return_form": forms.get("return_form") or ReturnForm(),
        "reject_form": forms.get("reject_form") or RejectForm(),
        "correction_form": forms.get("correction_form"),
        "correction_answer": forms.get("correction_answer"),
        "waiting": report.assignment.status == report.assignment.Status.SUBMITTED,
    }
    return render(request, "qa/validation_detail.html", context, status=status)


def report_history(assignment) -> list[tuple]:
    """(when, text) for each status change of the report, with what apps above add (messages, appeals),
    oldest first."""
    entries = []
    for ev in assignment.events.select_related("by"):
        text = str(ev.get_to_status_display())
        if ev.by:
            text += " · " + (ev.by.get_full_name() or ev.by.username)
        if ev.note:
            text += ": " + ev.note
        entries.append((ev.at, text))
    entries.extend(extensions.report_history_for(assignment))
    return sorted(entries, key=lambda entry: entry[0])


class ValidationActionView(PermissionRequiredMixin, View):
    permission_required = roles.CHANGE_EVALUATION
    http_method_names = ["post"]

    def revision(self):
        """The revision the reviewer's page showed; absent only for clients without it."""
        return parse_id(self.request.POST.get("revision"))

    def conflict(self, report, exc):
        messages.warning(self.request, " ".join(exc.messages))
        return redirect("validation-detail", report.pk)

    def decide_with_form(self, request, report, form, form_name, decide, done_message):
        """Return or reject: the form checked, the decision taken at the page's revision, then the
        queue with a message; a conflict goes back to the report, and anything refused shows on
        the form (status 422) with what was typed."""
        if form.is_valid():
            try:
                decide(report, form.cleaned_data, self.revision())
            except revisions.Conflict as exc:
                return self.conflict(report, exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, done_message)
                return redirect("validation-queue")
        return render_validation(request, report, status=422, **{form_name: form})


class CorrectAnswerView(ValidationActionView):
    def post(self, request, pk, answer_pk):
        report = get_report(pk)
        answer = get_object_or_404(Answer, pk=answer_pk, evaluation=report.evaluation)
        form = CorrectionForm(request.POST)
        if form.is_valid():
            try:
                visits.correct_answer(answer, value=form.cleaned_data["value"].strip(), na=form.cleaned_data["na"],
                                      reason=form.cleaned_data["reason"], by=request.user, revision=self.revision())
            except revisions.Conflict as exc:
                return self.conflict(report, exc)
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Answer corrected; the score is updated and the original is kept."))
                return redirect("validation-detail", report.pk)
        return render_validation(request, report, status=422, correction_form=form, correction_answer=answer)


class ReturnReportView(ValidationActionView):
    def post(self, request, pk):
        return self.decide_with_form(
            request, get_report(pk), ReturnForm(request.POST), "return_form",
            lambda report, data, revision: visits.return_report(
                report, by=request.user, note=data["note"], deadline=data["deadline"], revision=revision),
            _("Returned to the shopper with your note; they have been e-mailed."))


class ApproveReportView(ValidationActionView):
    def post(self, request, pk):
        report = get_report(pk)
        try:
            visits.approve(report, by=request.user, revision=self.revision())
        except revisions.Conflict as exc:
            return self.conflict(report, exc)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("validation-detail", report.pk)
        report.evaluation.refresh_from_db()
        messages.success(request, _("Approved: the report now counts, with a score of %(score)s%%. The fee is payable.") % {
            "score": report.evaluation.overall_score})
        return redirect("validation-queue")


class RejectReportView(ValidationActionView):
    def post(self, request, pk):
        return self.decide_with_form(
            request, get_report(pk), RejectForm(request.POST), "reject_form",
            lambda report, data, revision: visits.reject(
                report, by=request.user, reason=data["reason"], revision=revision),
            _("Rejected. The report will not count and no fee is payable."))
