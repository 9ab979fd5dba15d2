"""Pages every role shares: evaluation lists and details, account settings."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView, UpdateView
from django_filters.views import FilterView

from qa import audit, disputes, extensions, roles, scoping
from qa.filters import EvaluationFilter
from qa.forms import TimeZoneForm
from qa.models import Answer, Evaluation, Recording, VisitReport


def is_shopper(user) -> bool:
    """Shoppers read their reports on their own pages (qa.shopper_views), which never show a
    score: a shopper who saw how a visit scored would be biased on the next one."""
    return roles.primary_role(user) == roles.SHOPPER


def get_evaluation_for_user(user, pk):
    """The one way a view fetches an evaluation: 404 for anything outside the user's reach."""
    return get_object_or_404(
        scoping.evaluations_for(user).select_related(
            "version__scorecard", "employee", "location__region", "evaluator"
        ),
        pk=pk,
    )


class EvaluationListView(LoginRequiredMixin, FilterView):
    filterset_class = EvaluationFilter
    template_name = "qa/evaluation_list.html"
    paginate_by = 25

    def get(self, request, *args, **kwargs):
        if is_shopper(request.user):
            return redirect("shopper-reports")
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        evaluations = scoping.evaluations_for(self.request.user)
        if self.request.GET.get("source") != Evaluation.Source.AUTOMATIC:
            # One automatic evaluation per interaction would bury people's: listed when asked for.
            evaluations = evaluations.exclude(source=Evaluation.Source.AUTOMATIC)
        return disputes.with_standing(evaluations.select_related(
            "version__scorecard", "employee", "location"
        )).order_by("-interaction_at", "-pk")

    def get_filterset_kwargs(self, filterset_class):
        kwargs = super().get_filterset_kwargs(filterset_class)
        kwargs["request"] = self.request
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        context["filtered"] = any(v for k, v in self.request.GET.items() if k != "page")
        context["new_ids"] = set(disputes.unacknowledged(self.request.user).values_list("pk", flat=True))
        return context


class EvaluationDetailView(LoginRequiredMixin, DetailView):
    template_name = "qa/evaluation_detail.html"
    context_object_name = "evaluation"

    def get(self, request, *args, **kwargs):
        if is_shopper(request.user):
            report = get_object_or_404(VisitReport, evaluation=get_evaluation_for_user(request.user, kwargs["pk"]))
            return redirect("shopper-report", report.assignment_id)
        return super().get(request, *args, **kwargs)

    def get_object(self, queryset=None):
        return get_evaluation_for_user(self.request.user, self.kwargs["pk"])

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        evaluation = self.object
        answers = Answer.objects.filter(evaluation=evaluation).select_related("item__section")
        by_section = {}
        for answer in answers:
            by_section.setdefault(answer.item.section_id, []).append(answer)
        sections = []
        for section_score in evaluation.section_scores.select_related("section"):
            sections.append({"score": section_score, "answers": by_section.get(section_score.section_id, [])})
        context["sections"] = sections
        # Shoppers' identities stay secret from the people and stores they evaluate,
        # so the evaluator and the audit trail (which names people) are for QA staff.
        staff = roles.is_qa_staff(self.request.user)
        context["show_evaluator"] = staff
        context["title"] = evaluation.title(with_evaluator=staff)
        context["history"] = audit.evaluation_history(evaluation) if staff else None
        user = self.request.user
        context["disputes"] = evaluation.disputes.select_related("decided_by").prefetch_related("items__answer__item")
        context["can_acknowledge"] = (disputes.is_employee_of(user, evaluation)
                                      and evaluation.status == evaluation.Status.RELEASED)
        context["can_dispute"] = disputes.dispute_refusal(user, evaluation) is None
        # Managers and QA staff see whether the employee has read it; the employee has the button.
        context["show_acknowledgement"] = (evaluation.status == evaluation.Status.RELEASED
                                           and evaluation.employee_id is not None
                                           and not context["can_acknowledge"])
        context["pins"] = list(evaluation.pins.select_related("item"))
        context["recording"] = None
        if evaluation.interaction_id and scoping.interactions_for(user).filter(pk=evaluation.interaction_id).exists():
            context["interaction"] = evaluation.interaction
            context["recording"] = Recording.objects.filter(interaction_id=evaluation.interaction_id).first()
            context["panels"] = extensions.panels_for(self.request, evaluation.interaction, evaluation)
        context["extension_links"] = [link for fn in extensions.evaluation_links for link in fn(user, evaluation)]
        context["can_score"] = (evaluation.status == evaluation.Status.DRAFT and evaluation.interaction_id
                                and user.has_perm(roles.CHANGE_EVALUATION))
        context["evaluation_panels"] = [panel for panel in (fn(self.request, evaluation)
                                                            for fn in extensions.evaluation_panels) if panel]
        return context


class TimeZoneView(LoginRequiredMixin, UpdateView):
    form_class = TimeZoneForm
    template_name = "qa/time_zone.html"
    success_url = reverse_lazy("home")

    def get_object(self, queryset=None):
        return self.request.user

    def form_valid(self, form):
        messages.success(self.request, _("Time zone saved: times now show in %(tz)s.") % {"tz": form.cleaned_data["time_zone"]})
        return super().form_valid(form)
