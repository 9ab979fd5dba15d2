"""Tables that apps above reports register (reports.extensions): shown on the dashboard, the location
and employee pages, in the PDF (a section per table) and in Excel (a sheet per table)."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import extensions
from reports.extensions import ReportTable

pytestmark = pytest.mark.django_db

calls = []


def provider(user, data, scope):
    """A stand-in for plans: one row per place in scope, its figures from the report's own evaluations."""
    calls.append((user.username, dict(scope)))
    if "employee" in scope:
        return ReportTable(key="followups", title="Follow-ups", columns=["Employee", "Open (n)"], rows=[],
                           empty="No follow-ups yet: open one from a missed target.")
    name = scope["location"].name if "location" in scope else "All places"
    return ReportTable(key="plans", title="Action plans [by place]", note=f"Based on {data.summary['count']} evaluations.",
                       columns=["Place", "Open (n)", "Closed on time (%)", "Next due"],
                       rows=[[name, 3, Decimal("66.667"), date(2026, 12, 24)], ["=HYPERLINK(\"x\")", 0, None, None]])


def silent(user, data, scope):
    return None


@pytest.fixture(autouse=True)
def registered():
    calls.clear()
    extensions.register(provider)
    extensions.register(silent)
    yield
    extensions.unregister(provider)
    extensions.unregister(silent)


def test_pages_show_every_table_with_its_scope(scored, client_for):
    w = scored
    client = client_for(w.manager_a)
    page = client.get(reverse("reports:dashboard")).content.decode()
    assert 'data-extension-table="plans"' in page and "Action plans [by place]" in page
    assert "Based on 6 evaluations." in page  # the manager's reach: region A's six
    assert "All places" in page and "66.7" in page and "24 Dec 2026" in page and "–" in page
    assert calls[-1] == ("manager_a", {})

    page = client.get(reverse("reports:location", args=[w.location_a.pk])).content.decode()
    assert "Store A</th>" in page
    assert calls[-1] == ("manager_a", {"location": w.location_a})

    page = client.get(reverse("reports:employee", args=[w.employee_a.pk])).content.decode()
    assert "Follow-ups" in page and "No follow-ups yet: open one from a missed target." in page
    assert calls[-1] == ("manager_a", {"employee": w.employee_a})


def test_tables_show_even_before_any_evaluation(world, client_for):
    page = client_for(world.manager_a).get(reverse("reports:dashboard")).content.decode()
    assert "No released evaluations match" in page and "Action plans [by place]" in page


def test_excel_has_a_sheet_per_table(scored, client_for):
    w = scored
    response = client_for(w.manager_a).get(reverse("reports:export-object", args=["location", w.location_a.pk, "xlsx"]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content) if response.streaming else response.content))
    assert "Action plans  by place" not in book.sheetnames
    sheet = book["Action plans by place"]  # brackets are not allowed in sheet names
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][0] == "Action plans [by place]" and rows[1][0] == "Based on 6 evaluations."
    assert rows[2] == ("Place", "Open (n)", "Closed on time (%)", "Next due")
    assert rows[3][:3] == ("Store A", 3, 66.7) and rows[3][3].date() == date(2026, 12, 24)
    assert rows[4][0] == "'=HYPERLINK(\"x\")"  # written as text, never run as a formula
    assert sheet.freeze_panes == "A4"
    assert book.sheetnames.index("Action plans by place") < book.sheetnames.index("Evaluations")


def test_pdf_has_a_section_per_table(scored, client_for):
    w = scored
    client = client_for(w.manager_a)
    response = client.get(reverse("reports:export", args=["dashboard", "pdf"]))
    data = b"".join(response.streaming_content) if response.streaming else response.content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Action plans [by place]" in text and "Based on 6 evaluations." in text
    assert "Closed on time (%)" in text and "All places" in text and "24 Dec 2026" in text

    response = client.get(reverse("reports:export-object", args=["employee", w.employee_a.pk, "pdf"]))
    data = b"".join(response.streaming_content) if response.streaming else response.content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Follow-ups" in text and "No follow-ups yet" in text


def test_a_long_table_repeats_its_header_on_every_pdf_page(scored):
    from reports import pdf

    table = ReportTable(key="many", title="Many rows", columns=["Name", "Count (n)"],
                        rows=[[f"Row {i}", i] for i in range(120)])
    out = io.BytesIO()
    doc_story = pdf.extension_story([table])
    from reportlab.platypus import SimpleDocTemplate
    SimpleDocTemplate(out).build(doc_story)
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(out.getvalue())).pages]
    assert len(pages) >= 2 and all("Count (n)" in page for page in pages)
    assert "Row 119" in pages[-1]
