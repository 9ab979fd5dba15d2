"""The report's Filters panel, as the rendered page shows it: every field the filter set
defines is there, keeps its value after Apply, and narrows the figures."""

import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

DASHBOARD_FIELDS = ["date_from", "date_to", "location", "employee", "scorecard", "channel", "source", "region", "period"]


def field_names(html: str) -> list[str]:
    form = html[html.index("<details"):html.index("</details>")]
    return re.findall(r'<(?:input|select)[^>]*\bname="([a-z_]+)"', form)


def test_the_dashboard_panel_offers_every_filter(scored, client_for):
    html = client_for(scored.manager_a).get(reverse("reports:dashboard")).content.decode()
    assert sorted(field_names(html)) == sorted(DASHBOARD_FIELDS)
    assert 'type="date"' in html  # date pickers, not free text
    assert "Store A" in html[html.index("<details"):] and "Store B" not in html  # choices scoped to the reach


def test_a_location_page_offers_every_filter_but_the_place_it_is(scored, client_for):
    url = reverse("reports:location", args=[scored.location_a.pk])
    names = field_names(client_for(scored.manager_a).get(url).content.decode())
    assert sorted(names) == sorted(set(DASHBOARD_FIELDS) - {"region", "location"})


def test_an_employee_page_offers_dates_scorecard_channel_source_and_period(scored, client_for):
    url = reverse("reports:employee", args=[scored.employee_a.pk])
    names = field_names(client_for(scored.manager_a).get(url).content.decode())
    assert sorted(names) == sorted(set(DASHBOARD_FIELDS) - {"region", "location", "employee"})


def test_applied_filters_are_kept_in_the_panel_and_narrow_the_figures(scored, client_for):
    from qa.models import Evaluation

    newest = Evaluation.objects.filter(location=scored.location_a).order_by("-interaction_at").first()
    Evaluation.objects.filter(pk=newest.pk).update(interaction_at=newest.interaction_at.replace(year=2025))
    response = client_for(scored.manager_a).get(reverse("reports:dashboard"), {
        "date_from": "2026-01-01", "location": scored.location_a.pk, "period": "week"})
    html = response.content.decode()
    panel = html[html.index("<details"):html.index("</details>")]
    assert "<details class=\"mb-3\" open>" in html  # open while filters are in use
    assert 'value="2026-01-01"' in panel
    assert re.search(rf'<option value="{scored.location_a.pk}" selected>', panel)
    assert re.search(r'<option value="week" selected>', panel)
    assert response.context["data"].summary["count"] == 5
    assert '<div class="fs-4 score" data-figure="count">5</div>' in html
    assert "From: 1 Jan 2026" in html  # the filters in use, with the date as every date is shown


def test_a_reversed_date_range_is_refused_on_the_to_field_not_shown_as_an_empty_period(scored, client_for):
    client = client_for(scored.manager_a)
    response = client.get(reverse("reports:dashboard"), {"date_from": "2026-03-01", "date_to": "2026-02-01"})
    html = response.content.decode()
    panel = html[html.index("<details"):html.index("</details>")]
    assert response.status_code == 400
    assert "The last day (1 Feb 2026) comes before the first (1 Mar 2026)" in panel
    assert "error-summary" in panel and "<details class=\"mb-3\" open>" in html
    assert 'value="2026-03-01"' in panel and 'value="2026-02-01"' in panel  # what was typed is kept
    assert response.context["data"].summary["count"] == 0  # nothing counted for a range that is not one
    # Only the panel and why nothing is shown: no figures, empty-state advice, downloads or plan tables.
    assert "Nothing is shown until the filters above are corrected." in html
    assert "data-subscribe" not in html and "Download" not in html and "Widen the dates" not in html
    entity = client.get(reverse("reports:location", args=[scored.location_a.pk]),
                        {"date_from": "2026-03-01", "date_to": "2026-02-01"})
    assert entity.status_code == 400 and "Nothing is shown until" in entity.content.decode()
    same_day = client.get(reverse("reports:dashboard"), {"date_from": "2026-02-01", "date_to": "2026-02-01"})
    assert "comes before the first" not in same_day.content.decode()


def test_the_evaluation_list_refuses_a_reversed_range_too(scored, client_for):
    html = client_for(scored.manager_a).get(reverse("evaluation-list"), {
        "date_from": "2026-03-01", "date_to": "2026-02-01"}).content.decode()
    assert "comes before the first" in html


def test_a_location_page_shows_the_policy_targets_as_its_pdf_and_excel_do(scored, client_for):
    html = client_for(scored.manager_a).get(reverse("reports:location", args=[scored.location_a.pk])).content.decode()
    assert "Policy targets" in html
    assert "n = " in html  # each target with its sample size
