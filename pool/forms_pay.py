"""The pay pages' forms: making a batch (dates and method), filtering the batches."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from pool.models import PaymentBatch, ShopperProfile
from shops.forms import DATE


EARLIEST, LATEST = date(2000, 1, 1), date(2100, 12, 31)


class BatchForm(forms.Form):
    method = forms.ChoiceField(label=_("Paid by"), choices=ShopperProfile.PaymentMethod.choices,
                               error_messages={"required": _("Choose how the shoppers are paid."),
                                               "invalid_choice": _("Choose bank transfer or PayPal.")})
    date_from = forms.DateField(label=_("Visits approved from"), widget=DATE,
                                error_messages={"required": _("Give the first day of approvals to pay.")})
    date_to = forms.DateField(label=_("Visits approved to"), widget=DATE,
                              help_text=_("Days in your time zone, both included."),
                              error_messages={"required": _("Give the last day of approvals to pay.")})

    # What the preview showed ("visits:method:from:to"), so that making the batch can say when it holds fewer.
    previewed = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)

    def previewed_visits(self):
        """How many visits the preview showed for these very method and dates (None when there was none)."""
        data = self.cleaned_data
        count, _sep, key = (data.get("previewed") or "").partition(":")
        if not count.isascii() or not count.isdigit() or key != self.preview_key(data):
            return None
        return int(count)

    @staticmethod
    def preview_key(data) -> str:
        return f"{data['method']}:{data['date_from']:%Y-%m-%d}:{data['date_to']:%Y-%m-%d}"

    def clean(self):
        data = super().clean()
        for name in ("date_from", "date_to"):
            if data.get(name) and not EARLIEST <= data[name] <= LATEST:
                self.add_error(name, _("Give a day between 2000 and 2100."))
                data.pop(name, None)
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The last day comes before the first day."))
        return data


class BatchFilter(forms.Form):
    status = forms.ChoiceField(label=_("Status"), required=False,
                               choices=[("", _("Any status"))] + list(PaymentBatch.Status.choices))
    method = forms.ChoiceField(label=_("Paid by"), required=False,
                               choices=[("", _("Either method"))] + list(ShopperProfile.PaymentMethod.choices))
