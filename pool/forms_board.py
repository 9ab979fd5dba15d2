"""The board's forms: the shopper's profile, the board's filters, an application, a programme, and the planner's
coverage filters and invitations."""

import math
from decimal import Decimal

from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.conf import settings
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from stdnum import bic as stdnum_bic
from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError as NumberError

from pool.models import Programme, ProgrammeScorecard, Qualification, ShopperProfile
from qa.typed_numbers import AsciiNumbers
from reports.rows import FORMULA_START
from scorecards.models import SHOPPING_CHANNELS, Scorecard

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
SIX_PLACES = Decimal("0.000001")


NUMBER_CODES = ("min_value", "max_value", "invalid", "max_digits", "max_decimal_places", "max_whole_digits")


def in_range(field, low, high, message, **codes):
    """Django's generic words ("Ensure this value is greater than or equal to 0.") replaced with the field's own
    ("The fee cannot be negative."): `message` for a value out of range or not a number, `codes` for one case
    said otherwise (min_value=…; digits=… instead of AsciiNumbers' "Type the number with the digits 0 to 9.").
    One minimum and one maximum stay (the form field's, the model's and the database's become one pair), so a
    value is refused once and in these words."""
    field.validators = [v for v in field.validators if not isinstance(v, (MinValueValidator, MaxValueValidator))]
    field.validators += [MinValueValidator(low), MaxValueValidator(high)]
    field.min_value, field.max_value = low, high
    if not field.widget.is_hidden:
        field.widget.attrs.update({"min": low, "max": high})
    field.error_messages.update({code: message for code in NUMBER_CODES}, **codes)
    return field


LATITUDE_RANGE = _("Latitude must be between -90 and 90.")
LONGITUDE_RANGE = _("Longitude must be between -180 and 180.")
LATITUDE_NUMBER = _("Latitude must be a number written with the digits 0 to 9, e.g. 53.7997.")
LONGITUDE_NUMBER = _("Longitude must be a number written with the digits 0 to 9, e.g. -1.5492.")
BOTH_COORDINATES = _("Give both latitude and longitude, or neither.")


def coordinate(label, limit, out_of_range, not_a_number, **kwargs):
    return in_range(forms.DecimalField(label=label, required=False, max_digits=20, **kwargs), -limit, limit,
                    out_of_range, invalid=not_a_number, digits=not_a_number)


class ProfileForm(AsciiNumbers, forms.ModelForm):
    home_latitude = coordinate(_("Home latitude"), 90, LATITUDE_RANGE, LATITUDE_NUMBER,
                               help_text=_("Decimal degrees, e.g. 53.7997."))
    home_longitude = coordinate(_("Home longitude"), 180, LONGITUDE_RANGE, LONGITUDE_NUMBER,
                                help_text=_("Decimal degrees, e.g. -1.5492 (west is negative)."))

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
        in_range(self.fields["travel_km"], 1, 1000, _("Travel distance must be a whole number of km between 1 and "
                                                       "1000."))
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
            self.add_error("home_longitude" if lng is None else "home_latitude", BOTH_COORDINATES)
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


class BoardFilterForm(AsciiNumbers, forms.Form):
    """The board's filters, and the position "Use my current position" sends (lat, lng: hidden, filled by the
    phone). A position not understood is no reason to show nothing: `refuse_position()` takes its problems out of
    the form, each said once, and the board sorts from home."""

    POSITION = {"lat": (90, LATITUDE_RANGE, LATITUDE_NUMBER), "lng": (180, LONGITUDE_RANGE, LONGITUDE_NUMBER)}

    max_km = forms.IntegerField(label=_("Within (km)"), required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)
    min_fee = forms.DecimalField(label=_("Fee at least"), required=False, decimal_places=2)
    # Text, read in clean_lat/clean_lng: a number field would say "Enter a number." of "١٢" or "1e999".
    lat = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "latitude"}))
    lng = forms.CharField(required=False, widget=forms.HiddenInput(attrs={"data-geo": "longitude"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["min_fee"].label = _("Fee at least (%(currency)s)") % {"currency": settings.CURRENCY_SYMBOL}
        self.fields["max_km"].help_text = _("Empty: any distance.")
        in_range(self.fields["max_km"], 1, 1000, _("Give a whole number of km between 1 and 1000, or leave it "
                                                   "empty for any distance."))
        in_range(self.fields["min_fee"], 0, 100000, _("The fee must be an amount between 0 and 100000, e.g. 25.50."),
                 min_value=_("The fee cannot be negative."),
                 max_decimal_places=_("Give the fee with two decimals at most, e.g. 25.50."))

    def _coordinate(self, name):
        """The coordinate in decimal degrees, or None when not sent; refused in its own words when it is not a
        number in ASCII digits (NaN too) or is out of range (a huge number, read as infinity, too)."""
        raw = self.cleaned_data.get(name) or ""
        if not raw:
            return None
        limit, out_of_range, not_a_number = self.POSITION[name]
        if not raw.isascii():
            raise forms.ValidationError(not_a_number)
        try:
            value = float(raw)
        except ValueError:
            raise forms.ValidationError(not_a_number) from None
        if math.isnan(value):
            raise forms.ValidationError(not_a_number)
        if not -limit <= value <= limit:
            raise forms.ValidationError(out_of_range)
        return value

    def clean_lat(self):
        return self._coordinate("lat")

    def clean_lng(self):
        return self._coordinate("lng")

    def clean(self):
        data = super().clean()
        if data.get("date_from") and data.get("date_to") and data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end date is before the start date."))
        if "lat" not in self.errors and "lng" not in self.errors and (data.get("lat") is None) != (
                data.get("lng") is None):
            self.add_error("lat", BOTH_COORDINATES)
        return data

    def refuse_position(self) -> list[str]:
        """The problems with the position sent, each once, taken out of the form (the rest of the filters stand
        or fall alone) and out of its data, so the page's hidden fields and its next "Filter" send none."""
        problems = []
        for name in ("lat", "lng"):
            problems += [error for error in self._errors.pop(name, []) if error not in problems]
        if problems:
            self.data = self.data.copy()
            for name in ("lat", "lng"):
                self.data.pop(name, None)
                self.cleaned_data.pop(name, None)
        return problems

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
        # Each in its own words, and once: the same for 0 and -1 (below the model's 1 and the database's 0).
        in_range(self.fields["lockout_days"], 0, 3650, _("Days between visits must be a whole number between 0 "
                                                         "(repeat visits allowed) and 3650."))
        in_range(self.fields["max_open_visits"], 1, 100, _("Open visits at once must be a whole number between 1 "
                                                           "and 100."))
        in_range(self.fields["min_rating"], 0, 5, _("The minimum rating must be between 0 and 5, with one decimal "
                                                    "at most (e.g. 3.5), or empty for no minimum."))
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
    days = in_range(forms.IntegerField(label=_("Unclaimed, starting within (days)"), required=False), 0, 90,
                    _("Give a whole number of days between 0 and 90."))

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
    # "Offer every visit on this page": the page's visits come back in on_page, so a planner with hundreds of
    # unclaimed visits offers a page in one action instead of ticking each. Ids no longer unclaimed are dropped
    # (another planner may have offered them since), as the service skips them anyway.
    all_on_page = forms.BooleanField(required=False)
    on_page = forms.TypedMultipleChoiceField(coerce=int, required=False)
    only = in_range(forms.IntegerField(required=False), 1, 2**31 - 1,
                    _("This visit is no longer unclaimed: reload the page."))

    def __init__(self, *args, visits, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["visit"].choices = [(pk, pk) for pk in visits]
        self.visits = set(visits)
        # Any visit may have been on the page; those no longer unclaimed are dropped in clean().
        self.fields["on_page"].choices = [(v, v) for v in self.data.getlist("on_page")] \
            if hasattr(self.data, "getlist") else []

    def clean_only(self):
        only = self.cleaned_data.get("only")
        if only is not None and only not in self.visits:
            raise forms.ValidationError(_("This visit is no longer unclaimed: reload the page."))
        return only

    def clean(self):
        data = super().clean()
        if data.get("all_on_page") and not self.errors:
            data["visit"] = [pk for pk in data.get("on_page") or [] if pk in self.visits]
            if not data["visit"]:
                raise forms.ValidationError(_("None of these visits is unclaimed any more: reload the page."))
        if not self.errors and not data.get("only") and not data.get("visit"):
            raise forms.ValidationError(_("Tick the visits to offer, or use a visit's own button."))
        return data

    @property
    def chosen(self):
        return [self.cleaned_data["only"]] if self.cleaned_data.get("only") else self.cleaned_data["visit"]
