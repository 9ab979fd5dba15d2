"""Blind calibration is blind everywhere until the session closes, for every role including
administrators and superusers: the Django admin's lists, change pages, history pages and the
names it shows, and the administrator's home page. And employees see nothing of an interaction
(not its page, not its recording) until an evaluation of it is released to them."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qa import calibration, recordings, scoring_sessions
from qa.models import Answer, Evaluation, Interaction, PinnedComment, User
from tests import factories as f
from tests.test_calibration import score, session  # noqa: F401  (a fixture and its helper)

pytestmark = pytest.mark.django_db


def admin_pages(evaluation, answer, version_id):
    """Every admin page that shows this calibration score or a part of it."""
    return {
        "evaluation change": reverse("admin:qa_evaluation_change", args=[evaluation.pk]),
        "evaluation history": reverse("admin:qa_evaluation_history", args=[evaluation.pk]),
        "evaluation past version": reverse("admin:qa_evaluation_simple_history", args=[evaluation.pk, version_id]),
        "answer change": reverse("admin:qa_answer_change", args=[answer.pk]),
        "answer history": reverse("admin:qa_answer_history", args=[answer.pk]),
    }


def admin_lists():
    return {name: reverse(f"admin:qa_{name}_changelist") for name in
            ["evaluation", "answer", "sectionscore", "pinnedcomment", "answercorrection", "dispute"]}


@pytest.mark.parametrize("who", ["administrator", "superuser"])
def test_the_admin_is_blind_to_an_open_calibration_score(world, session, client, who):
    session, second = session
    mine = score(session, world.reviewer, **{"Greeted the caller": "no"})
    answer = Answer.objects.filter(evaluation=mine, value="no").select_related("item").get()
    pin = PinnedComment.objects.create(evaluation=mine, item=answer.item, at_seconds=Decimal("0.5"),
                                       text="Never greeted the caller", by=world.reviewer)
    version_id = mine.history.latest("history_date").history_id
    viewer = world.admin if who == "administrator" else User.objects.create_superuser(
        "root", "root@example.com", "a-long-password-1")
    client.force_login(viewer)

    for name, url in admin_pages(mine, answer, version_id).items():
        assert client.get(url).status_code in (302, 404), name  # the admin's "does not exist", or 404
    for name, url in admin_lists().items():
        html = client.get(url).content.decode()
        assert f"/{mine.pk}/change/" not in html or name != "evaluation", name
        assert f"qa/answer/{answer.pk}/change/" not in html, name
        assert f"qa/pinnedcomment/{pin.pk}/change/" not in html, name
        assert "Never greeted" not in html, name
    # Where the admin names an answer, a section score or a comment, it says nothing of its content.
    assert str(answer) == f"Answer to “{answer.item}” in evaluation #{mine.pk}"
    assert "Never greeted" not in str(pin)
    assert str(mine.section_scores.first()).endswith(f"of evaluation #{mine.pk}")

    calibration.close(session)
    for name, url in admin_pages(mine, answer, version_id).items():
        assert client.get(url).status_code == 200, name
    assert f"qa/pinnedcomment/{pin.pk}/change/" in client.get(admin_lists()["pinnedcomment"]).content.decode()


def test_the_administrators_home_lists_no_draft_and_no_open_calibration_score(world, session, client_for):
    session, second = session
    blind = score(session, world.reviewer)
    interaction = Interaction.objects.create(channel="email", location=world.location_a, employee=world.employee_a,
                                             occurred_at=timezone.now(), conversation="Hello", created_by=world.lead)
    draft, _ = scoring_sessions.start_review(interaction, session.version, world.reviewer)
    released = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                                 employee=world.employee_a)
    html = client_for(world.admin).get(reverse("home")).content.decode()
    assert reverse("evaluation-detail", args=[released.pk]) in html
    assert reverse("evaluation-detail", args=[blind.pk]) not in html
    assert reverse("evaluation-detail", args=[draft.pk]) not in html
    calibration.close(session)
    html = client_for(world.admin).get(reverse("home")).content.decode()
    assert reverse("evaluation-detail", args=[blind.pk]) in html


def test_an_employee_sees_an_interaction_and_its_recording_only_once_an_evaluation_of_it_is_released(
        world, client_for, private_media):
    version = f.make_call_scorecard(world.admin)
    call = Interaction.objects.create(channel="phone_call", location=world.location_a, employee=world.employee_a,
                                      occurred_at=timezone.now(), created_by=world.lead)
    recording = recordings.store_recording(call, SimpleUploadedFile("c.wav", recordings.wav_bytes(1)), world.lead)
    employee = client_for(world.employee)
    pages = [reverse("interaction-detail", args=[call.pk]), reverse("recording-file", args=[recording.pk])]

    assert [employee.get(url).status_code for url in pages] == [404, 404]  # nothing scored yet
    assert reverse("interaction-detail", args=[call.pk]) not in employee.get(reverse("interaction-list")).content.decode()
    draft, _ = scoring_sessions.start_review(call, version, world.reviewer)
    assert [employee.get(url).status_code for url in pages] == [404, 404]  # being scored, not released

    data = {item.pk: scoring_sessions.services.AnswerData(
        value="" if item.auto_answer else ("5" if item.answer_type == "scale_5" else "yes"), na=bool(item.auto_answer))
        for section in version.sections.all() for item in section.items.all()}
    scoring_sessions.submit_review(draft, scoring_sessions.ReviewData(answers=data), revision=None, by=world.reviewer)
    draft.refresh_from_db()
    assert draft.status == Evaluation.Status.RELEASED
    assert [employee.get(url).status_code for url in pages] == [200, 200]
    # Never another employee's, released or not.
    assert [client_for(world.other_employee).get(url).status_code for url in pages] == [404, 404]
