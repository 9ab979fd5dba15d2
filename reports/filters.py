"""The report filters. They live in the URL, so a filtered dashboard can be bookmarked,
shared and exported with exactly the same figures."""

from datetime import date

import django_filters
from django.utils.translation import gettext_lazy as _

from qa import formats, scoping
from qa.filters import EvaluationFilter
from shops.models import Region

PERIODS = [("month", _("Month")), ("week", _("Week"))]


class ReportFilter(EvaluationFilter):
    region = django_filters.ModelChoiceFilter(field_name="location__region", queryset=None, label=_("Region"))
    period = django_filters.ChoiceFilter(choices=PERIODS, method="keep_all", label=_("Trend by"), empty_label=None)

    class Meta(EvaluationFilter.Meta):
        fields = []  # every filter is declared above or inherited

    def keep_all(self, queryset, name, value):
        """The trend's period shapes the chart, not the rows."""
        return queryset

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        del self.filters["status"]
        user = request.user
        region_ids = scoping.locations_for(user).values("region_id")
        self.filters["region"].queryset = Region.objects.filter(pk__in=region_ids)
        for name in ("region", "location", "employee", "scorecard", "channel", "source"):
            self.filters[name].extra["empty_label"] = _("All")  # an unset filter reads as "All", not dashes

    @property
    def trend_period(self) -> str:
        if not self.is_valid():
            return "month"
        return self.form.cleaned_data.get("period") or "month"

    def describe(self) -> list[tuple[str, str]]:
        """The filters in use, as (label, value) pairs, for exports and their footers."""
        if not self.is_valid():
            return []
        described = []
        for name, value in self.form.cleaned_data.items():
            if value in (None, "") or name == "period":
                continue
            field = self.form.fields[name]
            if isinstance(value, date):
                shown = formats.date(value)  # "1 Jun 2026", as every date is shown
            else:
                shown = dict(field.choices).get(value, value) if hasattr(field, "choices") and not hasattr(value, "pk") else value
            described.append((str(field.label), str(shown)))
        return described
