"""Mystery-shopping assignments, listed and created by planners (QA staff) through the page's own form
(shops.forms.AssignmentForm) and service (shops.services.create_assignment)."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status
from rest_framework.response import Response

from api.endpoints.base import Problems, ReadViewSet, digit_errors, lookup_pk, service_error
from api.serializers import AssignmentInput, AssignmentSerializer
from qa import roles
from shops import services
from shops.forms import COMMON_FIELDS, AssignmentForm
from shops.models import Assignment, Location


class AssignmentViewSet(mixins.CreateModelMixin, ReadViewSet):
    serializer_class = AssignmentSerializer
    required = {"list": roles.VIEW_ASSIGNMENT, "retrieve": roles.VIEW_ASSIGNMENT, "create": roles.ADD_ASSIGNMENT}

    def get_queryset(self):
        return Assignment.objects.select_related("location", "version", "shopper")

    @extend_schema(request=AssignmentInput, responses={201: AssignmentSerializer})
    def create(self, request, *args, **kwargs):
        problems = Problems()
        refused = digit_errors(AssignmentInput, request.data)
        problems.update(refused)
        data = {name: request.data.get(name) for name in COMMON_FIELDS
                if request.data.get(name) is not None and name not in refused}
        data["location"] = lookup_pk(Location.objects.filter(active=True), "code", request.data.get("location"),
                                     "location", _("No active location has this code."), problems)
        for flag in ("receipt_required", "photo_required"):
            if data.get(flag) is False:
                data.pop(flag)  # a form's unchecked box is an absent field
        data.setdefault("channel", Assignment._meta.get_field("channel").default)
        for name in ("fee", "report_due_hours", "bar_days"):
            data.setdefault(name, Assignment._meta.get_field(name).default)
        form = AssignmentForm(data=data)
        if not form.is_valid():
            problems.update(form.errors)
        problems.raise_any()
        fields = {name: form.cleaned_data[name] for name in ["location"] + COMMON_FIELDS}
        try:
            assignment = services.create_assignment(created_by=request.user, **fields)
        except ValidationError as exc:
            raise service_error(exc)
        return Response(self.get_serializer(assignment).data, status=status.HTTP_201_CREATED)
