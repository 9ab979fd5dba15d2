"""Who may use each page of the scorecard builder, and who is refused."""

import pytest
from django.urls import reverse

from scorecards import services
from tests.conftest import PERSONAS

BUILDERS = {"admin"}
READERS = {"admin", "lead", "reviewer"}


def urls(world):
    version = world.version
    draft = services.start_new_version(version.scorecard)
    section = draft.sections.first()
    item = section.items.first()
    sc = version.scorecard.pk
    return [
        ("get", reverse("scorecards:list"), READERS),
        ("get", reverse("scorecards:detail", args=[sc]), READERS),
        ("get", reverse("scorecards:version", args=[version.pk]), READERS),
        ("get", reverse("scorecards:version-preview", args=[version.pk]), READERS),
        ("get", reverse("scorecards:create"), BUILDERS),
        ("get", reverse("scorecards:update", args=[sc]), BUILDERS),
        ("post", reverse("scorecards:new-version", args=[sc]), BUILDERS),
        ("get", reverse("scorecards:section-create", args=[draft.pk]), BUILDERS),
        ("get", reverse("scorecards:section-update", args=[section.pk]), BUILDERS),
        ("get", reverse("scorecards:section-delete", args=[section.pk]), BUILDERS),
        ("post", reverse("scorecards:section-move", args=[section.pk, "down"]), BUILDERS),
        ("get", reverse("scorecards:item-create", args=[section.pk]), BUILDERS),
        ("get", reverse("scorecards:item-update", args=[item.pk]), BUILDERS),
        ("get", reverse("scorecards:item-delete", args=[item.pk]), BUILDERS),
        ("post", reverse("scorecards:item-move", args=[item.pk, "down"]), BUILDERS),
        ("post", reverse("scorecards:version-retire", args=[version.pk]), BUILDERS),
        ("post", reverse("scorecards:version-publish", args=[draft.pk]), BUILDERS),
    ]


@pytest.mark.parametrize("persona", PERSONAS)
def test_builder_access_by_role(world, client_for, persona):
    client = client_for(world.persona(persona))
    for method, url, allowed in urls(world):
        response = getattr(client, method)(url)
        if persona == "anonymous":
            assert response.status_code == 302 and "/accounts/login/" in response["Location"], url
        elif persona in allowed:
            assert response.status_code in (200, 302), (url, response.status_code)
        else:
            assert response.status_code == 403, (persona, url, response.status_code)


@pytest.mark.parametrize("name", ["scorecards:new-version", "scorecards:version-publish", "scorecards:version-retire"])
def test_state_changes_refuse_get(world, client_for, name):
    client = client_for(world.admin)
    pk = world.version.scorecard.pk if name == "scorecards:new-version" else world.version.pk
    assert client.get(reverse(name, args=[pk])).status_code == 405


def test_unknown_objects_are_404(world, client_for):
    client = client_for(world.admin)
    assert client.get(reverse("scorecards:version", args=[99999])).status_code == 404
    assert client.get(reverse("scorecards:item-update", args=[99999])).status_code == 404
