"""The form behind "Subscribe": when, how and (for administrators) to whom a report is e-mailed."""

from django import forms
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from qa import roles
from qa.models import User
from reports.exporters import get_exporter
from reports.models import Subscription
from reports.subscriptions import READERS


def report_readers():
    """Everyone who may be sent a report: active people with a role that reads reports."""
    return (User.objects.filter(is_active=True).filter(Q(groups__name__in=READERS) | Q(is_superuser=True))
            .distinct().order_by("first_name", "last_name", "username"))


class RecipientField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        name = user.get_full_name() or user.username
        return f"{name} ({user.email})" if user.email else _("%(name)s (no e-mail address)") % {"name": name}


class DayOfMonthField(forms.IntegerField):
    """Plain digits only: int() would read "٣" as 3, and a day typed in another script is a mistake to show."""

    def to_python(self, value):
        if isinstance(value, str) and value.strip() and not (value.strip().isascii() and value.strip().isdigit()):
            raise forms.ValidationError(_("Enter the day of the month as a whole number from 1 to 31."), code="invalid")
        return super().to_python(value)


class SubscriptionForm(forms.ModelForm):
    user = RecipientField(queryset=User.objects.none(), label=_("Recipient"),
                          help_text=_("Administrators may send a report to someone else; it is built as they see it."))

    class Meta:
        model = Subscription
        fields = ["user", "file_format", "frequency", "weekday", "day_of_month", "dates", "delivery"]
        widgets = {
            "file_format": forms.RadioSelect, "frequency": forms.RadioSelect, "dates": forms.RadioSelect,
            "delivery": forms.RadioSelect,
            "day_of_month": forms.NumberInput(attrs={"min": 1, "max": 31, "inputmode": "numeric"}),
        }
        field_classes = {"day_of_month": DayOfMonthField}
        help_texts = {"weekday": _("For weekly reports."),
                      "day_of_month": _("For monthly reports: 1 to 31; in shorter months, the month's last day.")}

    def __init__(self, *args, viewer, report=None, object_id=None, filters=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.viewer, self.report, self.object_id, self.filters = viewer, report, object_id, filters or {}
        if roles.has_role(viewer, roles.ADMINISTRATOR) and not self.instance.pk:
            self.fields["user"].queryset = report_readers()
            self.fields["user"].initial = viewer.pk
        else:
            del self.fields["user"]
        self.fields["day_of_month"].widget.attrs.update(min=1, max=31)
        self.fields["day_of_month"].error_messages.update(
            invalid=_("Enter the day of the month as a whole number from 1 to 31."))

    def clean_day_of_month(self):
        day = self.cleaned_data.get("day_of_month")
        if day is not None and not 1 <= day <= 31:
            raise forms.ValidationError(_("Enter a day of the month from 1 to 31."))
        return day

    def clean(self):
        cleaned = super().clean()
        saved = self.instance.filters if self.instance.pk else self.filters
        if cleaned.get("dates") == Subscription.Dates.SAVED and not (saved.get("date_from") or saved.get("date_to")):
            self.add_error("dates", _("No dates were saved with the filters. Choose “The week or month just ended”, "
                                      "or set the dates on the report page and subscribe from there."))
        recipient = cleaned.get("user") if "user" in self.fields else (self.instance.user if self.instance.pk else self.viewer)
        if recipient is None or self.instance.pk:
            return cleaned
        if not roles.has_role(recipient, *READERS):
            self.add_error("user", _("This person may not read reports."))
            return cleaned
        exporter = get_exporter(self.report, recipient, self.filters, self.object_id)
        try:
            exporter.scope()
        except Http404:
            self.add_error("user" if "user" in self.fields else None,
                           _("This report is outside what %(name)s may see, so it cannot be sent to them.")
                           % {"name": recipient.get_full_name() or recipient.username})
            return cleaned
        for label, message in exporter.filter_errors():
            self.add_error(None, f"{label}: {message}")
        return cleaned
