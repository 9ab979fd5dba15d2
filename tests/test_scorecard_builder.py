"""Building a scorecard in the browser's forms: from nothing to a published version."""

import pytest
from django.urls import reverse

from scorecards.models import Item, Scorecard, ScorecardVersion, Section
from scorecards.services import start_new_version

pytestmark = pytest.mark.django_db


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


def test_build_and_publish_a_scorecard(world, client_for):
    client = client_for(world.admin)
    response = client.post(reverse("scorecards:create"), {"name": "Returns desk", "channel": "store_visit"}, follow=True)
    scorecard = Scorecard.objects.get(name="Returns desk")
    draft = scorecard.draft_version
    assert "Scorecard created" in " ".join(messages_of(response))

    response = client.post(reverse("scorecards:version-publish", args=[draft.pk]), follow=True)
    assert "Add at least one section." in messages_of(response)

    client.post(reverse("scorecards:section-create", args=[draft.pk]), {"name": "Courtesy", "weight": "2"})
    client.post(reverse("scorecards:section-create", args=[draft.pk]), {"name": "Accuracy", "weight": "1"})
    courtesy, accuracy = draft.sections.order_by("order")
    client.post(reverse("scorecards:item-create", args=[courtesy.pk]), {
        "question": "Greeted you as if happy to see you", "answer_type": "yes_no", "weight": "1",
        "number_direction": "lower",
    })
    response = client.post(reverse("scorecards:item-create", args=[accuracy.pk]), {
        "question": "Rings before answering", "answer_type": "number", "weight": "1", "number_unit": "rings",
        "number_direction": "lower", "limit_1": "1", "score_1": "100", "limit_2": "3", "score_2": "75",
    })
    assert response.status_code == 302
    assert Item.objects.get(question="Rings before answering").thresholds == [
        {"limit": 1, "score": 100}, {"limit": 3, "score": 75},
    ]
    client.post(reverse("scorecards:section-move", args=[accuracy.pk, "up"]))
    assert list(draft.sections.order_by("order").values_list("name", flat=True)) == ["Accuracy", "Courtesy"]

    preview = client.get(reverse("scorecards:version-preview", args=[draft.pk]))
    assert b"Greeted you as if happy to see you" in preview.content
    assert b"up to 1 rings" in preview.content

    # Publishing asks first (issue 12.13): nothing is published before "Yes, publish it".
    response = client.post(reverse("scorecards:version-publish", args=[draft.pk]))
    assert response.status_code == 200 and "Yes, publish it" in response.content.decode()
    assert "frozen" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == ScorecardVersion.Status.DRAFT
    response = client.post(reverse("scorecards:version-publish", args=[draft.pk]), {"confirm": "1"}, follow=True)
    draft.refresh_from_db()
    assert draft.status == ScorecardVersion.Status.PUBLISHED
    assert draft.published_by == world.admin
    assert any("published and frozen" in m for m in messages_of(response))


def test_weight_and_threshold_mistakes_get_clear_messages_and_keep_input(world, client_for):
    client = client_for(world.admin)
    draft = start_new_version(world.version.scorecard)
    response = client.post(reverse("scorecards:section-create", args=[draft.pk]), {"name": "Transparency", "weight": "0"})
    assert response.status_code == 200
    assert "A weight must be greater than zero." in response.content.decode()
    assert 'value="Transparency"' in response.content.decode()

    response = client.post(reverse("scorecards:section-create", args=[draft.pk]), {"name": "courtesy", "weight": "1"})
    assert "already has a section called" in response.content.decode()

    section = draft.sections.first()
    response = client.post(reverse("scorecards:item-create", args=[section.pk]), {
        "question": "Hours to acknowledge", "answer_type": "number", "weight": "1", "number_direction": "lower",
        "limit_1": "24", "score_1": "50", "limit_2": "48", "score_2": "100",
    })
    body = response.content.decode()
    assert response.status_code == 200
    assert "a worse answer would get a better score" in body
    assert 'value="Hours to acknowledge"' in body
    response = client.post(reverse("scorecards:item-create", args=[section.pk]), {
        "question": "Notes", "answer_type": "text", "weight": "1", "critical": "on", "number_direction": "lower",
    })
    assert "cannot be critical" in response.content.decode()
    response = client.post(reverse("scorecards:item-create", args=[section.pk]), {
        "question": "Rings", "answer_type": "number", "weight": "1", "number_direction": "lower", "limit_1": "3",
    })
    assert "Give both a limit and a score" in response.content.decode()


def test_a_published_version_cannot_be_edited_through_the_builder(world, client_for):
    client = client_for(world.admin)
    section = world.version.sections.first()
    response = client.post(reverse("scorecards:section-update", args=[section.pk]), {"name": "Renamed", "weight": "3"}, follow=True)
    assert any("cannot be changed" in m for m in messages_of(response))
    assert Section.objects.get(pk=section.pk).name == section.name
    response = client.post(reverse("scorecards:item-delete", args=[section.items.first().pk]), follow=True)
    assert section.items.count() == 2


def test_new_version_retire_and_delete_in_a_draft(world, client_for):
    client = client_for(world.admin)
    scorecard = world.version.scorecard
    response = client.post(reverse("scorecards:new-version", args=[scorecard.pk]), follow=True)
    draft = scorecard.draft_version
    assert draft.number == 2
    assert any("Draft v2 started" in m for m in messages_of(response))
    item = Item.objects.filter(section__version=draft).first()
    client.post(reverse("scorecards:item-delete", args=[item.pk]))
    assert not Item.objects.filter(pk=item.pk).exists()
    client.post(reverse("scorecards:version-retire", args=[world.version.pk]))
    world.version.refresh_from_db()
    assert world.version.status == ScorecardVersion.Status.RETIRED
    # Retired versions stay readable.
    assert client.get(reverse("scorecards:version", args=[world.version.pk])).status_code == 200


def test_empty_list_says_what_to_do(db, client_for):
    from qa import roles
    from tests import factories as f

    client = client_for(f.make_user("solo_reviewer", roles.QA_REVIEWER))
    response = client.get(reverse("scorecards:list"))
    assert response.status_code == 200
    assert "No scorecards yet" in response.content.decode()
    assert "load_default_scorecards" in response.content.decode()


def test_an_eleventh_section_is_refused_with_the_name_kept(world, client_for):
    from scorecards.models import MAX_SECTIONS
    from scorecards.services import publication_problems

    client = client_for(world.admin)
    draft = start_new_version(world.version.scorecard)
    for n in range(draft.sections.count(), MAX_SECTIONS):
        Section.objects.create(version=draft, name=f"Extra {n}", order=100 + n)
    response = client.post(reverse("scorecards:section-create", args=[draft.pk]), {"name": "Empathy", "weight": "1"})
    assert response.status_code == 200
    page = response.content.decode()
    assert f"at most {MAX_SECTIONS} sections" in page and 'value="Empathy"' in page
    assert draft.sections.count() == MAX_SECTIONS
    Section.objects.create(version=draft, name="Past the limit", order=999)  # as the admin site could
    assert any(f"at most {MAX_SECTIONS} sections" in p for p in publication_problems(draft))
