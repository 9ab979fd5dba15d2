"""Filters for evaluation lists. Choice lists are scoped to what the user may see."""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qa import formats, scoping
from qa.models import Evaluation
from scorecards.models import Channel, Scorecard


def day_start(day):
    """Midnight at the start of `day` in the user's time zone, as an aware datetime.

    Comparing the stored time with this uses the index; `__date` lookups would make
    SQLite convert every row's time zone in Python, on every query.
    """
    return timezone.make_aware(datetime.combine(day, time.min))


# Filter days are kept well inside what a datetime can hold in every time zone: the day after
# 9999-12-31, or midnight of 0001-01-01 in Tokyo (still year 0 in UTC), cannot be represented.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2999, 12, 31)


class DayField(forms.DateField):
    """A day to filter by, refused with a message when it is too far away to mean anything."""

    widget = forms.DateInput(attrs={"type": "date", "min": FIRST_DAY.isoformat(), "max": LAST_DAY.isoformat()})

    def validate(self, value):
        super().validate(value)
        if value is not None and not FIRST_DAY <= value <= LAST_DAY:
            raise ValidationError(_("Enter a date between %(first)s and %(last)s."), code="out_of_range",
                                  params={"first": FIRST_DAY.year, "last": LAST_DAY.year})


class DayFilter(django_filters.DateFilter):
    field_class = DayField


ALL = _("All")  # a choice left empty filters nothing: it says so, not "---------"


def forget_built_fields(filterset):
    """Let a filter set's per-person choices (querysets, choices, labels) take effect.

    A django-filter Filter keeps the form field it built once (`_field`), and each filter set's copies of the
    class-level filters carry it along: once anything has built the class-level fields (the API schema does),
    every later change to a copy's queryset or choices would be ignored, and a manager would be offered every
    region's places. Called first in the __init__ of every filter set that narrows its choices per person."""
    for one in filterset.filters.values():
        one.__dict__.pop("_field", None)


class DayRangeForm(forms.Form):
    """The filter form of every evaluation list, report and API list: a range whose first day comes after
    its last would find nothing and look like an empty period, so it is refused on the "To" field."""

    def clean(self):
        cleaned = super().clean()
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and first > last:
            self.add_error("date_to", ValidationError(
                _("The last day (%(last)s) comes before the first (%(first)s): swap them or change one."),
                code="reversed", params={"first": formats.date(first), "last": formats.date(last)}))
        return cleaned


class EvaluationFilter(django_filters.FilterSet):
    date_from = DayFilter(method="from_day", label=_("From"))
    date_to = DayFilter(method="to_day", label=_("To"))
    location = django_filters.ModelChoiceFilter(queryset=None, label=_("Location"), empty_label=ALL)
    employee = django_filters.ModelChoiceFilter(queryset=None, label=_("Employee"), empty_label=ALL)
    scorecard = django_filters.ModelChoiceFilter(
        field_name="version__scorecard", queryset=Scorecard.objects.all(), label=_("Scorecard"),
        empty_label=ALL,
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"), empty_label=ALL)
    source = django_filters.ChoiceFilter(choices=Evaluation.Source.choices, label=_("Source"), empty_label=ALL)
    status = django_filters.ChoiceFilter(choices=Evaluation.Status.choices, label=_("Status"), empty_label=ALL)

    class Meta:
        model = Evaluation
        form = DayRangeForm
        fields = ["date_from", "date_to", "location", "employee", "scorecard", "channel", "source", "status"]

    def from_day(self, queryset, name, value):
        return queryset.filter(interaction_at__gte=day_start(value))

    def to_day(self, queryset, name, value):
        return queryset.filter(interaction_at__lt=day_start(value + timedelta(days=1)))

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        forget_built_fields(self)
        user = request.user
        self.filters["location"].queryset = scoping.locations_for(user).select_related("region")
        self.filters["employee"].queryset = scoping.employees_for(user)
        if not scoping.sees_unreleased(user):
            # Managers and employees see released evaluations only: a status to choose would
            # offer Draft or Returned and find nothing.
            del self.filters["status"]
