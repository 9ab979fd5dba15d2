"""Forms of the token and webhook pages."""

from datetime import timedelta

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from api import events, webhooks
from api.models import ApiToken, ServiceAccount, WebhookSubscription
from qa.filters import DayField


class TokenForm(forms.ModelForm):
    expires_on = DayField(label=_("Expires on"), help_text=_("At most a year from today. The token stops working "
                                                             "at the start of this day: midnight in your time "
                                                             "zone, so it last works the day before."))
    owner = forms.ModelChoiceField(queryset=ServiceAccount.objects.none(), required=False,
                                   label=_("For a service account"),
                                   empty_label=_("No: for me"),
                                   help_text=_("Administrators make tokens for service accounts (systems that "
                                               "never sign in)."))

    class Meta:
        model = ApiToken
        fields = ["name", "access"]
        widgets = {"access": forms.RadioSelect}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["expires_on"].widget = forms.DateInput(attrs={"type": "date"})
        self.fields["expires_on"].initial = (timezone.localdate() + timedelta(days=90)).isoformat()
        from qa import roles

        if roles.has_role(user, roles.ADMINISTRATOR):
            self.fields["owner"].queryset = ServiceAccount.objects.select_related("user")
        else:
            del self.fields["owner"]
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Create token")))

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        today = timezone.localdate()
        if day <= today:
            raise forms.ValidationError(_("Choose a day after today."))
        if day > today + timedelta(days=settings.API_TOKEN_MAX_DAYS):
            raise forms.ValidationError(_("A token lasts at most %(days)s days: choose %(last)s or earlier.") % {
                "days": settings.API_TOKEN_MAX_DAYS,
                "last": (today + timedelta(days=settings.API_TOKEN_MAX_DAYS)).strftime("%d %b %Y")})
        return day


class WebhookForm(forms.ModelForm):
    url = forms.URLField(label=_("Address"), max_length=500, assume_scheme="https",
                         help_text=_("An https:// address that accepts POST."))
    events = forms.MultipleChoiceField(label=_("Events"), widget=forms.CheckboxSelectMultiple, choices=[])

    class Meta:
        model = WebhookSubscription
        fields = ["url", "events"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["events"].choices = events.choices()
        self.helper = FormHelper()
        self.helper.add_input(Submit("submit", _("Add webhook")))

    def clean_url(self):
        url = self.cleaned_data["url"]
        try:
            webhooks.check_url(url)
        except forms.ValidationError as exc:
            raise forms.ValidationError(exc.message_dict["url"])
        return url
