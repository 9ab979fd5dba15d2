import django_filters
from django.utils.translation import gettext_lazy as _

from shops.models import Assignment, Location, Shopper


class AssignmentFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=Assignment.Status.choices, label=_("Status"))
    location = django_filters.ModelChoiceFilter(queryset=Location.objects.all(), label=_("Location"))
    shopper = django_filters.ModelChoiceFilter(queryset=Shopper.objects.select_related("user"), label=_("Shopper"))

    class Meta:
        model = Assignment
        fields = ["status", "location", "shopper"]
