"""Employees acknowledge and dispute their evaluations; reviewers decide disputes."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin, PermissionRequiredMixin
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from qa import disputes, roles
from qa.models import Answer, Dispute
from qa.views import get_evaluation_for_user


class AcknowledgeView(LoginRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        evaluation = get_evaluation_for_user(request.user, pk)
        disputes.acknowledge(evaluation, request.user)
        messages.success(request, _("Thank you: you have acknowledged this evaluation."))
        return redirect(evaluation.get_absolute_url())


class DisputeCreateView(LoginRequiredMixin, View):
    template_name = "qa/dispute_form.html"

    def setup_evaluation(self, request, pk):
        evaluation = get_evaluation_for_user(request.user, pk)
        if not (disputes.is_employee_of(request.user, evaluation) or disputes.manages(request.user, evaluation)):
            raise PermissionDenied(_("Only the employee evaluated, or their manager, can dispute an evaluation."))
        return evaluation

    def answers(self, evaluation):
        return list(Answer.objects.filter(evaluation=evaluation, score__isnull=False).select_related("item__section"))

    def get(self, request, pk):
        evaluation = self.setup_evaluation(request, pk)
        refusal = disputes.dispute_refusal(request.user, evaluation)
        if refusal:
            messages.error(request, refusal)
            return redirect(evaluation.get_absolute_url())
        return render(request, self.template_name, {"evaluation": evaluation, "answers": self.answers(evaluation)})

    def post(self, request, pk):
        evaluation = self.setup_evaluation(request, pk)
        answers = self.answers(evaluation)
        reasons = {a.pk: request.POST.get(f"reason_{a.pk}", "") for a in answers}
        try:
            disputes.raise_dispute(evaluation, request.user, reasons)
        except PermissionDenied as exc:
            messages.error(request, str(exc))
            return redirect(evaluation.get_absolute_url())
        except ValidationError as exc:
            return render(request, self.template_name, {"evaluation": evaluation, "answers": answers,
                                                        "reasons": reasons, "error": " ".join(exc.messages)},
                          status=422)
        messages.success(request, _("Dispute sent. A reviewer who did not score this evaluation will decide it."))
        return redirect(evaluation.get_absolute_url())


class DisputeListView(PermissionRequiredMixin, ListView):
    permission_required = roles.CHANGE_EVALUATION
    template_name = "qa/dispute_list.html"
    context_object_name = "disputes"
    paginate_by = 25

    def get_queryset(self):
        return Dispute.objects.filter(status=Dispute.Status.OPEN).select_related(
            "evaluation__location", "evaluation__employee", "evaluation__version__scorecard")


class DisputeDecideView(PermissionRequiredMixin, View):
    permission_required = roles.CHANGE_EVALUATION
    template_name = "qa/dispute_decide.html"

    def get_dispute(self, pk):
        return get_object_or_404(Dispute.objects.select_related(
            "evaluation__location", "evaluation__employee", "evaluation__version__scorecard"), pk=pk)

    def context(self, dispute, posted=None, errors=None):
        """Each disputed item with what was typed for it and its errors, so a refused
        decision shows everything as the reviewer left it, and a summary links to each error."""
        posted, errors = posted or {}, errors or {}
        rows, summary = [], []
        for item in dispute.items.select_related("answer__item"):
            row_errors = {field: errors[f"{field}_{item.pk}"][0]
                          for field in ("decision", "value", "reason") if f"{field}_{item.pk}" in errors}
            rows.append({"item": item, "errors": row_errors,
                         "decision": posted.get(f"decision_{item.pk}", ""),
                         "value": posted.get(f"value_{item.pk}", ""),
                         "na": bool(posted.get(f"na_{item.pk}")),
                         "reason": posted.get(f"reason_{item.pk}", "")})
            for field, message in row_errors.items():
                anchor = {"decision": "up", "value": "value", "reason": "reason"}[field]
                summary.append({"anchor": f"{anchor}_{item.pk}", "question": item.answer.item.question,
                                "message": message})
        return {"dispute": dispute, "evaluation": dispute.evaluation, "rows": rows, "error_summary": summary,
                "refusal": disputes.decision_refusal(self.request.user, dispute)}

    def get(self, request, pk):
        return render(request, self.template_name, self.context(self.get_dispute(pk)))

    def post(self, request, pk):
        dispute = self.get_dispute(pk)
        refusal = disputes.decision_refusal(request.user, dispute)
        if refusal:
            raise PermissionDenied(refusal)
        decisions = {
            item.pk: (request.POST.get(f"decision_{item.pk}", ""), request.POST.get(f"value_{item.pk}", "").strip(),
                      bool(request.POST.get(f"na_{item.pk}")), request.POST.get(f"reason_{item.pk}", ""))
            for item in dispute.items.all()
        }
        try:
            disputes.decide(dispute, request.user, decisions)
        except ValidationError as exc:
            return render(request, self.template_name,
                          self.context(dispute, posted=request.POST, errors=exc.message_dict), status=422)
        dispute.refresh_from_db()
        messages.success(request, _("Dispute decided. The score is now %(score)s%%.") % {"score": dispute.score_after})
        return redirect("dispute-list")
