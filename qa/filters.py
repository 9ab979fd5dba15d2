"""Filters for evaluation lists. Choice lists are scoped to what the user may see."""

from datetime import datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from qa import scoping
from qa.models import Evaluation
from scorecards.models import Channel, Scorecard


def day_start(day):
    """Midnight at the start of `day` in the user's time zone, as an aware datetime.

    Comparing the stored time with this uses the index; `__date` lookups would make
    SQLite convert every row's time zone in Python, on every query.
    """
    return timezone.make_aware(datetime.combine(day, time.min))


class EvaluationFilter(django_filters.FilterSet):
    date_from = django_filters.DateFilter(method="from_day", label=_("From"),
                                          widget=forms.DateInput(attrs={"type": "date"}))
    date_to = django_filters.DateFilter(method="to_day", label=_("To"), widget=forms.DateInput(attrs={"type": "date"}))
    location = django_filters.ModelChoiceFilter(queryset=None, label=_("Location"))
    employee = django_filters.ModelChoiceFilter(queryset=None, label=_("Employee"))
    scorecard = django_filters.ModelChoiceFilter(
        field_name="version__scorecard", queryset=Scorecard.objects.all(), label=_("Scorecard")
    )
    channel = django_filters.ChoiceFilter(choices=Channel.choices, label=_("Channel"))
    source = django_filters.ChoiceFilter(choices=Evaluation.Source.choices, label=_("Source"))
    status = django_filters.ChoiceFilter(choices=Evaluation.Status.choices, label=_("Status"))

    class Meta:
        model = Evaluation
        fields = ["date_from", "date_to", "location", "employee", "scorecard", "channel", "source", "status"]

    def from_day(self, queryset, name, value):
        return queryset.filter(interaction_at__gte=day_start(value))

    def to_day(self, queryset, name, value):
        return queryset.filter(interaction_at__lt=day_start(value + timedelta(days=1)))

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        user = request.user
        self.filters["location"].queryset = scoping.locations_for(user).select_related("region")
        self.filters["employee"].queryset = scoping.employees_for(user)
