"""Evaluations, released ones only (as people read them on the pages), within the reader's reach
(qa.scoping.evaluations_for, which carries blind calibration's rule), filtered as the evaluation list is
(qa.filters.EvaluationFilter: date_from, date_to, location, employee, scorecard, channel, source), with the
region as the dashboard takes it; `status` may only say released (anything else is refused, not ignored)."""

import copy

import django_filters
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from api.endpoints.base import ReadViewSet
from api.serializers import EvaluationDetailSerializer, EvaluationSerializer
from qa import roles, scoping
from qa.filters import EvaluationFilter
from qa.models import Answer, Evaluation
from scorecards.models import Scorecard, ScorecardVersion, Section
from shops.models import Region


class ReleasedFilter(EvaluationFilter):
    region = django_filters.ModelChoiceFilter(field_name="location__region", queryset=None, label=_("Region"))
    status = django_filters.ChoiceFilter(
        choices=[(Evaluation.Status.RELEASED, Evaluation.Status.RELEASED.label)], method="released_only",
        label=_("Status"), error_messages={"invalid_choice": _(
            "Only released evaluations are listed here: leave status out or send released.")})

    class Meta(EvaluationFilter.Meta):
        fields = []  # every filter is declared above or inherited

    def __init__(self, *args, request=None, **kwargs):
        super().__init__(*args, request=request, **kwargs)
        # EvaluationFilter drops the status for those who see released evaluations only; here every reader
        # has it, so that asking for drafts is refused rather than silently answered with released ones.
        self.filters["status"] = copy.deepcopy(self.base_filters["status"])
        self.filters["status"].model, self.filters["status"].parent = self.queryset.model, self
        region_ids = scoping.locations_for(request.user).values("region_id")
        self.filters["region"].queryset = Region.objects.filter(pk__in=region_ids)

    def released_only(self, queryset, name, value):
        return queryset  # the queryset holds released evaluations only


class EvaluationViewSet(ReadViewSet):
    required = {"*": roles.VIEW_EVALUATION}
    filterset_class = ReleasedFilter

    def get_serializer_class(self):
        return EvaluationDetailSerializer if self.action == "retrieve" else EvaluationSerializer

    def get_queryset(self):
        queryset = (scoping.evaluations_for(self.request.user).filter(status=Evaluation.Status.RELEASED)
                    .select_related("version__scorecard", "location", "employee"))
        if self.action == "retrieve":
            queryset = queryset.prefetch_related(
                "section_scores", Prefetch("answers", Answer.objects.select_related("item__section")))
        return queryset


class ScorecardViewSet(ReadViewSet):
    """Scorecards with every version, its sections and items (drafts included, for those who may read them)."""

    required = {"*": roles.VIEW_SCORECARD}

    def get_serializer_class(self):
        from api.serializers import ScorecardSerializer

        return ScorecardSerializer

    def get_queryset(self):
        return Scorecard.objects.prefetch_related(
            Prefetch("versions", ScorecardVersion.objects.order_by("number").prefetch_related(
                Prefetch("sections", Section.objects.order_by("order", "pk").prefetch_related("items")))))
