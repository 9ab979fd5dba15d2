from datetime import timedelta

from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qa.visit_forms import LOCAL_FORMAT


class CorrectionForm(forms.Form):
    value = forms.CharField(label=_("Correct answer"), required=False, max_length=500)
    na = forms.BooleanField(label=_("Not applicable"), required=False)
    reason = forms.CharField(label=_("Why"), widget=forms.Textarea(attrs={"rows": 2}))


class ReturnForm(forms.Form):
    note = forms.CharField(label=_("What should the shopper change?"), widget=forms.Textarea(attrs={"rows": 3}))
    deadline = forms.DateTimeField(
        label=_("Revise by"), input_formats=[LOCAL_FORMAT],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=LOCAL_FORMAT),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["deadline"].initial = (timezone.localtime() + timedelta(days=settings.REVISION_DAYS)).replace(
            second=0, microsecond=0)

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline <= timezone.now():
            raise forms.ValidationError(_("The deadline must be in the future."))
        return deadline


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Why is this report rejected?"), widget=forms.Textarea(attrs={"rows": 2}))
