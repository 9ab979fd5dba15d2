"""Action plans, read: with their corrective actions, status, root cause and follow-up. Registered from the
api app itself (api sits above plans in .importlinter, so plans cannot fill api.router's EXTENSIONS). Who
may list them is the plan pages' rule (reports.views.may_read_reports: shoppers never), which rows they see
is plans.scoping.plans_for, and the filters are the plan list's own (plans.forms.PlanFilter: status,
overdue, region, location, employee, root_cause, origin), except that no status means every status."""

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.endpoints.base import ReadViewSet
from plans import scoping
from plans.forms import PlanFilter
from plans.models import ActionPlan, CorrectiveAction, FollowUp
from qa import scoping as qa_scoping
from qa.models import Evaluation
from reports.views import may_read_reports


class ApiPlanFilter(PlanFilter):
    """PlanFilter with its choices scoped to the token's owner (DjangoFilterBackend passes the request)."""

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix,
                         user=getattr(request, "user", None) or AnonymousUser())

    @extend_schema_field(OpenApiTypes.INT)  # a region's id (ActionPlan has no region field to read it from)
    def filter_region(self, queryset, name, value):
        return super().filter_region(queryset, name, value)


class CorrectiveActionSerializer(serializers.ModelSerializer):
    owner = serializers.CharField(source="owner.username", default=None)
    done_by = serializers.CharField(source="done_by.username", default=None)

    class Meta:
        model = CorrectiveAction
        fields = ["id", "text", "owner", "due_date", "done_at", "done_by", "done_note"]


class FollowUpSerializer(serializers.ModelSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "round", "assignment", "review_task", "interaction", "created_at"]


class ActionPlanSerializer(serializers.ModelSerializer):
    location = serializers.CharField(source="location.code", default=None)
    employee = serializers.CharField(source="employee.employee_code", default=None)
    owner = serializers.CharField(source="owner.username", default=None)
    actions = CorrectiveActionSerializer(many=True, read_only=True)
    follow_ups = FollowUpSerializer(many=True, read_only=True)
    evaluations = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = ActionPlan
        fields = ["id", "title", "status", "origin", "location", "employee", "owner", "observed", "root_cause",
                  "root_cause_text", "evaluations", "actions", "follow_up_kind", "follow_up_count",
                  "follow_up_target", "follow_up_started_at", "verification_round", "follow_ups",
                  "signed_off_at", "acknowledged_at", "escalated", "created_at", "closed_at"]


def plans_read_by(user):
    """The plans `user` reads, ready to serialize: the evaluations listed are only the released ones they may
    open themselves (qa.scoping), as the plan page links them."""
    released = qa_scoping.evaluations_for(user).filter(status=Evaluation.Status.RELEASED)
    return (scoping.plans_for(user).select_related("location", "employee", "owner")
            .prefetch_related("actions__owner", "actions__done_by", "follow_ups",
                              Prefetch("evaluations", released)))


class ActionPlanViewSet(ReadViewSet):
    required = {"*": may_read_reports}
    serializer_class = ActionPlanSerializer
    filterset_class = ApiPlanFilter

    def get_queryset(self):
        return plans_read_by(self.request.user)
