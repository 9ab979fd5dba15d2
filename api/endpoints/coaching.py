"""Coaching sessions, read: with the employees coached and their confirmations, the coach's confirmation and
the goals. Registered from the api app itself (api sits above coaching). Who may list them is the sessions
page's rule (coaching.views.takes_part: coaches and the coached), which rows they see is
coaching.access.sessions_for; filters: status (upcoming, unconfirmed, confirmed), location, employee."""

import django_filters
from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.endpoints.base import ReadViewSet
from coaching import access, sessions
from coaching.models import Attendance, CoachingSession, Goal
from coaching.views import takes_part
from qa import scoping
from qa.filters import forget_built_fields


class SessionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), method="filter_status",
        choices=[("upcoming", _("Upcoming")), ("unconfirmed", _("Awaiting a confirmation")),
                 ("confirmed", _("Confirmed by both"))])
    location = django_filters.ModelChoiceFilter(queryset=None, label=_("Location"), method="filter_location")
    employee = django_filters.ModelChoiceFilter(queryset=None, label=_("Employee"), method="filter_employee")

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None):
        super().__init__(data, queryset, request=request, prefix=prefix)
        user = getattr(request, "user", None) or AnonymousUser()
        forget_built_fields(self)
        self.filters["location"].queryset = scoping.locations_for(user)
        self.filters["employee"].queryset = scoping.employees_for(user)

    def filter_status(self, queryset, name, value):
        waiting = Q(coach_confirmed_at__isnull=True) | Q(
            pk__in=Attendance.objects.filter(confirmed_at__isnull=True).values("session"))
        if value == "upcoming":
            return queryset.filter(scheduled_at__gte=timezone.now())
        if value == "unconfirmed":
            return queryset.filter(waiting)
        return queryset.exclude(waiting)

    @extend_schema_field(OpenApiTypes.INT)  # a location's id, through the attendances
    def filter_location(self, queryset, name, value):
        return queryset.filter(pk__in=Attendance.objects.filter(employee__location=value).values("session"))

    @extend_schema_field(OpenApiTypes.INT)  # an employee's id, through the attendances
    def filter_employee(self, queryset, name, value):
        return queryset.filter(pk__in=Attendance.objects.filter(employee=value).values("session"))


class AttendanceSerializer(serializers.ModelSerializer):
    employee = serializers.CharField(source="employee.employee_code")
    name = serializers.CharField(source="employee.name")

    class Meta:
        model = Attendance
        fields = ["employee", "name", "confirmed_at", "comment"]


class GoalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Goal
        fields = ["id", "text", "due_on", "done"]


class CoachingSessionSerializer(serializers.ModelSerializer):
    coach = serializers.CharField(source="coach.username")
    status = serializers.SerializerMethodField()
    attendances = AttendanceSerializer(many=True, read_only=True)
    goals = GoalSerializer(many=True, read_only=True)

    class Meta:
        model = CoachingSession
        fields = ["id", "title", "coach", "scheduled_at", "status", "agenda", "notes", "coach_confirmed_at",
                  "attendances", "goals", "created_at"]

    def get_status(self, session) -> str:
        return str(sessions.status_of(session))


class CoachingSessionViewSet(ReadViewSet):
    required = {"*": takes_part}
    serializer_class = CoachingSessionSerializer
    filterset_class = SessionFilter

    def get_queryset(self):
        return access.sessions_for(self.request.user).select_related("coach").prefetch_related(
            Prefetch("attendances", Attendance.objects.select_related("employee")), "goals")
