"""Charts carry titled axes with units and period labels on the page, in the PDF and in
the Excel workbook (the same series, the same axis titles); the ranking's region
column shows each row's own region, computed over that whole region."""

import io
import re
import zipfile

import pytest
from django.urls import reverse
from pypdf import PdfReader

from qa.models import Evaluation
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def months(scored):
    """Region A's evaluations spread over three months, so the trend has a line."""
    for n, evaluation in enumerate(Evaluation.objects.filter(location=scored.location_a).order_by("pk")):
        Evaluation.objects.filter(pk=evaluation.pk).update(interaction_at=f"2026-0{7 + n % 3}-15T10:00:00Z")
    return scored


def test_the_page_trend_chart_has_titled_axes_and_labelled_periods(months, client_for):
    html = client_for(months.manager_a).get(reverse("reports:dashboard")).content.decode()
    chart = html[html.index('aria-label="Average score by month"'):]
    chart = chart[:chart.index("</svg>")]
    assert 'class="chart-axis-title">Score (%)<' in chart and 'class="chart-axis-title">Month<' in chart
    assert re.findall(r'class="chart-tick">([^<]+)<', chart) == ["0", "50", "100"]
    assert re.findall(r'class="chart-period">([^<]+)<', chart) == ["Jul 2026", "Aug 2026", "Sep 2026"]
    assert len(re.findall(r"<title>\w{3} 2026: [\d.]+% \(n = 2\)</title>", chart)) == 3


def test_the_pdf_charts_name_their_axes(months, client_for):
    content = client_for(months.manager_a).get(reverse("reports:export", args=["dashboard", "pdf"])).content
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    trend = text[text.index("Trend by month"):text.index("Score by section")]
    assert "Score (%)" in trend and "Month" in trend
    assert all(label in trend for label in ("Jul 2026", "Aug 2026", "Sep 2026"))
    sections = text[text.index("Score by section"):]
    assert "Score (%)" in sections


def test_the_excel_charts_match_the_page(months, client_for):
    content = client_for(months.manager_a).get(reverse("reports:export", args=["dashboard", "xlsx"])).content
    archive = zipfile.ZipFile(io.BytesIO(content))
    charts = [archive.read(name).decode() for name in sorted(archive.namelist()) if name.startswith("xl/charts/chart")]
    trend = next(c for c in charts if "Average score by month" in c)
    assert "<a:t>Score (%)</a:t>" in trend and "<a:t>Month</a:t>" in trend
    assert "'Summary'!$B$" in trend and "'Summary'!$A$" in trend  # series: the averages, by the periods' names
    assert trend.count('<delete val="0"/>') == 2  # both axes drawn
    sections = next(c for c in charts if "Average score by section" in c)
    assert "Score (%)" in sections


def test_each_ranking_row_shows_its_own_regions_average(scored, client_for):
    html = client_for(scored.lead).get(reverse("reports:dashboard")).content.decode()
    cells = re.findall(r"<td[^>]*data-region-average>([^<]+)</td>", html)
    # Locations: Store A (Region A, 77.8%) and Store B (Region B, 100%); employees likewise.
    assert sorted(set(cells)) == ["Region A 77.8%", "Region B 100.0%"]


def test_one_region_is_said_once_not_repeated_on_every_row(scored, client_for):
    html = client_for(scored.manager_a).get(reverse("reports:dashboard")).content.decode()
    assert re.findall(r"<td[^>]*data-region-average>", html) == []
    assert "All in Region A region · region average 77.8%" in html


def test_a_chosen_location_does_not_pass_its_own_average_off_as_the_regions(scored, client_for):
    second = f.make_location(scored.region_a, name="Store A2")
    f.make_evaluation(scored.version, second, scored.reviewer, {**f.ALL_GOOD, "Never argued": "no"})
    response = client_for(scored.lead).get(reverse("reports:dashboard"), {"location": scored.location_a.pk})
    # Region A: (4 x 100 + 66.67 + 0 + 0) / 7 = 66.7, not Store A's own 77.8.
    assert float(response.context["data"].locations[0]["region_average"]) == pytest.approx(66.667, abs=0.01)
    assert "region average 66.7%" in response.content.decode()
