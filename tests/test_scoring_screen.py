"""The QA reviewer's scoring screen: start from an interaction, computed answers that can be
overridden only with a reason, autosave that never overwrites a colleague, pinned comments,
release to the employee and the review task marked done."""

import html
import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qa import recordings, scoring_sessions, services
from qa.models import Evaluation, Interaction, ReviewTask
from scorecards import scoring
from scorecards.services import spec_for
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls(world, private_media):
    return f.make_call_scorecard(world.admin)


def late_billing_call(world, seconds=3.0):
    received = timezone.now() - timedelta(days=10)
    interaction = Interaction.objects.create(
        channel="phone_call", location=world.location_a, employee=world.employee_a, occurred_at=received,
        complaint_type="billing", received_at=received, acknowledged_at=received + timedelta(hours=30),
        resolved_at=received + timedelta(hours=30), created_by=world.reviewer)
    recordings.store_recording(interaction, SimpleUploadedFile("c.wav", recordings.wav_bytes(seconds)), world.reviewer)
    return interaction


def items(version):
    return {item.question: item for section in version.sections.all() for item in section.items.all()}


def form_data(evaluation, **answers):
    """A full POST of the scoring form: computed answers kept, every other item 'yes'
    (scale 5), unless given."""
    data = {"revision": evaluation.revision, "comments": "Good call overall."}
    computed = {a.item_id: a for a in evaluation.answers.exclude(auto_note="")}
    for section in evaluation.version.sections.all():
        for item in section.items.all():
            default = "5" if item.answer_type == "scale_5" else "yes"
            if item.pk in computed:
                default = computed[item.pk].auto_value
                if computed[item.pk].auto_na:
                    data[f"na_{item.pk}"] = "on"
            data[f"item_{item.pk}"] = answers.get(item.question, default)
    return data


def test_starting_a_review_fills_in_what_the_times_answer(world, calls, client_for):
    interaction = late_billing_call(world)
    client = client_for(world.reviewer)
    response = client.post(reverse("scoring-start", args=[interaction.pk]), {"version": calls.pk})
    evaluation = Evaluation.objects.get(interaction=interaction)
    assert response["Location"] == reverse("evaluation-score", args=[evaluation.pk])
    detail = client.get(interaction.get_absolute_url()).content.decode()
    title = detail.split("<title>")[1].split("</title>")[0]
    assert "<" not in title and "Continue scoring" in detail
    auto = {a.item.question: a for a in evaluation.answers.select_related("item")}
    assert auto["Acknowledged in time"].value == "no"
    assert "limit 24 hours" in auto["Acknowledged in time"].auto_note
    assert auto["Resolved in time"].value == "yes"
    page = client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert reverse("recording-file", args=[interaction.recording.pk]) in html
    assert "Acknowledged after 30 hours" in html
    assert 'data-player="forward"' in html and 'value="0.75"' in html and 'value="2"' in html
    # Starting again opens the same draft instead of a second evaluation.
    client.post(reverse("scoring-start", args=[interaction.pk]), {"version": calls.pk})
    assert Evaluation.objects.filter(interaction=interaction).count() == 1


def test_an_override_needs_a_reason_and_nothing_typed_is_lost(world, calls, client_for):
    interaction = late_billing_call(world)
    evaluation, _ = scoring_sessions.start_review(interaction, calls, world.reviewer)
    client = client_for(world.reviewer)
    ack = items(calls)["Acknowledged in time"]
    data = form_data(evaluation, **{"Acknowledged in time": "yes"})
    data["comments"] = "Typed with care."
    response = client.post(reverse("evaluation-score", args=[evaluation.pk]), dict(data, action="submit"))
    assert response.status_code == 422
    html = response.content.decode()
    assert "say why" in html and "Typed with care." in html
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT
    assert evaluation.answers.get(item=ack).value == "yes"  # the draft was saved all the same
    data = form_data(evaluation, **{"Acknowledged in time": "yes"})
    data[f"override_{ack.pk}"] = "The e-mail log shows a reply after 2 hours; the CRM time is wrong."
    response = release_confirmed(client, evaluation, dict(data, action="submit"))
    assert response.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.RELEASED
    answer = evaluation.answers.get(item=ack)
    assert answer.overridden and answer.auto_value == "no" and "CRM" in answer.override_reason
    assert evaluation.overall_score == 100


def test_two_reviewers_saving_the_same_draft_never_overwrite_each_other(world, calls, client_for):
    interaction = late_billing_call(world)
    evaluation, _ = scoring_sessions.start_review(interaction, calls, world.reviewer)
    greet = items(calls)["Greeted the caller"]
    opened_at = evaluation.revision
    first = client_for(world.reviewer).post(reverse("evaluation-autosave", args=[evaluation.pk]),
                                            form_data(evaluation, **{"Greeted the caller": "no"}),
                                            HTTP_ACCEPT="application/json")
    assert first.status_code == 200 and first.json()["revision"] == opened_at + 1
    stale = dict(form_data(evaluation, **{"Greeted the caller": "yes"}), revision=opened_at)
    second = client_for(world.lead).post(reverse("evaluation-autosave", args=[evaluation.pk]), stale,
                                         HTTP_ACCEPT="application/json")
    assert second.status_code == 409
    assert "reviewer saved this evaluation" in second.json()["error"]
    assert evaluation.answers.get(item=greet).value == "no"
    # The same through the page without script: told, shown their own answers, nothing overwritten.
    page = client_for(world.lead).post(reverse("evaluation-score", args=[evaluation.pk]), dict(stale, action="save"))
    assert page.status_code == 409
    assert 'id="conflict"' in page.content.decode()
    assert evaluation.answers.get(item=greet).value == "no"


def test_pinned_comments_are_kept_in_order_and_checked(world, calls, client_for):
    interaction = late_billing_call(world, seconds=3.0)
    evaluation, _ = scoring_sessions.start_review(interaction, calls, world.reviewer)
    client = client_for(world.reviewer)
    url = reverse("pin-create", args=[evaluation.pk])
    greet = items(calls)["Greeted the caller"]
    later = client.post(url, {"at_seconds": "2.5", "text": "Put on hold without asking", "item": ""},
                        HTTP_ACCEPT="application/json")
    assert later.status_code == 201 and later.json()["moment"] == "0:02"
    early = client.post(url, {"at_seconds": "0.5", "text": "No greeting", "item": greet.pk},
                        HTTP_ACCEPT="application/json")
    assert early.json()["item_question"] == "Greeted the caller"
    too_late = client.post(url, {"at_seconds": "60", "text": "?"}, HTTP_ACCEPT="application/json")
    assert too_late.status_code == 422 and "after the end" in too_late.json()["error"]
    other_item = f.make_scorecard().sections.first().items.first()
    foreign = client.post(url, {"at_seconds": "1", "text": "x", "item": other_item.pk}, HTTP_ACCEPT="application/json")
    assert foreign.status_code == 422
    assert [p.text for p in evaluation.pins.all()] == ["No greeting", "Put on hold without asking"]


def test_release_shows_the_pins_to_the_employee_and_closes_the_task(world, calls, client_for):
    interaction = late_billing_call(world)
    task = ReviewTask.objects.create(interaction=interaction, reviewer=world.reviewer)
    evaluation, _ = scoring_sessions.start_review(interaction, calls, world.reviewer)
    greet = items(calls)["Greeted the caller"]
    scoring_sessions.pin_comment(evaluation, at_seconds=1.25, text="Started with the account number, no greeting",
                          item_id=greet.pk, by=world.reviewer)
    data = form_data(evaluation, **{"Greeted the caller": "no"})
    data[f"comment_{greet.pk}"] = "No greeting; see the pinned moment."
    response = release_confirmed(client_for(world.reviewer), evaluation, dict(data, action="submit"))
    assert response.status_code == 302, re.findall(r"invalid-feedback.{0,300}", response.content.decode(), re.S)
    task.refresh_from_db()
    assert task.status == ReviewTask.Status.DONE
    page = client_for(world.employee).get(reverse("evaluation-detail", args=[evaluation.pk]))
    html = page.content.decode()
    assert page.status_code == 200
    assert 'data-seek="1.25"' in html and f'data-item="{greet.pk}"' in html
    assert "Started with the account number" in html
    assert reverse("recording-file", args=[interaction.recording.pk]) in html
    # Once released the screen is closed for edits.
    closed = client_for(world.reviewer).get(reverse("evaluation-score", args=[evaluation.pk]))
    assert closed.status_code == 302 and closed["Location"] == evaluation.get_absolute_url()
    assert client_for(world.reviewer).post(reverse("scoring-start", args=[interaction.pk]),
                                           {"version": calls.pk}).status_code == 302
    assert Evaluation.objects.filter(interaction=interaction).count() == 1


def test_text_channels_show_the_conversation_instead_of_a_player(world, calls, client_for):
    chat = Interaction.objects.create(channel="phone_call", location=world.location_a, employee=world.employee_a,
                                      occurred_at=timezone.now(), conversation="Customer: <b>hello</b>",
                                      created_by=world.reviewer)
    evaluation, _ = scoring_sessions.start_review(chat, calls, world.reviewer)
    html = client_for(world.reviewer).get(reverse("evaluation-score", args=[evaluation.pk])).content.decode()
    assert "Customer: &lt;b&gt;hello&lt;/b&gt;" in html
    assert 'id="player"' not in html


def test_other_people_cannot_score(world, calls, client_for):
    interaction = late_billing_call(world)
    evaluation, _ = scoring_sessions.start_review(interaction, calls, world.reviewer)
    for persona in (world.employee, world.manager_a, world.shopper):
        client = client_for(persona)
        assert client.get(reverse("evaluation-score", args=[evaluation.pk])).status_code == 403
        assert client.post(reverse("evaluation-autosave", args=[evaluation.pk]), {}).status_code == 403


def release_confirmed(client, evaluation, data):
    """Submit for release, then press "Yes, release it" on the confirmation page with what it holds."""
    page = client.post(reverse("evaluation-score", args=[evaluation.pk]), data)
    if page.status_code != 200 or "Yes, release it" not in page.content.decode():
        return page
    form = page.content.decode().split('<form method="post" action="' + reverse("evaluation-score", args=[evaluation.pk]))[1]
    fields = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form.split("</form>")[0]):
        fields.setdefault(name, []).append(html.unescape(value))
    return client.post(reverse("evaluation-score", args=[evaluation.pk]), dict(fields, action="submit"))


def test_release_asks_for_confirmation_showing_the_score_and_nothing_is_released_before(world, calls, client_for):
    """Issue 12.13: no confirmation before release."""
    interaction = late_billing_call(world)
    evaluation, _ = scoring_sessions.start_review(interaction, calls, world.reviewer)
    data = form_data(evaluation, **{"Acknowledged in time": "no"})
    client = client_for(world.reviewer)
    page = client.post(reverse("evaluation-score", args=[evaluation.pk]), dict(data, action="submit"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "Release the evaluation of" in body and "Yes, release it" in body and "Back to scoring" in body
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.DRAFT
    running = scoring_sessions.running_score(evaluation)
    assert f"{running['overall']}%" in body
    data = form_data(evaluation, **{"Acknowledged in time": "no"})  # the draft was saved: its new revision
    assert release_confirmed(client, evaluation, dict(data, action="submit")).status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.RELEASED
    assert f"{evaluation.overall_score:.1f}" == running["overall"]


def test_the_running_score_is_the_engines_and_comes_back_with_each_autosave(world, calls, client_for):
    """Issue 12.13: no running score while scoring. The server's engine computes it (written once)."""
    interaction = late_billing_call(world)
    evaluation, _ = scoring_sessions.start_review(interaction, calls, world.reviewer)
    client = client_for(world.reviewer)
    page = client.get(reverse("evaluation-score", args=[evaluation.pk])).content.decode()
    assert 'id="running-score"' in page and "Score so far" in page
    data = form_data(evaluation, **{"Greeted the caller": "no"})
    saved = client.post(reverse("evaluation-autosave", args=[evaluation.pk]), data, HTTP_ACCEPT="application/json")
    score = saved.json()["score"]
    evaluation.refresh_from_db()
    answers = services.engine_answers(services.stored_answers(evaluation))
    expected = scoring.score(spec_for(calls), {k: v for k, v in answers.items() if not v.is_blank})
    assert score["overall"] == (None if expected.overall is None else f"{expected.overall:.1f}")
    assert score["answered"] == sum(1 for v in answers.values() if not v.is_blank) and score["of"] >= score["answered"]


def test_a_conflict_names_the_other_person_keeps_the_answers_and_lets_them_keep_theirs(world, calls, client_for):
    """Issue 12.13: the message named the reviewer's own login and told them to retype everything."""
    world.lead.first_name, world.lead.last_name = "Lena", "Lead"
    world.lead.save()
    interaction = late_billing_call(world)
    evaluation, _ = scoring_sessions.start_review(interaction, calls, world.reviewer)
    greet = items(calls)["Greeted the caller"]
    opened_at = evaluation.revision
    client_for(world.lead).post(reverse("evaluation-autosave", args=[evaluation.pk]),
                                form_data(evaluation, **{"Greeted the caller": "no"}), HTTP_ACCEPT="application/json")
    stale = dict(form_data(evaluation, **{"Greeted the caller": "yes"}), revision=opened_at)
    reviewer = client_for(world.reviewer)
    refused = reviewer.post(reverse("evaluation-autosave", args=[evaluation.pk]), stale, HTTP_ACCEPT="application/json")
    assert refused.status_code == 409
    message = refused.json()["error"]
    assert "Lena Lead saved this evaluation" in message and "reviewer" not in message
    assert "again" not in message and "Your answers on this page are kept" in message
    page = reviewer.post(reverse("evaluation-score", args=[evaluation.pk]), dict(stale, action="save"))
    body = page.content.decode()
    assert page.status_code == 409 and "Keep my answers" in body and "Load the saved answers instead" in body
    assert "Greeted the caller: saved “No”, yours “Yes”" in body
    assert f'name="revision" value="{refused.json()["revision"]}"' in body
    # Keeping them saves them over the other save, knowingly.
    kept = reviewer.post(reverse("evaluation-score", args=[evaluation.pk]),
                         dict(stale, revision=refused.json()["revision"], action="save"))
    assert kept.status_code == 302 and evaluation.answers.get(item=greet).value == "yes"
    # Their own save in another tab is called that, not named as someone else.
    again = reviewer.post(reverse("evaluation-autosave", args=[evaluation.pk]), stale, HTTP_ACCEPT="application/json")
    assert again.status_code == 409 and "You saved this evaluation in another tab" in again.json()["error"]


def test_a_submit_right_after_an_autosave_goes_through_with_the_revision_it_returned(world, calls, client_for):
    """Issue 14 (fresh-eye walk): a submit right after an autosave was told of a save "in another tab".
    The page takes the revision the autosave returns (static/js/score.js); a save from another tab made
    after that still conflicts."""
    interaction = late_billing_call(world)
    evaluation, _ = scoring_sessions.start_review(interaction, calls, world.reviewer)
    client = client_for(world.reviewer)
    url = reverse("evaluation-score", args=[evaluation.pk])
    autosave = reverse("evaluation-autosave", args=[evaluation.pk])
    data = form_data(evaluation)
    saved = client.post(autosave, data, HTTP_ACCEPT="application/json")
    assert saved.status_code == 200 and saved.json()["revision"] == evaluation.revision + 1
    data["revision"] = saved.json()["revision"]
    # Another tab saves after this page's autosave: the page's revision is now stale.
    other = client.post(autosave, data, HTTP_ACCEPT="application/json")
    stale = client.post(url, dict(data, action="submit", confirm="1"))
    assert stale.status_code == 409 and "You saved this evaluation in another tab" in stale.content.decode()
    # With the revision that save returned, the submit goes through.
    released = client.post(url, dict(data, revision=other.json()["revision"], action="submit", confirm="1"))
    assert released.status_code == 302
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.RELEASED
