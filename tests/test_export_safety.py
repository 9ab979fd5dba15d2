"""Exports treat every name and question an administrator can type as text: no CSV or
Excel cell (headers included) can run as a formula, and no PDF renders one as markup."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from scorecards.models import AnswerType
from tests import factories as f

pytestmark = pytest.mark.django_db

FORMULAS = ['=HYPERLINK("http://evil.example","click")', "+1+1", "-2+3", "@SUM(A1:A9)", "\t=1+1", "=cmd|' /C calc'!A0"]
MARKUP = ['<a href="http://evil.example">Link store</a>', '<img src="/etc/hostname" width="40" height="40"/>',
          "<b>Unclosed & bold", '<font name="Nope">Bad font</font>', "<para>nested</para>"]


@pytest.fixture
def planted(world):
    """Every text an administrator types that reaches a report, planted with a formula or markup."""
    world.region_a.name = FORMULAS[0]
    world.region_a.save()
    world.location_a.name = MARKUP[0]
    world.location_a.save()
    extra = [f.make_location(world.region_a, name=name) for name in MARKUP[1:]]
    world.employee_a.name = FORMULAS[3]
    world.employee_a.job_title = FORMULAS[2]
    world.employee_a.save()
    version = f.make_scorecard(FORMULAS[1], user=world.admin, sections=[
        (FORMULAS[4], 1, [
            {"question": FORMULAS[0], "answer_type": AnswerType.YES_NO, "policy_reference": MARKUP[0]},
            {"question": FORMULAS[5], "answer_type": AnswerType.YES_NO},
            {"question": MARKUP[2], "answer_type": AnswerType.YES_NO},
        ]),
    ])
    answers = {FORMULAS[0]: "no", FORMULAS[5]: "yes", MARKUP[2]: "no"}
    for location in [world.location_a] + extra:
        employee = world.employee_a if location == world.location_a else f.make_employee(location, name=FORMULAS[2])
        for _ in range(2):
            f.make_evaluation(version, location, world.reviewer, answers, employee=employee)
    return world


def assert_no_formula(value, where):
    if isinstance(value, str):
        assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), f"{where}: {value!r}"


def test_no_csv_cell_header_included_can_run_as_a_formula(planted, client_for):
    response = client_for(planted.admin).get(reverse("reports:export", args=["dashboard", "csv"]))
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert "'" + FORMULAS[0] in rows[0] and "'" + FORMULAS[5] in rows[0]  # item questions in the header
    assert len(rows) == 1 + 10
    for number, row in enumerate(rows):
        for value in row:
            assert_no_formula(value, f"CSV row {number}")


def test_no_excel_cell_in_any_sheet_can_run_as_a_formula(planted, client_for):
    content = client_for(planted.admin).get(reverse("reports:export", args=["dashboard", "xlsx"])).content
    book = load_workbook(io.BytesIO(content))
    seen = set()
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate}"
                assert_no_formula(cell.value, f"{sheet.title}!{cell.coordinate}")
                if isinstance(cell.value, str):
                    seen.add(cell.value)
    assert {"'" + FORMULAS[0], "'" + FORMULAS[5], "'" + FORMULAS[3], "'" + FORMULAS[1]} <= seen


def pdf_links_and_images(reader) -> tuple[list, list]:
    links, images = [], []
    for page in reader.pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A")
            if action is not None:
                links.append(action.get_object().get("/URI"))
        resources = page.get("/Resources") or {}
        for name, xobject in (resources.get("/XObject") or {}).items():
            if xobject.get_object().get("/Subtype") == "/Image":
                images.append(name)
    return links, images


@pytest.mark.parametrize("exporter,object_kind", [("region", "region"), ("dashboard", None), ("location", "location")])
def test_pdfs_show_typed_markup_as_text(planted, client_for, exporter, object_kind):
    client = client_for(planted.admin)
    if object_kind is None:
        url = reverse("reports:export", args=[exporter, "pdf"])
    else:
        pk = planted.region_a.pk if object_kind == "region" else planted.location_a.pk
        url = reverse("reports:export-object", args=[exporter, pk, "pdf"])
    response = client.get(url)
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    links, images = pdf_links_and_images(reader)
    assert links == [] and images == []  # no link to evil.example, no server file embedded
    text = "\n".join(page.extract_text() for page in reader.pages)
    if exporter != "location":
        assert '<a href="http://evil.example">Link store</a>' in text
    assert "<b>Unclosed & bold" in text


def test_the_region_booklet_contents_page_lists_typed_names_as_text(planted, client_for):
    url = reverse("reports:export-object", args=["region", planted.region_a.pk, "pdf"])
    reader = PdfReader(io.BytesIO(client_for(planted.admin).get(url).content))
    contents = next(page.extract_text() for page in reader.pages if page.extract_text().startswith("Contents")
                    or "\nContents" in page.extract_text())
    for name in MARKUP:
        assert name in contents
