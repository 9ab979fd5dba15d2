"""Forms of the conversation on a report: a message, a shopper's appeal, a reviewer's decision on it."""

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from pool.conversation import APPEAL_REASON_MIN, MESSAGE_MAX, appeal_too_short
from pool.models import Appeal


class MessageForm(forms.Form):
    body = forms.CharField(
        label=_("Your message"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Write a message before sending it."),
                        "max_length": _("Keep the message under %(limit_value)d characters (it has %(show_value)d).")},
    )


class AppealForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the rejection wrong?"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 5}),
        help_text=format_lazy(_("Say what the reviewer missed, in at least {n} characters: which photo, answer or "
                                "moment of the visit shows it. Another reviewer reads the report again and "
                                "decides."), n=APPEAL_REASON_MIN),
        error_messages={"required": _("Say why the rejection is wrong."),
                        "max_length": _("Keep the reason under %(limit_value)d characters (it has %(show_value)d).")},
    )

    def clean_reason(self):
        reason = self.cleaned_data["reason"]
        if len(reason) < APPEAL_REASON_MIN:  # the service's rule and words (pool.conversation)
            raise forms.ValidationError(appeal_too_short(len(reason)), code="min_length")
        return reason


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), widget=forms.RadioSelect,
        choices=[(Appeal.Decision.UPHELD, _("Uphold the rejection: the report stays rejected")),
                 (Appeal.Decision.OVERTURNED, _("Overturn it: the report is approved, counts, and its fee is payable"))],
        error_messages={"required": _("Choose to uphold or to overturn the rejection."),
                        "invalid_choice": _("Choose to uphold or to overturn the rejection.")},
    )
    decision_reason = forms.CharField(
        label=_("Reason for the shopper"), max_length=MESSAGE_MAX, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The shopper reads this on their report and in the e-mail."),
        error_messages={"required": _("Give the shopper the reason for the decision.")},
    )


class AppealFilterForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Show"), required=False,
        choices=[(Appeal.Decision.PENDING, _("Waiting for a decision")), (Appeal.Decision.UPHELD, _("Upheld")),
                 (Appeal.Decision.OVERTURNED, _("Overturned")), ("all", _("All"))],
        error_messages={"invalid_choice": _("Choose a group from the list.")},
    )
