from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qa import pending as pending_uploads
from qa import visits
from qa.models import Interaction
from qa.visit_forms import LOCAL_FORMAT
from scorecards.models import Channel

TIMES = ["occurred_at", "received_at", "acknowledged_at", "resolved_at", "followed_up_at"]


class InteractionForm(forms.ModelForm):
    recording = forms.FileField(
        label=_("Recording"), required=False,
        help_text=_("WAV, MP3, OGG or M4A. Required for phone calls; checked from the file itself."),
        widget=forms.ClearableFileInput(attrs={"accept": "audio/*"}),
    )

    class Meta:
        model = Interaction
        fields = ["channel", "location", "employee", "occurred_at", "customer_reference", "direction",
                  "complaint_type", "received_at", "acknowledged_at", "resolved_at", "followed_up_at", "conversation"]
        widgets = {name: forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT) for name in TIMES}
        widgets["conversation"] = forms.Textarea(attrs={"rows": 6})

    def __init__(self, *args, pending_recording=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.pending_recording = None
        if pending_recording:
            self.set_pending(pending_recording)
        for name in TIMES:
            self.fields[name].input_formats = [LOCAL_FORMAT]
        self.fields["employee"].queryset = self.fields["employee"].queryset.select_related("location")
        self.helper = FormHelper()
        self.helper.attrs = {"enctype": "multipart/form-data"}
        self.helper.add_input(Submit("submit", _("Save interaction")))

    def set_pending(self, pending: dict) -> None:
        """A recording kept from a failed attempt (qa.recordings.keep_pending) stands in for a new upload."""
        self.pending_recording = pending
        pending_uploads.show_kept(self, "recording", _("Kept from your last attempt: %(name)s (%(seconds)s s). "
                                                       "Choose another file only to replace it.") % pending)

    def clean(self):
        cleaned = super().clean()
        employee, location = cleaned.get("employee"), cleaned.get("location")
        if employee and location and employee.location_id != location.pk:
            self.add_error("employee", _("This employee does not work at the location chosen."))
        channel = cleaned.get("channel")
        has_recording = cleaned.get("recording") or self.pending_recording
        if channel == Channel.PHONE_CALL and not has_recording and not self.instance.pk:
            self.add_error("recording", _("A phone call needs its recording."))
        if channel and channel != Channel.PHONE_CALL and not (cleaned.get("conversation") or "").strip():
            self.add_error("conversation", _("Paste the conversation: emails, chats and social replies are scored on their text."))
        latest = timezone.now() + visits.ARRIVAL_SLACK  # a sender's clock may run a little ahead of ours
        for name in TIMES:
            if cleaned.get(name) and cleaned[name] > latest:
                self.add_error(name, _("This is in the future: enter when it happened."))
        steps = [(name, cleaned.get(name)) for name in TIMES[1:] if cleaned.get(name)]
        for (earlier, a), (later, b) in zip(steps, steps[1:]):
            if b < a:
                self.add_error(later, _("This cannot be before %(earlier)s.") % {
                    "earlier": self.fields[earlier].label.lower()})
        if any(cleaned.get(name) for name in TIMES[1:]) and not cleaned.get("complaint_type"):
            self.add_error("complaint_type", _("Complaint times are given: choose the complaint type."))
        return cleaned
