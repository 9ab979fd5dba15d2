"""Forms of the coaching pages. Choices always come from qa.scoping: a coach picks only employees and
evaluations they may see."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Fieldset, Layout
from django import forms
from django.forms import inlineformset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coaching.models import CoachingSession, Goal, SessionTemplate
from qa import formats, scoping
from qa.answer_fields import AnswerFieldsMixin
from qa.visit_forms import LOCAL_FORMAT
from scorecards.models import Channel, Scorecard
from scorecards.services import load_structure, spec_for

# Sessions are planned within a few years either side of today; anything else is a typing slip.
YEARS_AROUND = 3


def when_field(label):
    return forms.DateTimeField(label=label, input_formats=[LOCAL_FORMAT],
                               widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT))


def check_when(value):
    now = timezone.now()
    if not now - timedelta(days=365 * YEARS_AROUND) <= value <= now + timedelta(days=365 * YEARS_AROUND):
        raise forms.ValidationError(_("Choose a date within %(n)s years of today.") % {"n": YEARS_AROUND})
    return value


class EvaluationChoice(forms.ModelMultipleChoiceField):
    def label_from_instance(self, evaluation):
        score = "–" if evaluation.overall_score is None else f"{formats.figure(evaluation.overall_score, 0)}%"
        title = evaluation.title(with_evaluator=False)
        parts = [title] if evaluation.employee.name in title else [title, evaluation.employee.name]
        parts.append(score)
        if evaluation.critical_failed:
            parts.append(str(_("critical failure")))
        return " · ".join(parts)


class NewSessionForm(forms.Form):
    template = forms.ModelChoiceField(queryset=SessionTemplate.objects.filter(active=True), required=False,
                                      label=_("Template"), empty_label=_("No template"),
                                      help_text=_("Copies its agenda and suggested goals; edit them afterwards."))
    employees = forms.ModelMultipleChoiceField(
        queryset=None, label=_("Employees coached"), widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("One employee, or several for a team workshop."))
    evaluations = EvaluationChoice(queryset=None, required=False, label=_("Evaluations to discuss"),
                                   widget=forms.CheckboxSelectMultiple,
                                   help_text=_("Their pinned moments play on the session's page."))
    title = forms.CharField(label=_("Title"), max_length=150)
    scheduled_at = when_field(_("Date and time"))
    agenda = forms.CharField(label=_("Agenda"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, user, employee_ids=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["employees"].queryset = scoping.employees_for(user).select_related("location").order_by("name")
        self.fields["evaluations"].queryset = (
            scoping.counted_for(user).filter(employee__in=list(employee_ids)[:50])
            .select_related("employee", "location", "interaction").order_by("-interaction_at", "-pk"))
        if employee_ids:
            # Chosen on the page's first step (the picker above the form): carried, not asked again.
            self.fields["employees"].widget = forms.MultipleHiddenInput()
            self.fields["template"].widget = forms.HiddenInput()
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout("template", "employees", "evaluations", "title", "scheduled_at", "agenda")

    def clean_scheduled_at(self):
        return check_when(self.cleaned_data["scheduled_at"])

    def clean(self):
        data = super().clean()
        employees, template = data.get("employees"), data.get("template")
        if employees and len(employees) > 1 and template is not None and not template.for_team:
            self.add_error("employees", _("“%(t)s” is for one employee; choose one, or a team template.") % {
                "t": template.name})
        if employees is not None:
            ids = {e.pk for e in employees}
            if any(e.employee_id not in ids for e in data.get("evaluations") or ()):
                self.add_error("evaluations", _("Choose evaluations of the employees coached in this session."))
        return data


class SessionForm(forms.ModelForm):
    scheduled_at = when_field(_("Date and time"))

    class Meta:
        model = CoachingSession
        fields = ["title", "scheduled_at", "agenda", "notes"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 4}), "notes": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_scheduled_at(self):
        return check_when(self.cleaned_data["scheduled_at"])


class GoalForm(forms.ModelForm):
    class Meta:
        model = Goal
        fields = ["text", "due_on", "done"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def clean_due_on(self):
        due = self.cleaned_data["due_on"]
        today = timezone.localdate()
        if not today - timedelta(days=365 * YEARS_AROUND) <= due <= today + timedelta(days=365 * YEARS_AROUND):
            raise forms.ValidationError(_("Choose a date within %(n)s years of today.") % {"n": YEARS_AROUND})
        return due


GoalFormSet = inlineformset_factory(CoachingSession, Goal, form=GoalForm, extra=2, can_delete=True, max_num=30,
                                    validate_max=True)


class ConfirmForm(forms.Form):
    comment = forms.CharField(label=_("Your comment (optional)"), required=False, max_length=2000,
                              widget=forms.Textarea(attrs={"rows": 2}))


class TemplateForm(forms.ModelForm):
    class Meta:
        model = SessionTemplate
        fields = ["name", "kind", "for_team", "agenda", "goals", "goal_days", "active"]
        widgets = {"agenda": forms.Textarea(attrs={"rows": 5}), "goals": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False

    def clean_goal_days(self):
        days = self.cleaned_data["goal_days"]
        if days is None or days < 1 or days > 365:
            raise forms.ValidationError(_("Between 1 and 365 days."))
        return days


class SelfAssessmentSettingsForm(forms.Form):
    scorecards = forms.ModelMultipleChoiceField(
        # Calls, e-mails, chats and posts: a store visit is scored by a mystery shopper, not the employee.
        queryset=Scorecard.objects.exclude(channel=Channel.STORE_VISIT).order_by("name"), required=False,
        widget=forms.CheckboxSelectMultiple, label=_("Scorecards employees assess themselves with"))


class SelfAssessmentForm(AnswerFieldsMixin, forms.Form):
    """The scorecard's items with qa's own answer widgets (qa.answer_fields), for the employee."""

    comments = forms.CharField(label=_("Your notes on this interaction"), required=False,
                               widget=forms.Textarea(attrs={"rows": 3}), max_length=5000)

    def __init__(self, *args, version, stored=(), comments="", **kwargs):
        super().__init__(*args, **kwargs)
        self.sections = load_structure(version)
        self.spec = spec_for(version, self.sections)
        layout = []
        for section in self.sections:
            layout.append(Fieldset(section.name, *[self._add_item_fields(item) for item in section.items.all()],
                                   css_class="score-section"))
        layout.append("comments")
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout)
        if not self.is_bound:
            self.initial.update(self.answer_initial(stored))
            self.initial["comments"] = comments
