"""Report pages: who sees what, and figures computed honestly."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import aggregation
from scorecards import services as scorecard_services
from tests import factories as f
from tests.conftest import PERSONAS
from tests.report_helpers import NO_GREETING

pytestmark = pytest.mark.django_db

# (persona) -> expected status for: dashboard, location A, location B, employee A, employee B
EXPECTED = {
    "anonymous": (302, 302, 302, 302, 302),
    "shopper": (403, 403, 403, 403, 403),
    "other_shopper": (403, 403, 403, 403, 403),
    "reviewer": (200, 200, 200, 200, 200),
    "lead": (200, 200, 200, 200, 200),
    "admin": (200, 200, 200, 200, 200),
    "manager_a": (200, 200, 404, 200, 404),
    "manager_b": (200, 404, 200, 404, 200),
    "employee": (200, 404, 404, 200, 404),
    "other_employee": (200, 404, 404, 404, 200),
}


@pytest.mark.parametrize("persona", PERSONAS)
def test_report_pages_are_scoped(scored, client_for, persona):
    w = scored
    client = client_for(w.persona(persona))
    urls = [reverse("reports:dashboard"), reverse("reports:location", args=[w.location_a.pk]),
            reverse("reports:location", args=[w.location_b.pk]), reverse("reports:employee", args=[w.employee_a.pk]),
            reverse("reports:employee", args=[w.employee_b.pk])]
    assert tuple(client.get(url).status_code for url in urls) == EXPECTED[persona]


def test_manager_dashboard_counts_only_their_region_and_compares_with_the_company(scored, client_for, settings):
    settings.REPORT_MIN_SAMPLE = 2  # region B's two evaluations are enough to compare with (see test_report_privacy)
    response = client_for(scored.manager_a).get(reverse("reports:dashboard"))
    data = response.context["data"]
    assert data.summary["count"] == 6
    assert data.company["count"] == 8
    # (4 x 100 + 66.67 + 0) / 6 = 77.78
    assert round(float(data.summary["average"]), 2) == 77.78
    assert "77.8%" in response.content.decode()
    assert data.summary["critical_failures"] == 1


def test_a_manager_without_regions_sees_an_empty_dashboard_and_the_company_figures(scored, client_for):
    from tests import factories as f
    from qa import roles

    newcomer = f.make_user("newcomer", roles.MANAGER)  # no region given yet: reach matches nothing
    response = client_for(newcomer).get(reverse("reports:dashboard"))
    assert response.status_code == 200
    data = response.context["data"]
    assert data.summary["count"] == 0 and data.company["count"] == 8


def test_comparisons_of_a_queryset_without_sql_are_computed_not_compared(scored):
    from qa.models import Evaluation
    from reports import services

    report_filter, _evaluations = services.filtered(scored.lead, {})
    figures = services.comparisons(report_filter, Evaluation.objects.none(), None, {"count": 0})  # str() of its query raises
    assert figures["company"]["count"] == 8


def test_the_company_figures_are_the_reports_own_when_the_reach_is_the_whole_company(scored, client_for):
    data = client_for(scored.lead).get(reverse("reports:dashboard")).context["data"]
    assert data.company["count"] == data.summary["count"] == 8
    assert data.company["average"] == data.summary["average"]
    assert "distribution" not in data.company


def test_employee_sees_only_themselves_on_the_dashboard(scored, client_for):
    data = client_for(scored.other_employee).get(reverse("reports:dashboard")).context["data"]
    assert data.summary["count"] == 2
    assert [r["employee__name"] for r in data.employees] == ["Bob Employee"]


def test_small_samples_are_not_ranked(scored, client_for, settings):
    settings.REPORT_MIN_SAMPLE = 5
    response = client_for(scored.lead).get(reverse("reports:dashboard"))
    rows = {r["location__name"]: r for r in response.context["data"].locations}
    assert rows["Store A"]["rank"] == 1 and not rows["Store A"]["too_few"]
    assert rows["Store B"]["too_few"] and "rank" not in rows["Store B"]
    assert "too few evaluations" in response.content.decode()
    # Store B's perfect average must not outrank Store A: it is listed after the ranked ones.
    assert [r["location__name"] for r in response.context["data"].locations] == ["Store A", "Store B"]


def test_confidence_interval_by_hand():
    # Scores 60, 70, 80, 90: mean 75, sample variance 166.67, s = 12.91, se = 6.455, t(3) = 3.182 -> +-20.54
    low, high = aggregation.confidence_interval(4, 75, (3600 + 4900 + 6400 + 8100) / 4)
    assert (round(low, 2), round(high, 2)) == (54.46, 95.54)
    assert aggregation.confidence_interval(1, 75, 5625) is None


def test_section_averages_and_failed_items(scored, client_for):
    data = client_for(scored.lead).get(reverse("reports:dashboard")).context["data"]
    sections = {s.name: s for s in data.sections}
    # Courtesy: seven at 100, one at 50 (no greeting), one at 50 (argued) over 8 evaluations = 87.5
    assert round(float(sections["Courtesy"].average), 2) == 87.5
    assert sections["Courtesy"].changed_in == []
    failed = {i["item__question"]: i for i in data.failed_items}
    assert failed["Greeted the customer"]["failures"] == 1
    assert failed["Never argued"]["failures"] == 1


def test_a_changed_section_is_flagged_not_mixed_silently(scored, client_for):
    draft = scorecard_services.start_new_version(scored.version.scorecard)
    section = draft.sections.get(name="Accuracy")
    section.weight = Decimal(3)
    section.save()
    scorecard_services.publish(draft, scored.admin)
    f.make_evaluation(draft, scored.location_a, scored.reviewer, f.ALL_GOOD, employee=scored.employee_a)
    response = client_for(scored.lead).get(reverse("reports:dashboard"))
    sections = {s.name: s for s in response.context["data"].sections}
    assert sections["Accuracy"].changed_in == ["Store visit test v1", "Store visit test v2"]
    assert sections["Courtesy"].changed_in == []
    assert "Defined differently in Store visit test v1, Store visit test v2" in response.content.decode()


def test_policy_target_is_computed_from_tagged_answers(world, client_for):
    from tests.report_helpers import kpi_version
    from reports.models import PolicyTarget

    version = kpi_version(world.admin)
    for answer in ("yes", "yes", "yes", "no"):
        f.make_evaluation(version, world.location_a, world.reviewer,
                          dict(f.ALL_GOOD, **{"Anticipated a question": answer}))
    f.make_evaluation(version, world.location_a, world.reviewer, dict(f.ALL_GOOD, **{"Anticipated a question": "N/A"}))
    PolicyTarget.objects.create(kpi="fcr", target=85, comparison="at_least", unit="%")
    response = client_for(world.lead).get(reverse("reports:dashboard"))
    row = response.context["data"].targets[0]
    assert (row["value"], row["n"], row["met"]) == (75.0, 4, False)  # N/A is not counted
    assert "75.0%" in response.content.decode() and "not met" in response.content.decode()


def test_filters_stay_in_the_url_and_narrow_the_figures(scored, client_for):
    client = client_for(scored.admin)
    response = client.get(reverse("reports:dashboard"), {"region": scored.region_b.pk, "period": "week"})
    assert response.context["data"].summary["count"] == 2
    assert response.context["data"].period == "week"
    assert f"region={scored.region_b.pk}" in response.content.decode()  # carried into export links
    location_page = client.get(reverse("reports:location", args=[scored.location_a.pk]))
    assert len(location_page.context["evaluation_page"].object_list) == 6


def make_many(world, count):
    for n in range(count):
        f.make_evaluation(world.version, world.location_a if n % 2 else world.location_b, world.reviewer,
                          f.ALL_GOOD if n % 3 else NO_GREETING, employee=world.employee_a if n % 2 else world.employee_b,
                          days_ago=n % 150 + 1)


@pytest.mark.parametrize("name", ["reports:dashboard", "reports:location", "reports:employee"])
def test_query_count_does_not_grow_with_the_data(world, client_for, django_assert_num_queries, name):
    client = client_for(world.lead)
    args = [] if name == "reports:dashboard" else [world.location_a.pk if name == "reports:location" else world.employee_a.pk]
    url = reverse(name, args=args)
    make_many(world, 4)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    make_many(world, 40)
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(url).status_code == 200
