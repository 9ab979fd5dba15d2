"""QA leads define sampling rules and draw; reviewers work their queue; coverage shows gaps."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import ListView

from qa import roles, sampling
from qa.models import Interaction, ReviewTask, SamplingRule


class SamplingRuleForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(choices=Interaction.CHANNEL_CHOICES, required=False,
                                         widget=forms.CheckboxSelectMultiple, label=_lazy("Channels"),
                                         help_text=_lazy("None ticked means every channel."))

    class Meta:
        model = SamplingRule
        fields = ["name", "per_employee", "period", "channels"]


class SamplingView(PermissionRequiredMixin, View):
    permission_required = roles.ADD_SAMPLINGRULE

    def render_page(self, request, form, status=200):
        return render(request, "qa/sampling.html", {
            "form": form, "rules": SamplingRule.objects.filter(active=True).prefetch_related("draws"),
        }, status=status)

    def get(self, request):
        return self.render_page(request, SamplingRuleForm())

    def post(self, request):
        form = SamplingRuleForm(request.POST)
        if not form.is_valid():
            return self.render_page(request, form, status=422)
        rule = form.save(commit=False)
        rule.created_by = request.user
        rule.save()
        messages.success(request, _("Sampling rule “%(name)s” saved. Draw it when the period's interactions are in.") % {
            "name": rule.name})
        return redirect("sampling")


class DrawView(PermissionRequiredMixin, View):
    permission_required = roles.ADD_SAMPLINGRULE
    http_method_names = ["post"]

    def post(self, request, pk):
        rule = get_object_or_404(SamplingRule, pk=pk, active=True)
        record = sampling.draw(rule, timezone.localdate(), request.user)
        messages.success(request, _("%(n)s interactions drawn for %(start)s to %(end)s (seed %(seed)s), "
                                    "shared among the reviewers' queues.") % {
            "n": record.picked, "start": record.period_start, "end": record.period_end, "seed": record.seed})
        return redirect("sampling")


class CoverageView(PermissionRequiredMixin, View):
    permission_required = roles.VIEW_SAMPLINGRULE

    def get(self, request, pk):
        rule = get_object_or_404(SamplingRule, pk=pk)
        start, end = sampling.period_bounds(rule.period, timezone.localdate())
        rows = sampling.coverage(rule, timezone.localdate())
        return render(request, "qa/coverage.html", {"rule": rule, "rows": rows, "start": start, "end": end,
                                                    "below": sum(1 for r in rows if r["below"])})


class MyQueueView(PermissionRequiredMixin, ListView):
    permission_required = roles.CHANGE_EVALUATION
    template_name = "qa/my_queue.html"
    context_object_name = "tasks"
    paginate_by = 25

    def get_queryset(self):
        return ReviewTask.objects.filter(reviewer=self.request.user, status=ReviewTask.Status.OPEN).select_related(
            "interaction__location", "interaction__employee")
