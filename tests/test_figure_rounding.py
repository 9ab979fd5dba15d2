"""A figure of exactly x.x5 is rounded halves up the same on the page, in the chart and
in the PDF text (qa.formats.figure, the one helper); Python's float formatting rounds
81.25 to 81.2 and 12.5 to 12, which is how the chart and the PDF once disagreed with
the table under them."""

import re

from django.template import Context, Template

from qa import formats
from reports import charts, pdf


def test_figure_rounds_halves_up():
    assert formats.figure(81.25) == "81.3"
    assert formats.figure(12.5, 0) == "13"
    assert formats.figure(0.05) == "0.1"
    assert formats.figure(None) == ""


def test_chart_label_and_tooltip_agree_with_the_page():
    svg = str(charts.bars([("Follow-through", 81.25)], "Targets"))
    assert "81.3%" in svg and "81.2" not in svg
    line = str(charts.line([("Jun", "Jun 2026", 81.25, 16)], "Trend", "Score (%)", "Month"))
    assert "Jun 2026: 81.3%" in line
    page = Template("{{ v|figure:1 }}% {{ r|figure:0 }}%").render(Context({"v": 81.25, "r": 12.5}))
    assert page == "81.3% 13%"


def test_pdf_text_agrees_with_the_page():
    assert pdf.pct(81.25) == "81.3%"
    assert pdf.pct(12.5, 0) == "13%"
    assert pdf.number(81.25) == "81.3"


def test_a_full_bar_keeps_its_value_inside_the_chart():
    """Issue 14 (fresh-eye walk): the section chart clipped "100.0%" at its right edge."""
    svg = str(charts.bars([("Greeting", 100.0), ("Closing", 50.0)], "Sections"))
    x = float(re.search(r'<text x="([\d.]+)"[^>]*>100\.0%</text>', svg).group(1))
    assert x + len("100.0%") * 11 * 0.62 <= charts.WIDTH  # 11-unit digits are at most 0.62 em wide
