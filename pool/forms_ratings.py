"""The ratings pages' forms: the shoppers list's filters, barring and lifting a bar, and the conflict list."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.utils.translation import gettext_lazy as _

from shops.models import Location, Region

BAR_REASON_MAX = 1000
UNBAR_NOTE_MAX = 100  # kept as the history's change reason, which holds 100 characters


class ShopperFilterForm(forms.Form):
    q = forms.CharField(label=_("Name or home area"), required=False, max_length=100)
    region = forms.ModelChoiceField(label=_("Home region"), queryset=Region.objects.order_by("name"), required=False,
                                    empty_label=_("Any region"))
    min_rating = forms.TypedChoiceField(
        label=_("Rated at least"), required=False, coerce=Decimal, empty_value=None,
        choices=[("", _("Any rating"))] + [(v, _("%(v)s of 5") % {"v": v}) for v in
                                            ("1", "2", "3", "3.5", "4", "4.5")],
        help_text=_("Shoppers not rated yet are left out when a rating is chosen."))
    barred = forms.ChoiceField(label=_("Barred"), required=False,
                               choices=[("", _("Barred or not")), ("no", _("Not barred")), ("yes", _("Barred"))])
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=[
        ("name", _("Surname (A–Z)")), ("-rating", _("Rating, highest first")), ("rating", _("Rating, lowest first")),
        ("last_visit", _("Last visit, newest first")), ("open", _("Open visits, most first"))])


class BarForm(forms.Form):
    prefix = "bar"
    reason = forms.CharField(label=_("Why is this shopper barred?"), max_length=BAR_REASON_MAX,
                             widget=forms.Textarea(attrs={"rows": 3}), error_messages={
                                 "required": _("Say why the shopper is barred: they and other planners will read "
                                               "it.")},
                             help_text=_("Shown to planners when the shopper is refused a visit, and kept in the "
                                         "history."))

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # the server's summary says what is missing, in our words
        self.helper.form_action = action
        self.helper.add_input(Submit("bar", _("Bar from new visits"), css_class="btn-danger"))

    def clean_reason(self):
        reason = self.cleaned_data["reason"].strip()
        if not reason:
            raise forms.ValidationError(_("Say why the shopper is barred: they and other planners will read it."))
        return reason


class UnbarForm(forms.Form):
    prefix = "unbar"
    reason = forms.CharField(label=_("Note (optional)"), max_length=UNBAR_NOTE_MAX, required=False,
                             help_text=_("Why the bar is lifted, kept in the history."))

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # the server's summary says what is missing, in our words
        self.helper.form_action = action
        self.helper.add_input(Submit("unbar", _("Lift the bar"), css_class="btn-success"))


class LocationChoice(forms.ModelChoiceField):
    def label_from_instance(self, location):
        return str(location)  # its name and code, as everywhere


class ConflictForm(forms.Form):
    prefix = "conflict"
    location = LocationChoice(label=_("Location"), queryset=Location.objects.filter(active=True).order_by("name"),
                              error_messages={"required": _("Choose the location where the shopper is known."),
                                              "invalid_choice": _("Choose a location from the list.")})
    reason = forms.CharField(label=_("How the shopper is known there"), max_length=200,
                             error_messages={"required": _("Say how the shopper is known there.")},
                             help_text=_("E.g. “Her brother works there”."))

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # the server's summary says what is missing, in our words
        self.helper.form_action = action
        self.helper.add_input(Submit("add", _("Add to the conflict list"), css_class="btn-primary"))


class ConflictRemoveForm(forms.Form):
    """The second step of taking a location off a shopper's conflict list."""
    prefix = "remove"
    reason = forms.CharField(label=_("Note (optional)"), max_length=UNBAR_NOTE_MAX, required=False,
                             help_text=_("Why it is removed, kept in the shopper's history."))

    def __init__(self, *args, action=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}  # the server's summary says what is missing, in our words
        self.helper.form_action = action
        self.helper.add_input(Submit("remove", _("Remove from the conflict list"), css_class="btn-danger"))
