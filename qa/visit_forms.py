"""The visit report form: built from the assignment's scorecard version, section
by section, with the scorer's guidance beside each item. Validation runs the
same rules as submission (qa.visits.check_visit) so every error lands inline,
next to its field, and nothing typed is lost."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.html import format_html, strip_tags
from django.utils.translation import gettext_lazy as _

from qa import visits
from qa.answer_fields import AnswerFieldsMixin
from qa.forms import add_service_errors
from scorecards import scoring
from scorecards.services import load_structure, spec_for

LOCAL_FORMAT = "%Y-%m-%dT%H:%M"


def local_input(label, help_text):
    return forms.DateTimeField(
        label=label, input_formats=[LOCAL_FORMAT, "%Y-%m-%d %H:%M"], help_text=help_text,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT),
    )


class VisitReportForm(AnswerFieldsMixin, forms.Form):
    show_policy = False  # policy references are internal: the shopper answers what they saw
    # Arrival is filled on the phone with the time the shopper opens the report (they open it
    # as they walk in); departure stays empty until they set it: a report is often written
    # after leaving, so "now" at sending time would invent a visit hours long.
    arrived_at = local_input(_("Arrival"), _("Set to when you opened this report; change it if you arrived earlier."))
    departed_at = local_input(_("Departure"), _("Tap “Now” as you leave, or type the time you left."))
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
        # Checked by check_visit (with its own words), not by the field, yet required: marked as such.
        self.fields["employee"].help_text = _("Required: choose the employee, or describe them below (one of these two).")
        for name in ("employee", "employee_description", "narrative"):
            self.fields[name].label = format_html('{}<span class="asteriskField">*</span>', self.fields[name].label)
        if report is not None:  # a revision: arrival is what was sent, not when this page was opened
            self.fields["arrived_at"].help_text = _("The arrival time you sent; change it if it was wrong.")
        layout = [
            Fieldset(_("Your visit"), Div(Div("arrived_at", css_class="col-12 col-sm-6"),
                                          Div("departed_at", css_class="col-12 col-sm-6"), css_class="row g-2"),
                     HTML('{% include "qa/_checkin.html" %}'),
                     "employee", "employee_description", css_class="visit-step"),
        ]
        self._item_position, self._questions = {}, {}
        for section in self.sections:
            blocks = []
            for item in section.items.all():
                self._item_position[item.pk] = len(self._item_position)
                self._questions[item.pk] = item.question
                blocks.append(self._add_item_fields(item))
            layout.append(Fieldset(section.name, *blocks, css_class="visit-section visit-step"))
        layout.append(Fieldset(_("Your story"), "narrative", css_class="visit-step"))
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

    def error_list(self) -> list[dict]:
        """Every error as {field, label, message}, in the page's order, for the summary at the top
        (on the page, and as JSON for the phone's script). Non-field errors have no field."""
        order = {name: i for i, name in enumerate(self.layout_order())}
        rows = []
        for name, messages in self.errors.items():
            field = self.fields.get(name)
            label = strip_tags(str(field.label)).strip().rstrip("*") if field is not None and name != "__all__" else ""
            kind, _sep, item_id = name.partition("_")
            if kind in ("item", "comment", "na") and item_id.isdigit():
                question = self._questions[int(item_id)]  # without the "Critical" badge
                label = question if kind == "item" else f"{field.label}: {question}"
            for message in messages:
                rows.append({"field": "" if name == "__all__" else name, "label": label, "message": str(message),
                             "order": order.get(name, -1)})
        rows.sort(key=lambda row: row.pop("order"))
        return rows

    def layout_order(self) -> list[str]:
        """Field names as the page shows them: the visit, each section's items, then the story."""
        items = [name for name in self.fields if name.split("_")[0] in ("item", "na", "comment")]
        items.sort(key=lambda name: (self._item_position[int(name.split("_")[1])], name.split("_")[0] != "item"))
        return ["arrived_at", "departed_at", "employee", "employee_description", *items, "narrative"]

    def phone_rules(self) -> dict:
        """What the phone checks before it sends or queues a report, as data: the same rules as
        this form, check_visit and the scoring engine, with the server's own words, so a report
        refused on the phone and one refused by the server read the same. visit-checks.js
        applies them."""
        words = visits.visit_messages()
        blank = scoring.answer_problems(self.spec, {})
        items = []
        for item in self.spec.items():
            rule = {"id": item.id, "scored": item.is_scored, "na": item.na_allowed, "critical": item.critical,
                    "type": item.answer_type, "blank": blank.get(item.id, "")}
            field = self.fields[f"item_{item.id}"]
            if item.answer_type == scoring.NUMBER:
                rule["bands"] = [[float(limit), float(score)] for limit, score in
                                 scoring.sorted_bands(item.thresholds, item.direction)]
                rule["higher"] = item.direction == scoring.HIGHER_IS_BETTER
                rule["notNumber"] = str(field.error_messages["invalid"])
            elif hasattr(field, "choices"):
                rule["failing"] = [value for value, _label in field.choices
                                   if scoring.item_score(item, scoring.AnswerInput(value=value)) == 0]
            items.append(rule)
        date_field = self.fields["arrived_at"]
        return {
            "required": str(date_field.error_messages["required"]), "invalidTime": str(date_field.error_messages["invalid"]),
            "arrivalSlackMinutes": visits.ARRIVAL_SLACK.total_seconds() / 60,
            "messages": words, "items": items,
            # Evidence uploads apart from the report (keyed by client_key); the phone counts what
            # the page lists as uploaded and what it keeps waiting to upload.
            # Outside the window the server takes the report and flags it for the reviewer (a planner
            # may have moved the date with the shopper); the phone asks the shopper to confirm first.
            "window": {"start": self.assignment.window_start.isoformat(), "end": self.assignment.window_end.isoformat(),
                       "message": visits.outside_window_message(self.assignment)},
            "evidence": {"receipt": self.assignment.receipt_required, "photo": self.assignment.photo_required},
        }
