"""Open, overdue and closed plans per location (dashboard), per employee (a location's page) and the employee's
own (their page), on the pages and in Excel and PDF, within the viewer's reach (reports.extensions)."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from plans import services
from plans.models import ActionPlan, CorrectiveAction
from plans.report_tables import plan_table
from tests.plans_helpers import days

pytestmark = pytest.mark.django_db


@pytest.fixture
def plans(world):
    def plan(title, **fields):
        fields.setdefault("owner", world.manager_a)
        return services.open_plan(title=title, **fields)[0]

    overdue = plan("Greetings", location=world.location_a)
    services.add_action(overdue, text="Brief", owner=world.manager_a, due_date=days(0), by=world.manager_a)
    CorrectiveAction.objects.update(due_date=days(-2))
    plan("Returns", employee=world.employee_a)
    closed = plan("Queues", location=world.location_a)
    ActionPlan.objects.filter(pk=closed.pk).update(status=ActionPlan.Status.CLOSED)
    plan("Store B", location=world.location_b, owner=world.manager_b)
    return world


def rows(user, scope):
    return plan_table(user, None, scope).rows


def test_figures_per_place_within_reach(plans):
    w = plans
    assert rows(w.lead, {}) == [["Store A", 2, 1, 0, 1], ["Store B", 1, 0, 0, 0]]
    assert rows(w.manager_a, {}) == [["Store A", 2, 1, 0, 1]]
    assert rows(w.manager_a, {"location": w.location_a}) == [["Ann Employee", 1, 0, 0, 0], ["Store A", 1, 1, 0, 1]]
    assert rows(w.employee, {"employee": w.employee_a}) == [["Ann Employee", 1, 0, 0, 0]]
    assert rows(w.other_employee, {"employee": w.employee_b}) == []
    assert rows(w.lead, {"region": w.region_b}) == [["Store B", 1, 0, 0, 0]]
    # The empty state names what the reader can do: a manager opens plans, an employee waits for them.
    assert "“Open a plan” on a low-scoring row" in plan_table(w.manager_a, None, {}).empty
    assert plan_table(w.employee, None, {}).empty.startswith("No action plans here: plans about you")


def table_rows(page):
    """The body rows of the page's "Action plans" table, as the cells' text."""
    import re

    table = page.split('data-extension-table="plans"', 1)[1].split("</table>", 1)[0]
    body = table.split("<tbody", 1)[1] if "<tbody" in table else ""
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, re.S)]
            for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S)]


def test_the_dashboards_place_filters_narrow_the_table(plans, client_for):
    """/reports/?location=… lists that location's plans only, as the rest of the dashboard does; the same in the
    exports, which build the same report."""
    w = plans
    client = client_for(w.lead)
    everything = table_rows(client.get(reverse("reports:dashboard")).content.decode())
    assert [row[0] for row in everything] == ["Store A", "Store B"]
    by_location = table_rows(client.get(reverse("reports:dashboard"), {"location": w.location_b.pk}).content.decode())
    assert by_location == [["Store B", "1", "0", "0", "0"]]
    by_region = table_rows(client.get(reverse("reports:dashboard"), {"region": w.region_a.pk}).content.decode())
    assert [row[0] for row in by_region] == ["Store A"]
    by_employee = table_rows(client.get(reverse("reports:dashboard"), {"employee": w.employee_a.pk}).content.decode())
    assert by_employee == [["Store A", "1", "0", "0", "0"]], "the plan about Ann only, not her store's"
    response = client.get(reverse("reports:export", args=["dashboard", "xlsx"]), {"location": w.location_b.pk})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert list(book["Action plans"].iter_rows(values_only=True))[3:] == [("Store B", 1, 0, 0, 0)]


def test_pages_and_exports_show_the_table(plans, client_for):
    w = plans
    client = client_for(w.manager_a)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'data-extension-table="plans"' in page and "Of which overdue (n)" in page and "Store B" not in page
    response = client.get(reverse("reports:export-object", args=["location", w.location_a.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    table = list(book["Action plans"].iter_rows(values_only=True))
    assert table[2] == ("Plan about", "Open plans (n)", "Of which overdue (n)", "Escalated (n)", "Closed plans (n)")
    assert table[3:] == [("Ann Employee", 1, 0, 0, 0), ("Store A", 1, 1, 0, 1)]
    response = client.get(reverse("reports:export", args=["dashboard", "pdf"]))
    pdf = PdfReader(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    text = " ".join(p.extract_text() for p in pdf.pages)
    assert "Action plans" in text and "Open plans (n)" in text


def test_low_scoring_rows_open_a_prefilled_plan_in_one_click(scored, client_for):
    """Store A and Ann average 77.8% over six evaluations (two failing): each row links to the plan form with
    them and the two failing evaluations; once a plan is open the row links to it instead."""
    import re
    from html import unescape

    w = scored
    client = client_for(w.manager_a)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'data-extension-table="low-scores"' in page and "Store B" not in page
    links = [unescape(u) for u in re.findall(r'href="(/plans/new/\?[^"]+)"', page)]
    assert len(links) == 2 and any("location=" in u for u in links) and any("employee=" in u for u in links)
    from plans.report_tables import low_scores
    from reports import services as report_services

    table = low_scores(w.manager_a, report_services.build(w.manager_a, {}, "Dashboard"), {})
    assert [row[4] for row in table.rows] == [2, 2]  # failing evaluations: Store A's and Ann's, counted in the ranking
    form = client.get(next(u for u in links if "location=" in u)).content.decode()
    assert "Low scores: Store A" in form and "Average score 77.8% over 6 evaluations in the report" in form
    assert form.count("<li>") >= 2 and "66.7%" in form and "0.0%" in form
    response = client.post(next(u for u in links if "location=" in u), {
        "title": "Low scores: Store A", "location": w.location_a.pk, "owner": w.manager_a.pk, "root_cause": "",
        "follow_up_kind": "reshop", "follow_up_count": 2, "follow_up_target": 80})
    plan = ActionPlan.objects.get()
    assert response.status_code == 302 and plan.evaluations.count() == 2
    page = client.get(reverse("reports:location", args=[w.location_a.pk])).content.decode()
    assert f'href="/plans/{plan.pk}/">See its open plan' in page and "Open a plan</a>" in page  # Ann's row still
    assert 'data-extension-table="low-scores"' not in client_for(w.employee).get(
        reverse("reports:employee", args=[w.employee_a.pk])).content.decode()


def test_an_employee_row_opens_a_plan_about_the_employee_only(scored, client_for):
    """Ann's row fills in Ann, not her store, and is verified the way she is evaluated: her evaluations here are
    shop visits (re-shops); an employee judged on reviewed calls is verified by re-reviews."""
    import re
    from html import unescape

    from tests import factories as f
    from tests.coaching.helpers import NO_GREETING, reviewed

    w = scored
    client = client_for(w.manager_a)
    page = client.get(reverse("reports:dashboard")).content.decode()
    link = next(unescape(u) for u in re.findall(r'href="(/plans/new/\?[^"]+)"', page) if "employee=" in u)
    initial = client.get(link).context["form"].initial
    assert initial["employee"] == w.employee_a and "location" not in initial
    assert initial["follow_up_kind"] == ActionPlan.FollowUpKind.RESHOP and initial["title"] == "Low scores: Ann Employee"
    calls = f.make_call_scorecard(w.admin)
    caller = f.make_employee(w.location_a, name="Cal Caller")
    failed = reviewed(w, calls, NO_GREETING, employee=caller)
    initial = client.get(reverse("plans:create"), {"employee": caller.pk, "evaluation": failed.pk,
                                                   "observed": "x"}).context["form"].initial
    assert initial["employee"] == caller and "location" not in initial
    assert initial["follow_up_kind"] == ActionPlan.FollowUpKind.REREVIEW


def test_low_scores_in_excel_and_pdf_link_to_the_site_with_the_figure_the_page_shows(scored, client_for, settings):
    settings.SITE_URL = "https://qa.example.com"
    client = client_for(scored.manager_a)
    response = client.get(reverse("reports:export", args=["dashboard", "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    sheet = book["Low scores open an action plan"]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[0].value == "Store A")
    assert row[1].value == "Open a plan" and row[1].hyperlink.target.startswith("https://qa.example.com/plans/new/?")
    # 77.78 on the page reads 77.8: the sheet holds 77.8, shown with one decimal.
    assert row[2].value == 77.8 and row[2].number_format == "0.0"
    response = client.get(reverse("reports:export", args=["dashboard", "pdf"]))
    data = b"".join(response.streaming_content) if response.streaming else response.content
    links = [a["/A"]["/URI"] for page in PdfReader(io.BytesIO(data)).pages for a in
             (o.get_object() for o in page.get("/Annots", [])) if a.get("/A", {}).get("/URI")]
    assert any(u.startswith("https://qa.example.com/plans/new/?") for u in links)
