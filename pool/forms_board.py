"""The board's forms: the shopper's profile, the board's filters, an application, a programme, and the planner's
coverage filters and invitations."""

from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MinValueValidator
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as NumberError

from pool.models import Programme, ProgrammeScorecard, Qualification, ShopperProfile
from reports.rows import FORMULA_START
from scorecards.models import SHOPPING_CHANNELS, Scorecard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SIX_PLACES = Decimal("0.000001")


class AsciiNumbers:
    """Numbers typed in ASCII digits only: Python reads "٨٠" as 80, which nobody meant to type."""

    def full_clean(self):
        super().full_clean()
        if not self.is_bound:
            return
        for name, field in self.fields.items():
            raw = self.data.get(self.add_prefix(name), "")
            if isinstance(field, (forms.IntegerField, forms.DecimalField, forms.FloatField)) and isinstance(
                    raw, str) and not raw.isascii():
                self._errors.setdefault(name, self.error_class()).append(_("Type the number with the digits 0 to 9."))
                self.cleaned_data.pop(name, None)
                # A number input shows "٣" as empty: a text input shows what was typed, to be corrected.
                widget = field.widget
                if getattr(widget, "input_type", None) == "number":
                    widget.input_type = "text"
                    widget.attrs.setdefault("inputmode", "decimal")


def coordinate(label, limit, **kwargs):
    return forms.DecimalField(label=label, required=False, min_value=-limit, max_value=limit, max_digits=20,
                              **kwargs)


class ProfileForm(AsciiNumbers, forms.ModelForm):
    home_latitude = coordinate(_("Home latitude"), 90, help_text=_("Decimal degrees, e.g. 53.7997."))
    home_longitude = coordinate(_("Home longitude"), 180, help_text=_("Decimal degrees, e.g. -1.5492 (west is "
                                                                         "negative)."))

    class Meta:
        model = ShopperProfile
        fields = ["home_area", "home_latitude", "home_longitude", "travel_km", "payment_method", "paypal_email",
                  "account_name", "iban", "bic"]
        labels = {"travel_km": _("How far you will travel (km)")}
        help_texts = {"iban": _("Spaces are fine, e.g. GB33 BUKB 2020 1555 5555 55."),
                      "bic": _("8 or 11 characters, e.g. BUKBGB22.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment_method"].choices = [("", _("Not chosen yet"))] + list(
            ShopperProfile.PaymentMethod.choices)
        self.fields["home_latitude"].widget.attrs.update({"data-geo": "latitude", "step": "any"})
        self.fields["home_longitude"].widget.attrs.update({"data-geo": "longitude", "step": "any"})
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Save profile")))

    def clean_home_latitude(self):
        value = self.cleaned_data.get("home_latitude")
        return value.quantize(SIX_PLACES) if value is not None else None

    def clean_home_longitude(self):
        value = self.cleaned_data.get("home_longitude")
        return value.quantize(SIX_PLACES) if value is not None else None

    def clean_iban(self):
        value = self.cleaned_data.get("iban", "").strip()
        if not value:
            return ""
        try:
            return stdnum_iban.validate(value)
        except NumberError:
            raise forms.ValidationError(_("This is not a valid IBAN: check it against your bank statement (it "
                                          "starts with the country's two letters, e.g. GB33 BUKB 2020 1555 5555 55)."))

    def clean_bic(self):
        value = self.cleaned_data.get("bic", "").strip()
        if not value:
            return ""
        try:
            return stdnum_bic.validate(value)
        except NumberError:
            raise forms.ValidationError(_("This is not a valid BIC: 8 or 11 letters and digits, e.g. BUKBGB22."))

    def clean(self):
        data = super().clean()
        lat, lng = data.get("home_latitude"), data.get("home_longitude")
        if (lat is None) != (lng is None) and "home_latitude" not in self.errors and "home_longitude" not in self.errors:
            self.add_error("home_longitude" if lng is None else "home_latitude",
                           _("Give both latitude and longitude, or neither."))
        for name in ("paypal_email", "account_name"):
            if (data.get(name) or "").startswith(FORMULA_START) and name not in self.errors:
                self.add_error(name, _("Start with a letter or a digit: a payment file cannot carry “%(sign)s” at "
                                       "the start.") % {"sign": data[name][:1]})
        method = data.get("payment_method")
        if method == ShopperProfile.PaymentMethod.PAYPAL and not data.get("paypal_email") \
                and "paypal_email" not in self.errors:
            self.add_error("paypal_email", _("Give the e-mail address of your PayPal account, to be paid by PayPal."))
        if method == ShopperProfile.PaymentMethod.BANK:
            if not data.get("account_name") and "account_name" not in self.errors:
                self.add_error("account_name", _("Give the name on the bank account, to be paid by bank transfer."))
            if not data.get("iban") and "iban" not in self.errors:
                self.add_error("iban", _("Give your IBAN, to be paid by bank transfer."))
        return data


POSITION_UNREAD = _("The current position was not understood: use the “Use my current position” button again, "
                     "or clear the filters to sort from your home.")
POSITION_ERRORS = {"invalid": POSITION_UNREAD, "min_value": POSITION_UNREAD, "max_value": POSITION_UNREAD}


class BoardFilterForm(AsciiNumbers, forms.Form):
    max_km = forms.IntegerField(label=_("Within (km)"), required=False, min_value=1, max_value=1000)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    min_fee = forms.DecimalField(label=_("Fee at least"), required=False, min_value=0, max_value=100000,
                                 decimal_places=2)
    lat = forms.FloatField(required=False, min_value=-90, max_value=90, error_messages=POSITION_ERRORS,
                          widget=forms.HiddenInput(attrs={"data-geo": "latitude"}))
    lng = forms.FloatField(required=False, min_value=-180, max_value=180, error_messages=POSITION_ERRORS,
                          widget=forms.HiddenInput(attrs={"data-geo": "longitude"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_fee"].label = _("Fee at least (%(currency)s)") % {"currency": settings.CURRENCY_SYMBOL}
        self.fields["max_km"].help_text = _("Empty: any distance.")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        if (data.get("lat") is None) != (data.get("lng") is None) and not self.errors:
            raise forms.ValidationError(POSITION_UNREAD)
        return data

    @property
    def origin(self):
        data = self.cleaned_data
        return (data["lat"], data["lng"]) if data.get("lat") is not None and data.get("lng") is not None else None


class ApplyForm(forms.Form):
    note = forms.CharField(label=_("A note to the planner (optional)"), required=False, max_length=300,
                           widget=forms.Textarea(attrs={"rows": 2, "maxlength": 300}))


class ScorecardChoice(forms.ModelMultipleChoiceField):
    programme = None

    def label_from_instance(self, scorecard):
        link = getattr(scorecard, "programme_link", None)
        if link is not None and link.programme_id != getattr(self.programme, "pk", None):
            return _("%(scorecard)s (in %(programme)s)") % {"scorecard": scorecard.name,
                                                            "programme": link.programme.name}
        return scorecard.name


class ProgrammeForm(AsciiNumbers, forms.ModelForm):
    scorecards = ScorecardChoice(queryset=Scorecard.objects.none(), required=False,
                                 widget=forms.CheckboxSelectMultiple, label=_("Scorecards"),
                                 help_text=_("Visits scored with these scorecards follow this programme's rules. "
                                             "Only store-visit and phone-call scorecards can be in a programme, "
                                             "and each in one programme at most: one marked “in …” is taken by "
                                             "that programme. Adding or taking out a scorecard changes the rules "
                                             "of its open visits and waiting applications as soon as you save: "
                                             "the message after saving says how many."))

    class Meta:
        model = Programme
        fields = ["name", "description", "scorecards", "claim_rule", "lockout_days", "max_open_visits", "min_rating",
                  "required_qualifications", "active"]
        widgets = {"description": forms.Textarea(attrs={"rows": 2}),
                   "required_qualifications": forms.CheckboxSelectMultiple,
                   "claim_rule": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Mystery shoppers' scorecards only: store visits and calls to a location.
        self.fields["scorecards"].queryset = Scorecard.objects.filter(channel__in=SHOPPING_CHANNELS).select_related(
            "programme_link__programme").order_by("name")
        self.fields["scorecards"].programme = self.instance
        # As the model's validator, at least one, and so the form says for 0 and for -1 alike.
        field = self.fields["max_open_visits"]
        field.widget.attrs["min"] = 1
        field.validators = [v for v in field.validators if not isinstance(v, MinValueValidator)] + [
            MinValueValidator(1)]
        if self.instance.pk:
            self.initial.setdefault("scorecards", list(self.instance.scorecards.values_list("pk", flat=True)))
        held = self.instance.required_qualifications.values("pk") if self.instance.pk else []
        self.fields["required_qualifications"].queryset = Qualification.objects.filter(
            Q(active=True) | Q(pk__in=held)).order_by("name")
        self.fields["required_qualifications"].help_text = _(
            "A shopper holds each of these, unexpired, to take this programme's visits.")
        self.helper = FormHelper()
        self.helper.attrs = {"novalidate": ""}
        self.helper.add_input(Submit("submit", _("Save programme")))

    def clean_scorecards(self):
        chosen = self.cleaned_data.get("scorecards") or []
        taken = ProgrammeScorecard.objects.filter(scorecard__in=chosen).select_related("programme", "scorecard")
        if self.instance.pk:
            taken = taken.exclude(programme=self.instance)
        taken = list(taken)
        if taken:
            raise forms.ValidationError([
                _("%(scorecard)s is already in the programme %(programme)s: a scorecard belongs to one programme "
                  "at most. Take it out of that programme first.") % {
                    "scorecard": link.scorecard.name, "programme": link.programme.name}
                for link in taken])
        return chosen

    def clean_required_qualifications(self):
        """A quiz without questions cannot be passed: requiring it would leave the programme's visits to nobody."""
        chosen = self.cleaned_data.get("required_qualifications") or []
        empty = [q.name for q in Qualification.objects.filter(pk__in=[q.pk for q in chosen],
                                                              kind=Qualification.Kind.QUIZ)
                 .exclude(quiz__questions__isnull=False).order_by("name")]
        if empty:
            raise forms.ValidationError([
                _("%(name)s is a quiz with no questions yet: no shopper can pass it, so nobody could take this "
                  "programme's visits. Write its questions first, or leave it out.") % {"name": name}
                for name in empty])
        return chosen

    def _save_m2m(self):
        # `scorecards` goes through ProgrammeScorecard: set here (the view saves inside a transaction).
        super()._save_m2m()
        self.instance.scorecards.set(self.cleaned_data.get("scorecards") or [])


class CoverageForm(AsciiNumbers, forms.Form):
    programme = forms.ModelChoiceField(queryset=Programme.objects.filter(active=True), required=False,
                                       label=_("Programme"), empty_label=_("All visits"))
    date_from = forms.DateField(label=_("Period from"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("Period to"), required=False, widget=DATE)
    days = forms.IntegerField(label=_("Unclaimed, starting within (days)"), required=False, min_value=0,
                              max_value=90)

    def _near(self, name):
        value = self.cleaned_data.get(name)
        today = timezone.localdate()
        if value is not None and abs((value - today).days) > 5 * 366:
            raise forms.ValidationError(_("Choose a date within five years of today."))
        return value

    def clean_date_from(self):
        return self._near("date_from")

    def clean_date_to(self):
        return self._near("date_to")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to"):
            if data["date_to"] < data["date_from"]:
                self.add_error("date_to", _("The end date is before the start date."))
            elif (data["date_to"] - data["date_from"]).days > 366:
                self.add_error("date_to", _("Choose a period of a year at most."))
        return data


class InviteForm(AsciiNumbers, forms.Form):
    """The visits to invite shoppers to: the ticked ones, or the one whose own button was pressed."""

    visit = forms.TypedMultipleChoiceField(coerce=int, required=False)
    only = forms.IntegerField(required=False, min_value=1)

    def __init__(self, *args, visits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].choices = [(pk, pk) for pk in visits]
        self.visits = set(visits)

    def clean_only(self):
        only = self.cleaned_data.get("only")
        if only is not None and only not in self.visits:
            raise forms.ValidationError(_("This visit is no longer unclaimed: reload the page."))
        return only

    def clean(self):
        data = super().clean()
        if not self.errors and not data.get("only") and not data.get("visit"):
            raise forms.ValidationError(_("Tick the visits to offer, or use a visit's own button."))
        return data

    @property
    def chosen(self):
        return [self.cleaned_data["only"]] if self.cleaned_data.get("only") else self.cleaned_data["visit"]
