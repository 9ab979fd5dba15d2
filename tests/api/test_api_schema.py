"""The OpenAPI schema: valid OpenAPI 3 (drf-spectacular's validator, the OpenAPI 3.0 JSON schema), and
naming exactly the endpoints the router serves, each with the methods it answers and the bearer token."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def generated():
    """The schema, with what drf-spectacular warned of while building it."""
    GENERATOR_STATS.reset()
    with GENERATOR_STATS.silence():
        schema = SchemaGenerator().get_schema(request=None, public=True)
    return schema, list(GENERATOR_STATS._warn_cache) + list(GENERATOR_STATS._error_cache)


@pytest.fixture(scope="module")
def schema(generated):
    return generated[0]


def test_the_schema_is_built_without_a_warning(generated):
    """Filter types it cannot guess, enum names it must make up, views it cannot read: each would be a wrong or
    vague schema, and fails `check --deploy --fail-level WARNING` (drf_spectacular.W001 is not silenced)."""
    assert generated[1] == []


def served_paths():
    """/api/v1/... paths with their methods, from the URL configuration, as OpenAPI writes them."""
    found = {}
    for pattern in get_resolver().url_patterns:
        if isinstance(pattern, URLResolver) and pattern.namespace == "api":
            for inner in pattern.url_patterns:
                if isinstance(inner, URLResolver) and inner.namespace == "v1":
                    for p in inner.url_patterns:
                        if not isinstance(p, URLPattern):
                            continue
                        route = str(p.pattern).lstrip("^").rstrip("$")
                        route = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"{\1}", route)
                        route = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
                        if r"\.(?P" in str(p.pattern) or "{format}" in route:
                            continue
                        view = p.callback
                        # (DRF adds "head" to a viewset's actions once it has answered a GET: not documented)
                        methods = set(getattr(view, "actions", {}) or {}) - {"head"} or {
                            m for m in ("get", "post", "put", "patch", "delete")
                            if hasattr(view.view_class, m)}
                        found["/api/v1/" + route.replace("{pk}", "{id}")] = methods  # as drf-spectacular names it
    return found


def test_the_schema_is_valid_openapi(schema):
    validate_schema(schema)
    assert schema["components"]["securitySchemes"]["token"] == {
        "type": "http", "scheme": "bearer", "bearerFormat": "sqa_<prefix>_<secret>"}


def test_the_schema_names_every_endpoint_and_nothing_else(schema):
    served = served_paths()
    documented = {path: {m for m in ops if m in ("get", "post", "put", "patch", "delete")}
                  for path, ops in schema["paths"].items()}
    assert set(documented) == set(served)
    for path, methods in served.items():
        assert documented[path] == methods, path
        for operation in schema["paths"][path].values():
            assert {"token": []} in operation["security"], path


def test_the_schema_is_served_to_tokens_and_signed_in_people(world, client_for, api):
    assert api(world.employee).get("/api/schema/?format=json").status_code == 200
    assert client_for(world.employee).get("/api/schema/").status_code == 200
    assert client_for(None).get("/api/schema/").status_code in (401, 403)
