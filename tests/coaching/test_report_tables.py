"""Coaching's tables in reports: coverage per location (dashboard) and per employee (location and employee
pages), the coaching effect, in the pages, the PDF and the Excel file, within the reader's reach."""

import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from coaching import sessions
from tests import factories as f
from tests.coaching.helpers import GOOD, NO_GREETING, reviewed

pytestmark = pytest.mark.django_db


@pytest.fixture
def coached(world):
    calls = f.make_call_scorecard(world.admin)
    first = reviewed(world, calls, NO_GREETING, days_ago=20, pin="Greeted the caller")
    second = reviewed(world, calls, NO_GREETING, days_ago=15)
    reviewed(world, calls, GOOD, days_ago=2)
    reviewed(world, calls, GOOD, days_ago=3, employee=world.employee_b)
    # A colleague of Ann's at Store A, evaluated but never coached.
    colleague = f.make_employee(world.location_a, name="Cy Colleague")
    reviewed(world, calls, GOOD, days_ago=4, employee=colleague)
    session = sessions.schedule(coach=world.reviewer, employees=[world.employee_a], evaluations=[first, second],
                                scheduled_at=timezone.now() - timedelta(days=10), title="Greeting")
    sessions.confirm_as_coach(session)
    sessions.confirm_as_employee(session.attendances.get(), by=world.employee)
    return world


def content(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_dashboard_coverage_per_location_in_reach(coached, client_for):
    w = coached
    page = client_for(w.manager_a).get(reverse("reports:dashboard")).content.decode()
    assert 'data-extension-table="coaching-coverage"' in page
    # Store A: two employees evaluated, one coached (50%), one session confirmed by both.
    row = page.split('data-extension-table="coaching-coverage"')[1].split("</tr>")[1]
    assert "Store A" in row and ">2<" in row and ">1<" in row and "50.0" in row
    assert "Store B" not in page.split('data-extension-table="coaching-coverage"')[1].split("</section>")[0]
    assert 'data-extension-table="coaching-effect"' in page and "Greeted the caller" in page


def test_location_and_employee_pages_per_employee(coached, client_for):
    w = coached
    client = client_for(w.manager_a)
    page = client.get(reverse("reports:location", args=[w.location_a.pk])).content.decode()
    table = page.split('data-extension-table="coaching-coverage"')[1].split("</section>")[0]
    assert "Ann Employee" in table and "Cy Colleague" in table and "never" in table
    page = client.get(reverse("reports:employee", args=[w.employee_a.pk])).content.decode()
    table = page.split('data-extension-table="coaching-coverage"')[1].split("</section>")[0]
    assert "Ann Employee" in table and "Cy Colleague" not in table
    # The employee reads their own page, with their own coverage.
    page = client_for(w.employee).get(reverse("reports:employee", args=[w.employee_a.pk])).content.decode()
    assert 'data-extension-table="coaching-coverage"' in page


def test_pdf_and_excel_carry_coverage_and_effect(coached, client_for):
    w = coached
    client = client_for(w.lead)
    book = load_workbook(io.BytesIO(content(client.get(reverse("reports:export", args=["dashboard", "xlsx"])))))
    sheet = book["Coaching coverage"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[2][:4] == ("Location", "Employees evaluated (n)", "Employees coached (n)", "Coverage (%)")
    store_a = next(r for r in rows[3:] if r[0] == "Store A")
    assert store_a[1:4] == (2, 1, pytest.approx(50.0)) and store_a[5] == 1
    store_b = next(r for r in rows[3:] if r[0] == "Store B")
    assert store_b[1:4] == (1, 0, pytest.approx(0.0))
    effect_rows = list(book["Coaching effect (coached items)"].iter_rows(values_only=True))
    assert any(r[2] == "Greeted the caller" for r in effect_rows[3:])
    response = client.get(reverse("reports:export-object", args=["location", w.location_a.pk, "pdf"]))
    pages = PdfReader(io.BytesIO(content(response))).pages
    text = "\n".join(p.extract_text() for p in pages)
    assert "Coaching coverage" in text and "Cy Colleague" in text
    # The effect's ten columns get a landscape page of their own; the pages around it stay portrait.
    wide = [p for p in pages if p.mediabox.width > p.mediabox.height]
    assert wide and all("Coaching effect (coached items)" in p.extract_text() or "Greeted the caller" in p.extract_text()
                        for p in wide)
    assert pages[0].mediabox.width < pages[0].mediabox.height and pages[-1].mediabox.width < pages[-1].mediabox.height


def test_excel_writes_the_coaching_effect_as_numbers(coached, client_for):
    book = load_workbook(io.BytesIO(content(client_for(coached.lead).get(
        reverse("reports:export", args=["dashboard", "xlsx"])))))
    sheet = book["Coaching effect (coached items)"]
    header = [c.value for c in sheet[3]]
    assert header[3:] == ["Before (mean %)", "Before (n)", "Before (95% CI, %)", "After (mean %)", "After (n)",
                          "After (95% CI, %)", "Change (points)"]
    row = next(r for r in sheet.iter_rows(min_row=4) if r[2].value == "Greeted the caller")
    before_mean, before_n = row[3], row[4]
    assert isinstance(before_mean.value, (int, float)) and before_mean.number_format == "0.0"
    assert isinstance(before_n.value, int) and before_n.number_format == "0"


def test_a_session_still_to_come_is_not_coaching_done(coached, client_for):
    w = coached
    calls = f.make_call_scorecard(w.admin, name="Calls again")
    colleague = w.employee_a.location.employees.get(name="Cy Colleague")
    failed = reviewed(w, calls, NO_GREETING, days_ago=1, employee=colleague)
    soon = sessions.schedule(coach=w.reviewer, employees=[colleague], evaluations=[failed],
                             scheduled_at=timezone.now() + timedelta(days=2), title="Soon")
    client = client_for(w.manager_a)
    page = client.get(reverse("reports:location", args=[w.location_a.pk])).content.decode()
    table = page.split('data-extension-table="coaching-coverage"')[1].split("</section>")[0]
    row = table.split("Cy Colleague")[1].split("</tr>")[0]
    assert "never" in row and ">0<" in row  # neither counted nor its date shown as the last session
    effect_table = page.split('data-extension-table="coaching-effect"')[1].split("</section>")[0]
    assert "Cy Colleague" not in effect_table and "Ann Employee" in effect_table
    # Its page says when the effect can be measured instead of an "after" with n = 0.
    page = client_for(w.reviewer).get(soon.get_absolute_url()).content.decode()
    assert "data-effect-later" in page and "data-effect=" not in page
