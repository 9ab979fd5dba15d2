"""Exports: the same figures as the page, safe text, scope, and large ones in the background."""

import csv
import io
import zipfile

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from qa.models import Answer
from reports import exporters
from reports.models import ExportJob
from tests import factories as f
from tests.conftest import PERSONAS
from tests.report_helpers import kpi_version

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(private_media):
    return private_media


def download(client, exporter, fmt, object_id=None, **params):
    if object_id is None:
        url = reverse("reports:export", args=[exporter, fmt])
    else:
        url = reverse("reports:export-object", args=[exporter, object_id, fmt])
    return client.get(url, params)


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("fmt", ["xlsx", "pdf", "csv"])
def test_every_export_is_scoped(scored, client_for, persona, fmt):
    w = scored
    client = client_for(w.persona(persona))
    statuses = (
        download(client, "dashboard", fmt).status_code,
        download(client, "location", fmt, w.location_a.pk).status_code,
        download(client, "employee", fmt, w.employee_a.pk).status_code,
        download(client, "region", fmt, w.region_a.pk).status_code,
    )
    expected = {
        "anonymous": (302,) * 4, "shopper": (403,) * 4, "other_shopper": (403,) * 4,
        "reviewer": (200,) * 4, "lead": (200,) * 4, "admin": (200,) * 4,
        "manager_a": (200, 200, 200, 200), "manager_b": (200, 404, 404, 404),
        "employee": (200, 404, 200, 404), "other_employee": (200, 404, 404, 404),
    }[persona]
    assert statuses == expected


def test_manager_export_holds_only_their_region(scored, client_for):
    response = download(client_for(scored.manager_b), "dashboard", "csv")
    rows = list(csv.reader(io.StringIO(body(response).decode("utf-8-sig"))))
    assert len(rows) == 1 + 2
    assert {row[3] for row in rows[1:]} == {"Store B"}


def test_excel_figures_equal_the_page_and_the_file_is_well_formed(scored, client_for):
    client = client_for(scored.manager_a)
    page = client.get(reverse("reports:dashboard")).context["data"]
    content = body(download(client, "dashboard", "xlsx"))
    wb = load_workbook(io.BytesIO(content))
    # The report's own sheets, the tables plans and coaching add (reports.extensions), the raw evaluations last.
    assert wb.sheetnames[:4] == ["Summary", "Sections", "Locations", "Employees"]
    assert wb.sheetnames[-1] == "Evaluations"
    assert "Action plans" in wb.sheetnames[4:-1] and "Coaching coverage" in wb.sheetnames[4:-1]
    summary = {row[0]: row[1:] for row in wb["Summary"].iter_rows(values_only=True) if row and row[0]}
    assert summary["Evaluations (n)"][0] == page.summary["count"] == 6
    assert round(summary["Average score (%)"][0], 6) == round(float(page.summary["average"]), 6)
    assert round(summary["Critical failures (%)"][0], 6) == round(page.summary["critical_rate"], 6)
    sections = {row[0]: row[1] for row in wb["Sections"].iter_rows(min_row=2, values_only=True)}
    assert {k: round(v, 6) for k, v in sections.items()} == {s.name: round(float(s.average), 6) for s in page.sections}
    raw = wb["Evaluations"]
    header = next(raw.iter_rows(max_row=1, values_only=True))
    assert "Greeted the customer" in header and "Overall score (%)" in header
    rows = list(raw.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 6
    assert sorted(round(r[9], 2) for r in rows) == [0.0, 66.67, 100.0, 100.0, 100.0, 100.0]
    assert raw.freeze_panes == "B2"
    assert raw.auto_filter.ref == f"A1:{raw.cell(1, len(header)).column_letter}7"
    assert raw.conditional_formatting  # scores are coloured
    assert raw.cell(2, 2).number_format == "d mmm yyyy, hh:mm"  # qa.formats.SHEET_DATETIME, as pages write "29 Nov 2026, 14:05"
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert any(name.startswith("xl/charts/chart") for name in names)  # native Excel charts


def test_pdf_figures_equal_the_page(scored, client_for):
    client = client_for(scored.lead)
    page = client.get(reverse("reports:location", args=[scored.location_a.pk]), {"period": "month"})
    data = page.context["data"]
    response = download(client, "location", "pdf", scored.location_a.pk, period="month")
    assert response["Content-Type"] == "application/pdf"
    text = pdf_text(response.content)
    average = f"{float(data.summary['average']):.1f}%"
    assert average in text and average in page.content.decode()
    assert f"{data.summary['critical_rate']:.1f}%" in text
    assert "generated" in text and "Filters:" in text
    pages = len(PdfReader(io.BytesIO(response.content)).pages)
    assert pages > 1 and f"Page 1 of {pages}" in text and f"Page {pages} of {pages}" in text
    for section in data.sections:
        assert f"{float(section.average):.1f}%" in text
    assert text.count("Employee A") + text.count("Ann Employee") >= 1


def test_region_booklet_has_cover_contents_and_a_chapter_per_location(scored, client_for):
    extra = f.make_location(scored.region_a, name="Store A2")
    f.make_evaluation(scored.version, extra, scored.reviewer, f.ALL_GOOD)
    text = pdf_text(download(client_for(scored.admin), "region", "pdf", scored.region_a.pk).content)
    assert "Region A region" in text
    assert "Contents" in text and "Region summary" in text
    assert "Store A2" in text and "Store A" in text
    assert "Store B" not in text


def test_user_text_never_becomes_a_formula(world, client_for):
    version = kpi_version(world.admin)
    world.employee_a.name = "@SUM(A1:A9)"
    world.employee_a.save()
    f.make_evaluation(version, world.location_a, world.reviewer,
                      dict(f.ALL_GOOD, **{"Customer note": '=HYPERLINK("http://evil.example","click")'}),
                      employee=world.employee_a)
    client = client_for(world.admin)
    wb = load_workbook(io.BytesIO(body(download(client, "dashboard", "xlsx"))))
    raw = wb["Evaluations"]
    header = next(raw.iter_rows(max_row=1, values_only=True))
    row = next(raw.iter_rows(min_row=2, max_row=2))
    note = row[header.index("Customer note")]
    assert note.data_type == "s" and note.value.startswith("'=HYPERLINK")
    assert row[header.index("Employee")].value == "'@SUM(A1:A9)"
    employees = wb["Employees"]
    assert any(c.value == "'@SUM(A1:A9)" for c in next(employees.iter_rows(min_row=2, max_row=2)))
    rows = list(csv.reader(io.StringIO(body(download(client, "dashboard", "csv")).decode("utf-8-sig"))))
    assert rows[1][header.index("Customer note")].startswith("'=HYPERLINK")
    assert rows[1][4] == "'@SUM(A1:A9)"
    text = pdf_text(download(client, "dashboard", "pdf").content)
    assert "@SUM(A1:A9)" in text  # shown as plain text in the PDF


def test_csv_has_one_row_per_evaluation_and_one_column_per_item(scored, client_for):
    rows = list(csv.reader(io.StringIO(body(download(client_for(scored.admin), "dashboard", "csv")).decode("utf-8-sig"))))
    assert len(rows) == 1 + 8
    assert rows[0][-4:] == ["Greeted the customer", "Never argued", "Explained the return policy", "Anticipated a question"]
    assert Answer.objects.count() == 8 * 4


def test_large_exports_run_in_the_background_with_progress(scored, client_for, settings):
    settings.EXPORT_SYNC_LIMIT = 3
    client = client_for(scored.manager_a)
    response = download(client, "dashboard", "xlsx")
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == job.get_absolute_url()
    job.refresh_from_db()
    assert job.status == "done" and job.percent == 100 and job.expires_at is not None
    status = client.get(job.get_absolute_url(), HTTP_ACCEPT="application/json").json()
    assert status["status"] == "done" and status["download"]
    file_response = client.get(reverse("reports:export-download", args=[job.pk]))
    content = b"".join(file_response.streaming_content)
    summary = {row[0]: row[1] for row in load_workbook(io.BytesIO(content))["Summary"].iter_rows(values_only=True)
               if row and row[0]}
    assert summary["Evaluations (n)"] == 6
    # Someone else's export is not theirs to see.
    assert client_for(scored.manager_b).get(job.get_absolute_url()).status_code == 404
    assert client_for(scored.manager_b).get(reverse("reports:export-download", args=[job.pk])).status_code == 404


def test_a_failed_export_is_reported_and_can_be_retried(scored, client_for, settings, monkeypatch):
    settings.EXPORT_SYNC_LIMIT = 3
    original = exporters.Exporter.write

    def broken(self, fmt, out, progress=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(exporters.Exporter, "write", broken)
    client = client_for(scored.lead)
    download(client, "dashboard", "pdf")
    job = ExportJob.objects.get()
    assert job.status == "failed" and "disk full" in job.error
    assert "The export failed" in client.get(job.get_absolute_url()).content.decode()
    monkeypatch.setattr(exporters.Exporter, "write", original)
    client.post(reverse("reports:export-retry", args=[job.pk]))
    job.refresh_from_db()
    assert job.status == "done" and job.error == ""
