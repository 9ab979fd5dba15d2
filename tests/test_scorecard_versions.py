"""Published versions are frozen in the model layer; editing starts a new version."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from scorecards import services
from scorecards.models import FrozenVersionError, Item, ScorecardVersion, Section
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def published():
    return f.make_scorecard("Frozen")


def test_published_section_cannot_be_saved_or_deleted(published):
    section = published.sections.first()
    section.weight = Decimal(5)
    with pytest.raises(FrozenVersionError):
        section.save()
    with pytest.raises(FrozenVersionError):
        section.delete()
    with pytest.raises(FrozenVersionError):
        Section.objects.create(version=published, name="New", weight=1)


def test_published_item_cannot_change_by_any_route(published):
    item = Item.objects.filter(section__version=published).first()
    item.question = "Changed"
    with pytest.raises(FrozenVersionError):
        item.save()
    with pytest.raises(FrozenVersionError):
        item.delete()
    with pytest.raises(FrozenVersionError):
        Item.objects.filter(pk=item.pk).update(question="Sneaky")
    with pytest.raises(FrozenVersionError):
        Item.objects.filter(section__version=published).delete()
    with pytest.raises(FrozenVersionError):
        Section.objects.filter(version=published).update(weight=9)
    assert Item.objects.get(pk=item.pk).question != "Sneaky"


def test_item_cannot_be_moved_out_of_a_published_version(published):
    draft = services.start_new_version(published.scorecard)
    item = Item.objects.filter(section__version=published).first()
    item.section = draft.sections.first()
    with pytest.raises(FrozenVersionError):
        item.save()


def test_published_version_cannot_go_back_to_draft_or_be_deleted(published):
    published.status = ScorecardVersion.Status.DRAFT
    with pytest.raises(FrozenVersionError):
        published.save()
    published.refresh_from_db()
    with pytest.raises(FrozenVersionError):
        published.delete()


def test_retired_version_stays_readable_and_frozen(published):
    services.retire(published)
    published.refresh_from_db()
    assert published.status == ScorecardVersion.Status.RETIRED
    assert published.sections.count() == 2
    published.status = ScorecardVersion.Status.PUBLISHED
    with pytest.raises(FrozenVersionError):
        published.save()


def test_new_version_copies_the_structure_into_an_editable_draft(published):
    draft = services.start_new_version(published.scorecard)
    assert (draft.number, draft.status) == (2, ScorecardVersion.Status.DRAFT)
    original = [(i.section.name, i.question, i.weight, i.critical) for i in Item.objects.filter(section__version=published).order_by("section__order", "order")]
    copied = [(i.section.name, i.question, i.weight, i.critical) for i in Item.objects.filter(section__version=draft).order_by("section__order", "order")]
    assert copied == original
    item = Item.objects.filter(section__version=draft).first()
    item.question = "Greeted the customer warmly"
    item.save()
    assert Item.objects.filter(section__version=published, question="Greeted the customer").exists()
    # Asking again returns the same draft rather than a second one.
    assert services.start_new_version(published.scorecard) == draft


def test_publishing_a_new_version_retires_the_old_one(published):
    draft = services.start_new_version(published.scorecard)
    services.publish(draft, None)
    published.refresh_from_db()
    draft.refresh_from_db()
    assert published.status == ScorecardVersion.Status.RETIRED
    assert draft.status == ScorecardVersion.Status.PUBLISHED
    assert published.scorecard.published_version == draft


def test_only_one_draft_per_scorecard_in_the_database(published):
    services.start_new_version(published.scorecard)
    with pytest.raises(IntegrityError), transaction.atomic():
        ScorecardVersion.objects.create(scorecard=published.scorecard, number=9)


def test_publishing_refuses_an_incomplete_draft():
    version = f.make_scorecard("Empty", publish_it=False, sections=[("Courtesy", 1, [])])
    with pytest.raises(ValidationError) as exc:
        services.publish(version, None)
    assert any("has no items" in m for m in exc.value.messages)
    version.refresh_from_db()
    assert version.status == ScorecardVersion.Status.DRAFT


def test_stored_scores_survive_a_new_version(world):
    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer,
                                   dict(f.ALL_GOOD, **{"Explained the return policy": "partial"}))
    before = (evaluation.overall_score, list(evaluation.section_scores.values_list("score", flat=True)))
    draft = services.start_new_version(world.version.scorecard)
    section = draft.sections.get(name="Accuracy")
    section.weight = Decimal(10)
    section.save()
    services.publish(draft, world.admin)
    evaluation.refresh_from_db()
    assert (evaluation.overall_score, list(evaluation.section_scores.values_list("score", flat=True))) == before
    assert evaluation.version == world.version
