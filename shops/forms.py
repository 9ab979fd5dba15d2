from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from scorecards.models import ScorecardVersion
from shops import eligibility
from shops.models import Assignment, Location, Shopper

COMMON_FIELDS = [
    "version", "shopper", "channel", "window_start", "window_end", "time_of_day", "brief", "fee",
    "report_due_hours", "receipt_required", "photo_required", "bar_days",
]
DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
PLAN_AHEAD = timedelta(days=366)  # visits are planned at most about a year ahead (a typo'd year is caught)


def shopper_label(field):
    """A shopper's choice label: the name, then what other apps note of them (eligibility.notes: the pool's
    rating, so a planner picks with it in view). The notes are read once, when the choices are first drawn."""
    cached = {}

    def label(shopper):
        if "notes" not in cached:
            cached["notes"] = eligibility.notes(field.queryset.values_list("pk", flat=True))
        note = cached["notes"].get(shopper.pk)
        return f"{shopper} · {note}" if note else str(shopper)

    return label


class AssignmentFieldsMixin:
    def setup_common(self, submit_label):
        self.fields["version"].queryset = ScorecardVersion.objects.filter(
            status=ScorecardVersion.Status.PUBLISHED).select_related("scorecard")
        self.fields["version"].label = _("Scorecard")
        self.fields["shopper"].queryset = Shopper.objects.filter(active=True).select_related("user")
        self.fields["shopper"].empty_label = _("Offer to every shopper")
        self.fields["shopper"].label_from_instance = shopper_label(self.fields["shopper"])
        self.fields["window_start"].initial = timezone.localdate()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", submit_label))

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("window_start"), cleaned.get("window_end")
        if start and end and end < start:
            self.add_error("window_end", _("The last day cannot be before the first day."))
        latest = timezone.localdate() + PLAN_AHEAD
        for name in ("window_start", "window_end"):
            if cleaned.get(name) and cleaned[name] > latest and name not in self.errors:
                self.add_error(name, _("Plan visits at most a year ahead: %(day)s at the latest.") % {
                    "day": date_format(latest)})
                break
        return cleaned


class AssignmentForm(AssignmentFieldsMixin, forms.ModelForm):
    class Meta:
        model = Assignment
        fields = ["location"] + COMMON_FIELDS
        widgets = {"window_start": DATE, "window_end": DATE, "brief": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["location"].queryset = Location.objects.filter(active=True).select_related("region")
        self.setup_common(_("Create assignment"))


class BulkAssignmentForm(AssignmentFieldsMixin, forms.ModelForm):
    locations = forms.ModelMultipleChoiceField(
        queryset=Location.objects.none(), widget=forms.CheckboxSelectMultiple, label=_("Locations"),
        help_text=_("One assignment is created for each location ticked."),
    )

    class Meta:
        model = Assignment
        fields = COMMON_FIELDS
        widgets = {"window_start": DATE, "window_end": DATE, "brief": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["locations"].queryset = Location.objects.filter(active=True).select_related("region").order_by(
            "region__name", "name")
        self.order_fields(["locations"] + COMMON_FIELDS)
        self.setup_common(_("Create assignments"))


class CancelForm(forms.Form):
    note = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class AsciiDateField(forms.DateField):
    """A day typed with the digits 0 to 9 only: another script's digits are refused with a message, never read
    as a different day nor dropped."""

    def to_python(self, value):
        if isinstance(value, str) and not value.isascii():
            raise forms.ValidationError(_("Type the date with the digits 0 to 9 (YYYY-MM-DD)."), code="invalid")
        return super().to_python(value)


class PaymentPeriodForm(forms.Form):
    date_from = AsciiDateField(label=_("Approved from"), required=False, widget=DATE,
                               error_messages={"invalid": _("Give the first day as YYYY-MM-DD.")})
    date_to = AsciiDateField(label=_("Approved to"), required=False, widget=DATE,
                             error_messages={"invalid": _("Give the last day as YYYY-MM-DD.")})

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The last day comes before the first day."))
        return data


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Why can you not make this visit?"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The QA team reads this when they plan the visit again."),
        error_messages={"required": _("Say why you cannot make this visit, so the QA team can plan it again.")},
    )


class MarkPaidForm(PaymentPeriodForm):
    """One shopper's unpaid fees in the period shown; the shopper comes from the page's own button."""

    shopper = forms.ModelChoiceField(queryset=Shopper.objects.all(), error_messages={
        "invalid_choice": _("That shopper no longer exists; reload the page and try again."),
        "required": _("Choose a shopper to mark their fees paid.")})
