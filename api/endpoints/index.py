"""GET /api/v1/: the API's front door. For a token, what it is (its name, access and expiry) and the
endpoints its owner may list, each with its address, with the schema and the documentation page; without
a token the same 401 problem+json as every other endpoint."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from api.endpoints.reports import DashboardReportView
from api.permissions import allows

INDEX = inline_serializer("ApiIndex", {
    "token": inline_serializer("ApiIndexToken", {
        "name": serializers.CharField(), "access": serializers.ChoiceField(choices=["read", "write"]),
        "expires_at": serializers.DateTimeField()}),
    "endpoints": inline_serializer("ApiIndexEndpoint", {
        "name": serializers.CharField(), "url": serializers.URLField()}, many=True),
    "schema": serializers.URLField(),
    "docs": serializers.URLField(),
})


class ApiIndexView(APIView):
    @extend_schema(responses={200: INDEX}, summary="What this token may call")
    def get(self, request):
        from api.router import router  # the router's module imports every endpoint, this one included

        listed = [(prefix, viewset, f"api:v1:{basename}-list", "list") for prefix, viewset, basename in router.registry]
        listed.append(("reports/dashboard", DashboardReportView, "api:v1:report-dashboard", "get"))
        endpoints = [{"name": name, "url": request.build_absolute_uri(reverse(url_name))}
                     for name, view, url_name, action in sorted(listed, key=lambda entry: entry[0])
                     if allows(request.user, getattr(view, "required", {}), action)]
        token = request.auth
        return Response({
            "token": {"name": token.name, "access": token.access, "expires_at": token.expires_at},
            "endpoints": endpoints,
            "schema": request.build_absolute_uri(reverse("api:schema")),
            "docs": request.build_absolute_uri(reverse("api:docs")),
        })
