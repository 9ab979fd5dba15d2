"""A ranking links a location's name only for those who may open that location's report:
an employee's dashboard once linked to a location page that answered 404."""

from django.urls import reverse


def test_an_employee_sees_location_names_without_links_to_pages_they_cannot_open(scored, client_for):
    location_page = reverse("reports:location", args=[scored.location_a.pk])
    page = client_for(scored.employee).get(reverse("reports:dashboard")).content.decode()
    assert "Store A" in page
    assert location_page not in page
    assert client_for(scored.employee).get(location_page).status_code == 404


def test_a_manager_follows_a_location_name_to_its_report(scored, client_for):
    location_page = reverse("reports:location", args=[scored.location_a.pk])
    page = client_for(scored.manager_a).get(reverse("reports:dashboard")).content.decode()
    assert location_page in page
    assert client_for(scored.manager_a).get(location_page).status_code == 200
