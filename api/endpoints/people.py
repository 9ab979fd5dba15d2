"""Locations, employees and mystery shoppers: read within the reader's reach (qa.scoping), and kept in step
by an HR or workforce system with PUT /<kind>/by-external-id/<id>/ (201 when made, 200 when changed).

A row that exists without an external id (made on the admin pages) is adopted by the first upsert naming
its code, so switching an existing installation to an HR feed does not duplicate anyone."""

from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, status
from rest_framework.decorators import action
from rest_framework.response import Response

from api.endpoints.base import Problems, ReadViewSet, digit_errors
from api.serializers import (
    EmployeeInput, EmployeeSerializer, LocationInput, LocationSerializer, ShopperInput, ShopperSerializer,
)
from qa import roles, scoping
from qa.models import User
from shops.models import Employee, Location, Region, Shopper

EXTERNAL_ID = r"[^/]{1,100}"


class UpsertMixin:
    """GET and PUT by external id. Subclasses say how to find a row by its code and how to write it."""

    input_class = None
    code_field = None

    def by_external_id(self, request, external_id=None):
        if request.method == "GET":
            row = self.get_queryset().filter(external_id=external_id).first()
            if row is None:
                raise exceptions.NotFound()
            return Response(self.get_serializer(row).data)
        row = self.model.objects.filter(external_id=external_id).first()
        incoming = self.input_class(data=request.data, context={"row": row})
        problems = Problems()
        problems.update(digit_errors(self.input_class, request.data))
        if not incoming.is_valid():
            problems.update(incoming.errors)
        code = request.data.get(self.code_field) if self.code_field else None
        if code and isinstance(code, str) and self.code_field not in problems:
            other = (self.model.objects.filter(**{self.code_field: code.strip()})
                     .exclude(pk=getattr(row, "pk", None)).first())
            if other is not None and other.external_id:
                problems.add(self.code_field, _("This code belongs to another record (external id %(id)s).") % {
                    "id": other.external_id})
            elif other is not None and row is not None:
                problems.add(self.code_field, _("This code belongs to another record."))
            elif other is not None:
                row = other  # made on the pages without an external id: adopted by its first upsert
        problems.raise_any()
        values = dict(incoming.validated_data)
        created = row is None
        try:
            with transaction.atomic():
                row = self.write(row, external_id, values)
        except IntegrityError:
            raise exceptions.ValidationError({"non_field_errors": [
                _("Another record already has this code or external id.")]})
        return Response(self.get_serializer(row).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class LocationViewSet(UpsertMixin, ReadViewSet):
    serializer_class = LocationSerializer
    input_class = LocationInput
    model = Location
    code_field = "code"
    required = {"list": roles.VIEW_LOCATION, "retrieve": roles.VIEW_LOCATION,
                "by_external_id": [roles.VIEW_LOCATION]}

    def get_queryset(self):
        return scoping.locations_for(self.request.user).select_related("region").order_by("pk")

    def write(self, row, external_id, values):
        row = row or Location(external_id=external_id)
        row.external_id = external_id
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
        return row

    @extend_schema(request=LocationInput, responses={200: LocationSerializer, 201: LocationSerializer})
    @action(detail=False, methods=["get", "put"], url_path=f"by-external-id/(?P<external_id>{EXTERNAL_ID})")
    def by_external_id(self, request, external_id=None):
        return super().by_external_id(request, external_id)

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method == "PUT" and not (request.user.has_perm(roles.ADD_LOCATION)
                                            and request.user.has_perm(roles.CHANGE_LOCATION)):
            self.permission_denied(request, message=_("Only administrators keep locations in step."))


class EmployeeViewSet(UpsertMixin, ReadViewSet):
    serializer_class = EmployeeSerializer
    input_class = EmployeeInput
    model = Employee
    code_field = "employee_code"
    required = {"*": roles.VIEW_EMPLOYEE}

    def get_queryset(self):
        return scoping.employees_for(self.request.user).select_related("location").order_by("pk")

    def write(self, row, external_id, values):
        row = row or Employee()
        row.external_id = external_id
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
        return row

    @extend_schema(request=EmployeeInput, responses={200: EmployeeSerializer, 201: EmployeeSerializer})
    @action(detail=False, methods=["get", "put"], url_path=f"by-external-id/(?P<external_id>{EXTERNAL_ID})")
    def by_external_id(self, request, external_id=None):
        return super().by_external_id(request, external_id)

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method == "PUT" and not (request.user.has_perm(roles.ADD_EMPLOYEE)
                                            and request.user.has_perm(roles.CHANGE_EMPLOYEE)):
            self.permission_denied(request, message=_("Only administrators keep employees in step."))


class ShopperViewSet(UpsertMixin, ReadViewSet):
    """Shoppers always have a login: a new one gets an account without a password (they set one through
    "Forgot your password?" with the e-mail address given) and the mystery shopper role."""

    serializer_class = ShopperSerializer
    input_class = ShopperInput
    model = Shopper
    required = {"*": roles.VIEW_SHOPPER}

    def get_queryset(self):
        return Shopper.objects.select_related("user", "home_region").order_by("pk")

    def write(self, row, external_id, values):
        if row is None:
            user = User(username=f"shopper-{get_random_string(10).lower()}")
            user.set_unusable_password()
            row = Shopper(external_id=external_id)
        else:
            user = row.user
        for name in ("first_name", "last_name", "email"):
            if name in values:
                setattr(user, name, values.pop(name))
        user.save()
        user.groups.add(Group.objects.get(name=roles.SHOPPER))
        row.user = user
        for name, value in values.items():
            setattr(row, name, value)
        row.full_clean()
        row.save()
        return row

    @extend_schema(request=ShopperInput, responses={200: ShopperSerializer, 201: ShopperSerializer})
    @action(detail=False, methods=["get", "put"], url_path=f"by-external-id/(?P<external_id>{EXTERNAL_ID})")
    def by_external_id(self, request, external_id=None):
        return super().by_external_id(request, external_id)

    def check_permissions(self, request):
        super().check_permissions(request)
        if request.method == "PUT" and not (request.user.has_perm(roles.ADD_SHOPPER)
                                            and request.user.has_perm(roles.CHANGE_SHOPPER)):
            self.permission_denied(request, message=_("Only administrators keep shoppers in step."))
