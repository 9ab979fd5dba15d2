"""The evaluation list's filter says "All" for a choice left empty, and offers a status only
to people who see evaluations other than released ones."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_empty_choices_say_all(world, client_for):
    body = client_for(world.lead).get(reverse("evaluation-list")).content.decode()
    assert "---------" not in body
    assert body.count('<option value="" selected>All</option>') >= 5


@pytest.mark.parametrize("persona,has_status", [("lead", True), ("reviewer", True), ("manager_a", False),
                                                 ("employee", False)])
def test_status_is_offered_only_to_those_who_see_unreleased_evaluations(world, client_for, persona, has_status):
    response = client_for(getattr(world, persona)).get(reverse("evaluation-list"))
    assert ("status" in response.context["filter"].form.fields) is has_status
    assert ('name="status"' in response.content.decode()) is has_status
