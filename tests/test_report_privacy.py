"""No report figure reveals what lies outside the reader's reach: the cache is shared only
by people with the same reach (qa.scoping), and company or region comparisons are left
out when the part outside the reach is too small to hide individual scores."""

import io

import pytest
from django.core.cache import cache
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from qa import roles, scoping
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_a_leftover_region_on_an_employee_account_does_not_share_the_managers_cached_dashboard(
        scored, client_for, settings):
    settings.REPORT_CACHE_SECONDS = 60
    cache.clear()
    former_manager = f.make_user("former_manager", roles.EMPLOYEE)  # now an employee, region never removed
    former_manager.regions.add(scored.region_a)
    manager_view = client_for(scored.manager_a).get(reverse("reports:dashboard")).context["data"]
    assert manager_view.summary["count"] == 6
    leftover_view = client_for(former_manager).get(reverse("reports:dashboard")).context["data"]
    assert leftover_view.summary["count"] == 0  # an employee not linked to a staff record sees nothing
    assert scoping.reach_signature(former_manager) != scoping.reach_signature(scored.manager_a)
    cache.clear()


def test_equal_reaches_share_a_signature_and_roles_decide_what_counts(scored):
    twin = f.make_user("twin", roles.MANAGER)
    twin.regions.add(scored.region_a)
    assert scoping.reach_signature(twin) == scoping.reach_signature(scored.manager_a)
    assert scoping.reach_signature(scored.lead) == scoping.reach_signature(scored.admin) == "all"
    assert scoping.reach_signature(scored.employee) != scoping.reach_signature(scored.other_employee)


def exports(client, name="dashboard", object_id=None):
    args = [name] if object_id is None else [name, object_id]
    view = "reports:export" if object_id is None else "reports:export-object"
    pdf = PdfReader(io.BytesIO(client.get(reverse(view, args=args + ["pdf"])).content))
    book = load_workbook(io.BytesIO(client.get(reverse(view, args=args + ["xlsx"])).content))
    summary = [[c for c in row if c is not None] for row in book["Summary"].iter_rows(values_only=True)]
    return "\n".join(p.extract_text() for p in pdf.pages), summary


def test_company_figures_are_left_out_when_too_few_evaluations_lie_outside_the_reach(scored, client_for, settings):
    settings.REPORT_MIN_SAMPLE = 5  # region B holds 2: "company" would give them away
    client = client_for(scored.manager_a)
    response = client.get(reverse("reports:dashboard"))
    data = response.context["data"]
    html = response.content.decode()
    assert data.company is None and data.hidden_comparisons == ["company"]
    assert "company" not in html.split('data-figure="comparison">')[1].split("</div>")[0]
    assert "company 8" not in html and "data-hidden-comparisons" in html
    pdf_text, summary = exports(client)
    assert "Company comparison left out" in pdf_text
    assert "Company" not in pdf_text.replace("Company comparison left out", "")
    assert ["Figure", "Value"] in summary and not any("Company" in row for row in summary)


def test_company_figures_are_shown_when_enough_lie_outside(scored, client_for, settings):
    settings.REPORT_MIN_SAMPLE = 2
    client = client_for(scored.manager_a)
    data = client.get(reverse("reports:dashboard")).context["data"]
    assert data.company["count"] == 8 and data.hidden_comparisons == []
    pdf_text, summary = exports(client)
    assert "Company" in pdf_text and ["Figure", "Value", "Company"] in summary


def test_a_one_day_filter_cannot_single_out_another_regions_score(scored, client_for, settings):
    """The probe's case: own n=1, company n=2 on one day."""
    from qa.models import Evaluation

    settings.REPORT_MIN_SAMPLE = 5
    day = "2020-03-02"
    for evaluation in (Evaluation.objects.filter(location=scored.location_a).first(),
                       Evaluation.objects.filter(location=scored.location_b).first()):
        Evaluation.objects.filter(pk=evaluation.pk).update(interaction_at=f"{day}T10:00:00Z")
    data = client_for(scored.manager_a).get(reverse("reports:dashboard"),
                                            {"date_from": day, "date_to": day}).context["data"]
    assert data.summary["count"] == 1 and data.company is None


def test_the_region_figure_is_left_out_for_an_employee_when_few_colleagues_are_evaluated(scored, client_for, settings):
    settings.REPORT_MIN_SAMPLE = 5
    colleague = f.make_employee(scored.location_a, name="Cat Colleague")
    f.make_evaluation(scored.version, scored.location_a, scored.reviewer, f.ALL_GOOD, employee=colleague)
    url = reverse("reports:employee", args=[scored.employee_a.pk])
    own = client_for(scored.employee).get(url).context["data"]
    assert own.region is None and "region" in own.hidden_comparisons
    pdf_text, summary = exports(client_for(scored.employee), "employee", scored.employee_a.pk)
    assert "Region" not in pdf_text.split("Summary")[1].split("Policy targets")[0]
    managers = client_for(scored.manager_a).get(url).context["data"]
    assert managers.region["count"] == 7  # the region is the manager's own: nothing to hide


def test_qa_staff_see_every_comparison(scored, client_for, settings):
    settings.REPORT_MIN_SAMPLE = 50
    data = client_for(scored.lead).get(reverse("reports:location", args=[scored.location_a.pk])).context["data"]
    assert data.company["count"] == 8 and data.region["count"] == 6 and data.hidden_comparisons == []
