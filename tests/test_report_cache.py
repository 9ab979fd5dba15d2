"""Report figures are cached per reach and filters, never across reaches."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def caching(settings):
    settings.REPORT_CACHE_SECONDS = 60
    cache.clear()
    yield
    cache.clear()


def count(client):
    return client.get(reverse("reports:dashboard")).context["data"].summary["count"]


def test_figures_are_reused_within_the_cache_time(scored, client_for):
    client = client_for(scored.manager_a)
    assert count(client) == 6
    f.make_evaluation(scored.version, scored.location_a, scored.reviewer, f.ALL_GOOD)
    assert count(client) == 6  # cached
    cache.clear()
    assert count(client) == 7


def test_cached_figures_never_cross_reaches(scored, client_for):
    assert count(client_for(scored.manager_a)) == 6
    assert count(client_for(scored.manager_b)) == 2
    assert count(client_for(scored.employee)) == 6
    assert count(client_for(scored.other_employee)) == 2
    assert count(client_for(scored.lead)) == 8


def test_filters_are_part_of_the_key(scored, client_for):
    client = client_for(scored.admin)
    assert count(client) == 8
    response = client.get(reverse("reports:dashboard"), {"region": scored.region_b.pk})
    assert response.context["data"].summary["count"] == 2
