"""Interactions: created by a telephony system or helpdesk with the recording or the text, idempotent by
its external id; read by those who see them on the pages (qa.scoping.interactions_for).

Creation goes through the page's own form (qa.interaction_forms.InteractionForm) and recording store
(qa.recordings.store_recording), so an interaction made here is checked, stored and then transcribed and
scored exactly as one made on the page: whatever listens to new interactions and recordings hears it."""

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, status
from rest_framework.response import Response

from api.endpoints.base import Problems, ReadViewSet, digit_errors, lookup_pk, moment_errors, service_error
from api.models import ExternalInteraction
from api.serializers import InteractionInput, InteractionSerializer
from qa import recordings, roles, scoping
from qa.interaction_forms import TIMES, InteractionForm
from qa.models import Evaluation, Interaction
from shops.models import Employee, Location

FORM_FIELDS = ["channel", "occurred_at", "customer_reference", "direction", "complaint_type", "received_at",
               "acknowledged_at", "resolved_at", "followed_up_at", "conversation"]


class InteractionViewSet(mixins.CreateModelMixin, ReadViewSet):
    serializer_class = InteractionSerializer
    query_params = ("source_system", "external_id")  # besides the paging (api.filtering)
    required = {"list": roles.CHANGE_EVALUATION, "retrieve": roles.VIEW_EVALUATION,
                "create": roles.CHANGE_EVALUATION}

    def get_queryset(self):
        """Within the reader's reach; ?source_system=&external_id= finds one by the id another system gave it."""
        queryset = (scoping.interactions_for(self.request.user)
                    .select_related("location", "employee", "recording", "external_ref"))
        params = self.request.query_params
        if self.action == "list" and params.get("external_id"):
            queryset = queryset.filter(external_ref__external_id=params["external_id"][:200],
                                       external_ref__source_system=params.get("source_system", "")[:50])
        return queryset

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["visible_evaluations"] = getattr(self, "_visible", None)
        return context

    def visible_evaluations(self, interactions):
        ids = [i.pk for i in interactions]
        found = {}
        for pk, interaction_id in (scoping.evaluations_for(self.request.user)
                                   .filter(interaction_id__in=ids, status=Evaluation.Status.RELEASED)
                                   .values_list("pk", "interaction_id").order_by("pk")):
            found.setdefault(interaction_id, []).append(pk)
        self._visible = found

    def _list(self):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        self.visible_evaluations(page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        interaction = self.get_object()
        self.visible_evaluations([interaction])
        return Response(self.get_serializer(interaction).data)

    @extend_schema(parameters=[OpenApiParameter("source_system", str, required=False),
                               OpenApiParameter("external_id", str, required=False)])
    def list(self, request, *args, **kwargs):
        return self._list()

    @extend_schema(request={"multipart/form-data": InteractionInput, "application/json": InteractionInput},
                   responses={201: InteractionSerializer, 200: OpenApiResponse(
                       InteractionSerializer, description="Already created with this external id: that one.")})
    def create(self, request, *args, **kwargs):
        data = request.data
        source, external_id = str(data.get("source_system", "")).strip(), str(data.get("external_id", "")).strip()
        problems = Problems()
        for name, value, limit in (("source_system", source, 50), ("external_id", external_id, 200)):
            if not value:
                problems.add(name, _("This field is required."))
            elif len(value) > limit:
                problems.add(name, _("This is too long."))
        if not problems:
            existing = self.existing(source, external_id)
            if existing is not None:
                return existing
        # Every other field is checked too, so that one answer lists all that is wrong.
        refused = digit_errors(InteractionInput, data)
        refused.update({k: v for k, v in moment_errors(data, TIMES).items() if k not in refused})
        problems.update(refused)
        fields = {name: data.get(name) for name in FORM_FIELDS
                  if data.get(name) is not None and name not in refused}
        fields.setdefault("direction", Interaction.Direction.INBOUND)
        fields["location"] = lookup_pk(Location.objects.all(), "code", data.get("location"), "location",
                                       _("No location has this code."), problems)
        fields["employee"] = lookup_pk(Employee.objects.all(), "employee_code", data.get("employee"), "employee",
                                       _("No employee has this code."), problems)
        upload = request.FILES.get("recording")
        form = InteractionForm(data=fields, files={"recording": upload} if upload else {})
        if not form.is_valid():
            problems.update(form.errors)
        problems.raise_any()
        try:
            with transaction.atomic():
                interaction = form.save(commit=False)
                interaction.created_by = request.user
                interaction.save()
                ExternalInteraction.objects.create(source_system=source, external_id=external_id,
                                                   interaction=interaction)
                if upload:
                    recordings.store_recording(interaction, upload, request.user)
        except IntegrityError:  # the same id sent twice at once: the other request made it
            existing = self.existing(source, external_id)
            if existing is not None:
                return existing
            raise
        except recordings.ValidationError as exc:
            raise service_error(exc, "recording")
        interaction = self.get_queryset().get(pk=interaction.pk)
        self.visible_evaluations([interaction])
        return Response(self.get_serializer(interaction).data, status=status.HTTP_201_CREATED)

    def existing(self, source, external_id):
        ref = ExternalInteraction.objects.filter(source_system=source, external_id=external_id).first()
        if ref is None:
            return None
        interaction = self.get_queryset().filter(pk=ref.interaction_id).first()
        if interaction is None:
            raise exceptions.ValidationError({"external_id": [_("This id is already used by an interaction "
                                                                "outside your reach.")]})
        self.visible_evaluations([interaction])
        return Response(self.get_serializer(interaction).data, status=status.HTTP_200_OK)


__all__ = ["InteractionViewSet", "Interaction"]
