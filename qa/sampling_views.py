"""QA leads define, edit and retire sampling rules and draw them for a chosen period;
reviewers work their queue; coverage shows gaps by channel and location."""

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views import View
from django.views.generic import ListView

from qa import roles, sampling
from qa.models import Interaction, ReviewTask, SamplingRule
from shops.models import Location

LONGEST_RANGE_DAYS = 92


class SamplingRuleForm(forms.ModelForm):
    channels = forms.MultipleChoiceField(choices=Interaction.CHANNEL_CHOICES, required=False,
                                         widget=forms.CheckboxSelectMultiple, label=_lazy("Channels"),
                                         help_text=_lazy("None ticked means every channel."))

    class Meta:
        model = SamplingRule
        fields = ["name", "per_employee", "period", "channels", "flagged_share"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["flagged_share"].required = False  # left empty: the whole sample is random

    def clean_flagged_share(self):
        return self.cleaned_data.get("flagged_share") or 0


class PeriodForm(forms.Form):
    """Which days a draw or a coverage covers: this period, the one before, or a range."""

    which = forms.ChoiceField(label=_lazy("Period"), initial="current", required=False,
                              widget=forms.RadioSelect(attrs={"class": "form-check-input"}))
    start = forms.DateField(label=_lazy("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end = forms.DateField(label=_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, rule: SamplingRule, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule = rule
        monthly = rule.period == SamplingRule.Period.MONTH
        self.fields["which"].choices = [
            ("current", _lazy("This month") if monthly else _lazy("This week")),
            ("previous", _lazy("Last month") if monthly else _lazy("Last week")),
            ("range", _lazy("These days:")),
        ]
        self.auto_id = f"id_rule{rule.pk}_%s"

    def clean(self):
        data = super().clean()
        if data.get("which") == "range":
            start, end = data.get("start"), data.get("end")
            if not start:
                self.add_error("start", _("Give the first day of the range."))
            if not end:
                self.add_error("end", _("Give the last day of the range."))
            if start and end and end < start:
                self.add_error("end", _("The last day must not be before the first."))
            elif start and end and (end - start).days >= LONGEST_RANGE_DAYS:
                self.add_error("end", _("Choose at most %(n)s days.") % {"n": LONGEST_RANGE_DAYS})
        return data

    def bounds(self):
        data = self.cleaned_data
        return sampling.chosen_period(self.rule, data.get("which") or "current", timezone.localdate(),
                                      data.get("start"), data.get("end"))


class CoverageFilterForm(PeriodForm):
    channel = forms.ChoiceField(label=_lazy("Channel"), required=False,
                                widget=forms.Select(attrs={"class": "form-select"}))
    location = forms.ModelChoiceField(label=_lazy("Location"), required=False, queryset=Location.objects.none(),
                                      empty_label=_lazy("Every location"),
                                      widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, rule, **kwargs):
        super().__init__(*args, rule=rule, **kwargs)
        self.auto_id = "id_%s"
        labels = dict(Interaction.CHANNEL_CHOICES)
        self.fields["channel"].choices = [("", _("Every channel of the rule"))] + [
            (value, labels[value]) for value in (rule.channels or labels)]
        self.fields["location"].queryset = Location.objects.filter(
            employees__in=sampling.applies_to(rule)).distinct().order_by("name")


def period_text(start, end) -> str:
    return _("%(start)s to %(end)s") % {"start": date_format(start, "j M"), "end": date_format(end, "j M Y")}


def rules_context(form, period_forms=None, editing=None):
    rules = list(SamplingRule.objects.filter(active=True).prefetch_related("draws"))
    period_forms = period_forms or {}
    return {"form": form, "editing": editing,
            "rules": [(rule, period_forms.get(rule.pk) or PeriodForm(rule=rule)) for rule in rules],
            "retired": SamplingRule.objects.filter(active=False)}


class SamplingView(PermissionRequiredMixin, View):
    permission_required = roles.ADD_SAMPLINGRULE

    def render_page(self, request, form, status=200):
        return render(request, "qa/sampling.html", rules_context(form), status=status)

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


class RuleEditView(PermissionRequiredMixin, View):
    """Change a rule's name, count, period or channels; its past draws keep their own record."""

    permission_required = "qa.change_samplingrule"

    def render_page(self, request, rule, form, status=200):
        return render(request, "qa/sampling_rule_form.html", {"rule": rule, "form": form}, status=status)

    def get(self, request, pk):
        rule = get_object_or_404(SamplingRule, pk=pk, active=True)
        return self.render_page(request, rule, SamplingRuleForm(instance=rule))

    def post(self, request, pk):
        rule = get_object_or_404(SamplingRule, pk=pk, active=True)
        form = SamplingRuleForm(request.POST, instance=rule)
        if not form.is_valid():
            return self.render_page(request, rule, form, status=422)
        form.save()
        messages.success(request, _("Sampling rule “%(name)s” changed. Draws already made keep what they picked.") % {
            "name": rule.name})
        return redirect("sampling")


class RuleRetireView(PermissionRequiredMixin, View):
    """Retire (never delete) a rule: its draws and their seeds stay on record."""

    permission_required = "qa.change_samplingrule"
    http_method_names = ["post"]

    def post(self, request, pk):
        rule = get_object_or_404(SamplingRule, pk=pk)
        rule.active = request.POST.get("active") == "1"
        rule.save(update_fields=["active"])
        if rule.active:
            messages.success(request, _("Sampling rule “%(name)s” is in use again.") % {"name": rule.name})
        else:
            messages.success(request, _("Sampling rule “%(name)s” retired: it is no longer drawn; its draws stay on "
                                        "record.") % {"name": rule.name})
        return redirect("sampling")


class DrawView(PermissionRequiredMixin, View):
    permission_required = roles.ADD_SAMPLINGRULE
    http_method_names = ["post"]

    def post(self, request, pk):
        rule = get_object_or_404(SamplingRule, pk=pk, active=True)
        period = PeriodForm(request.POST, rule=rule)
        if not period.is_valid():
            return render(request, "qa/sampling.html", rules_context(SamplingRuleForm(), {rule.pk: period}),
                          status=422)
        start, end = period.bounds()
        record = sampling.draw(rule, start, request.user, end=end)
        text = _("%(n)s interactions drawn for %(period)s (seed %(seed)s), shared among the reviewers' queues.") % {
            "n": record.picked, "period": period_text(record.period_start, record.period_end), "seed": record.seed}
        if record.flagged_share:
            text += " " + _("%(f)s of them were taken for the %(share)s%% share of spotlighted interactions.") % {
                "f": record.flagged_picked, "share": record.flagged_share}
        messages.success(request, text)
        return redirect("sampling")


class CoverageView(PermissionRequiredMixin, View):
    permission_required = roles.VIEW_SAMPLINGRULE

    def get(self, request, pk):
        rule = get_object_or_404(SamplingRule, pk=pk)
        form = CoverageFilterForm(request.GET or None, rule=rule)
        valid = form.is_valid() if form.is_bound else False
        if form.is_bound and not valid:
            start, end = sampling.period_bounds(rule.period, timezone.localdate())
            channel, location, status = "", None, 400
        else:
            start, end = form.bounds() if valid else sampling.period_bounds(rule.period, timezone.localdate())
            channel = form.cleaned_data.get("channel", "") if valid else ""
            location = form.cleaned_data.get("location") if valid else None
            status = 200
        rows = sampling.coverage(rule, start, end=end, channel=channel, location=location)
        return render(request, "qa/coverage.html", {
            "rule": rule, "rows": rows, "form": form, "period": period_text(start, end),
            "below": sum(1 for r in rows if r["below"]), "filtered": bool(channel or location)}, status=status)


class MyQueueView(PermissionRequiredMixin, ListView):
    permission_required = roles.CHANGE_EVALUATION
    template_name = "qa/my_queue.html"
    context_object_name = "tasks"
    paginate_by = 25

    def get_queryset(self):
        return ReviewTask.objects.filter(reviewer=self.request.user, status=ReviewTask.Status.OPEN).select_related(
            "interaction__location", "interaction__employee")
