"""The report filters. They live in the URL, so a filtered dashboard can be bookmarked,
shared and exported with exactly the same figures."""

from datetime import date

import django_filters
from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from qa import formats, roles, scoping
from qa.filters import EvaluationFilter
from qa.models import Evaluation
from shops.models import Region

PERIODS = [("month", _("Month")), ("week", _("Week"))]


class QuickSelect(forms.Select):
    """A <select> written in one pass. Django renders every option through a template of
    its own: for a region's 1,000 employees that is 50-100 ms on every report page, more
    than the figures cost when they come from the cache."""

    def render(self, name, value, attrs=None, renderer=None):
        final = self.build_attrs(self.attrs, attrs)
        final["name"] = name
        chosen = set(self.format_value(value))
        options = []
        for option, label in self.choices:
            option = str(option)
            selected = " selected" if option in chosen else ""
            options.append(f'<option value="{escape(option)}"{selected}>{escape(label)}</option>')
        # Safe: the value and label of every option went through escape(), the attributes through flatatt().
        return mark_safe(f"<select{flatatt(final)}>{''.join(options)}</select>")  # nosec B308 B703


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
        self.filters.pop("status", None)  # reports count released evaluations only
        user = request.user
        region_ids = scoping.locations_for(user).values("region_id")
        self.filters["region"].queryset = Region.objects.filter(pk__in=region_ids)
        if not roles.is_qa_staff(user):
            # Automatic scores are QA staff's to judge (qa.scoping keeps them from everyone else).
            self.filters["source"].extra["choices"] = [
                choice for choice in Evaluation.Source.choices if choice[0] != Evaluation.Source.AUTOMATIC]
        for name in ("region", "location", "employee", "scorecard", "channel", "source"):
            self.filters[name].extra["empty_label"] = _("All")  # an unset filter reads as "All", not dashes
            self.filters[name].extra["widget"] = QuickSelect

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
