"""The visit report form: built from the assignment's scorecard version, section
by section, with the scorer's guidance beside each item. Validation runs the
same rules as submission (qa.visits.check_visit) so every error lands inline,
next to its field, and nothing typed is lost."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qa import visits
from qa.answer_fields import AnswerFieldsMixin
from qa.forms import add_service_errors
from scorecards.services import load_structure, spec_for

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def local_input(label):
    return forms.DateTimeField(
        label=label, input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT),
    )


class VisitReportForm(AnswerFieldsMixin, forms.Form):
    arrived_at = local_input(_("Arrival"))
    departed_at = local_input(_("Departure"))
    employee = forms.ModelChoiceField(queryset=None, required=False, label=_("Employee who served you"),
                                      empty_label=_("Not listed / I don't know"))
    employee_description = forms.CharField(
        required=False, label=_("Or describe them"), widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Name badge, appearance, where they were standing."),
    )
    narrative = forms.CharField(label=_("Your visit in your own words"), widget=forms.Textarea(attrs={"rows": 5}),
                                required=False)
    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6)
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput, max_digits=9, decimal_places=6)
    accuracy = forms.FloatField(required=False, widget=forms.HiddenInput, min_value=0)
    submission_key = forms.CharField(required=False, widget=forms.HiddenInput, max_length=64)

    def __init__(self, *args, assignment, report=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.assignment = assignment
        self.sections = load_structure(assignment.version)
        self.spec = spec_for(assignment.version, self.sections)
        self.fields["employee"].queryset = assignment.location.employees.filter(active=True).order_by("name")
        now = timezone.localtime().replace(second=0, microsecond=0)
        self.fields["arrived_at"].initial = now
        self.fields["departed_at"].initial = now
        layout = [
            Fieldset(_("Your visit"), Div(Div("arrived_at", css_class="col-6"), Div("departed_at", css_class="col-6"),
                                          css_class="row g-2"),
                     HTML('{% include "qa/_checkin.html" %}'),
                     "employee", "employee_description"),
        ]
        for section in self.sections:
            blocks = []
            for item in section.items.all():
                blocks.append(self._add_item_fields(item))
            layout.append(Fieldset(section.name, *blocks, css_class="visit-section"))
        layout.append(Fieldset(_("Your story"), "narrative"))
        layout += ["latitude", "longitude", "accuracy", "submission_key"]
        self.helper = FormHelper()
        self.helper.form_id = "visit-form"
        self.helper.form_tag = False
        self.helper.layout = Layout(*layout)
        if report is not None and not self.is_bound:
            self.initial.update(self.initial_from(report))

    @staticmethod
    def initial_from(report) -> dict:
        initial = {
            "arrived_at": timezone.localtime(report.arrived_at), "departed_at": timezone.localtime(report.departed_at),
            "employee": report.evaluation.employee_id, "employee_description": report.employee_description,
            "narrative": report.narrative,
        }
        initial.update(VisitReportForm.answer_initial(report.evaluation.answers.all()))
        return initial

    def visit_data(self) -> visits.VisitData:
        d = self.cleaned_data
        return visits.VisitData(
            arrived_at=d["arrived_at"], departed_at=d["departed_at"], narrative=d.get("narrative") or "",
            answers=self.answers(), employee=d.get("employee"),
            employee_description=(d.get("employee_description") or "").strip(),
            latitude=d.get("latitude"), longitude=d.get("longitude"), accuracy_m=d.get("accuracy"),
        )

    def clean(self):
        cleaned = super().clean()
        if self.errors or "arrived_at" not in cleaned or "departed_at" not in cleaned:
            return cleaned
        try:
            visits.check_visit(self.assignment, self.visit_data(), self.spec)
        except ValidationError as exc:
            self.add_service_errors(exc)
        return cleaned

    def add_service_errors(self, exc: ValidationError):
        add_service_errors(self, exc)
