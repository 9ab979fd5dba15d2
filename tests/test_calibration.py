"""Blind calibration: agreement figures against hand-computed cases, the blind flow,
results side by side, deviation from the lead, and scores that never count."""

import math

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qa import calibration, recordings, scoring_sessions, scoping, services
from qa.models import Evaluation, Interaction
from tests import factories as f

NAN = np.nan


def test_nominal_alpha_matches_the_hand_computation():
    # Two raters, four yes/no items: (y,y) (y,n) (n,n) (n,n) -> coincidences o_yy=2, o_yn=o_ny=1, o_nn=4;
    # n_y=3, n_n=5, n=8; alpha = 1 - (n-1) * (o_yn + o_ny) / (2 * n_y * n_n) = 1 - 7*2/30 = 8/15.
    value, note = calibration.alpha([[1, 1, 0, 0], [1, 0, 0, 0]], "nominal")
    assert math.isclose(value, 8 / 15)
    # An N/A (missing) on a fifth item changes nothing: a unit with one value is not pairable.
    assert math.isclose(calibration.alpha([[1, 1, 0, 0, 1], [1, 0, 0, 0, NAN]], "nominal")[0], 8 / 15)


def test_ordinal_alpha_matches_the_hand_computation():
    # Scale answers (5,4) (3,3) (1,2): n_1=n_2=n_4=n_5=1, n_3=2, n=6. Ordinal distances
    # d(c,k) = (sum of n_g for g from c to k - (n_c + n_k)/2)^2 give D_o = 4/6 and
    # D_e = 204/30, so alpha = 1 - (4/6)/(204/30) = 1 - 20/204 = 46/51.
    value, _ = calibration.alpha([[5, 3, 1], [4, 3, 2]], "ordinal")
    assert math.isclose(value, 46 / 51)


def test_alpha_is_not_computable_when_there_is_nothing_to_disagree_about():
    assert calibration.alpha([[1, 1], [1, 1]], "nominal") == (None, calibration.alpha([[1, 1], [1, 1]], "nominal")[1])
    assert "same" in calibration.alpha([[1, 1], [1, 1]], "nominal")[1]
    assert "two scorers" in calibration.alpha([[1, NAN], [NAN, 0]], "nominal")[1]


def test_answers_are_coded_with_na_as_missing():
    assert calibration.code("yes_no", "yes", False) == 1
    assert calibration.code("yes_partial_no", "partial", False) == 1
    assert calibration.code("scale_5", "4", False) == 4
    assert math.isnan(calibration.code("yes_no", "", True))
    assert math.isnan(calibration.code("yes_no", "", False))


@pytest.fixture
def session(world, private_media):
    version = f.make_call_scorecard(world.admin)
    interaction = Interaction.objects.create(channel="phone_call", location=world.location_a,
                                             employee=world.employee_a, occurred_at=timezone.now(),
                                             created_by=world.lead)
    recordings.store_recording(interaction, SimpleUploadedFile("c.wav", recordings.wav_bytes(1)), world.lead)
    second = f.make_user("second_reviewer", "QA reviewer")
    return calibration.create_session(interaction=interaction, version=version, lead=world.lead,
                                      reviewers=[world.reviewer, second], threshold=34), second


def score(session, user, **answers):
    evaluation, _ = scoring_sessions.start_review(session.interaction, session.version, user, calibration=session)
    data = {}
    for section in session.version.sections.all():
        for item in section.items.all():
            default = "na" if item.auto_answer else "5" if item.answer_type == "scale_5" else "yes"
            value = answers.get(item.question, default)  # not a complaint: the computed answers are N/A
            data[item.pk] = services.AnswerData(value="" if value == "na" else value, na=value == "na",
                                                comment="noted" if value == "no" else "")
    scoring_sessions.submit_review(evaluation, scoring_sessions.ReviewData(answers=data), revision=None, by=user)
    evaluation.refresh_from_db()
    return evaluation


@pytest.mark.django_db
def test_blind_until_everyone_has_scored_then_side_by_side(world, session, client_for):
    session, second = session
    mine = score(session, world.reviewer, **{"Greeted the caller": "no", "Tone": "3"})
    session.refresh_from_db()
    assert not session.is_closed
    # The other reviewer and even the lead cannot see it yet.
    assert client_for(second).get(reverse("evaluation-detail", args=[mine.pk])).status_code == 404
    assert client_for(world.lead).get(reverse("evaluation-detail", args=[mine.pk])).status_code == 404
    assert "α =" not in client_for(world.lead).get(session.get_absolute_url()).content.decode()
    score(session, second, **{"Tone": "4"})
    score(session, world.lead, **{"Tone": "5"})
    session.refresh_from_db()
    assert session.is_closed
    assert client_for(second).get(reverse("evaluation-detail", args=[mine.pk])).status_code == 200

    results = calibration.results(session)
    rows = {row.item.question: row for _s, rows, _a in results.rows_by_section for row in rows}
    greet = rows["Greeted the caller"]
    assert greet.answers == ["No", "Yes", "Yes"] and greet.disagreement == pytest.approx(33.3)
    assert not greet.flagged  # 33.3% is not above the 34% threshold
    tone = rows["Tone"]
    assert tone.spread == "3–5" and tone.disagreement == pytest.approx(66.7) and tone.flagged
    deviations = {d.evaluation.evaluator.username: d for d in results.deviations}
    assert deviations["reviewer"].differing == 2 and deviations["second_reviewer"].differing == 1
    labels = {a.label: a for a in results.overall}
    assert labels["Yes/no items (nominal)"].items == 3
    scale = labels["1-5 scales (ordinal)"]
    # A single unit: its observed disagreement is all the disagreement there is to expect, so alpha is 0.
    assert scale.items == 1 and scale.value == pytest.approx(0.0)
    html = client_for(world.reviewer).get(session.get_absolute_url()).content.decode()
    assert "Answers side by side" in html and "Above threshold" in html


@pytest.mark.django_db
def test_calibration_scores_never_count(world, session):
    session, second = session
    evaluation = score(session, world.reviewer)
    assert evaluation.status == Evaluation.Status.SUBMITTED and evaluation.is_calibration
    assert not Evaluation.objects.counted().filter(pk=evaluation.pk).exists()
    assert not scoping.evaluations_for(world.employee).filter(pk=evaluation.pk).exists()
    assert not scoping.evaluations_for(world.manager_a).filter(pk=evaluation.pk).exists()


@pytest.mark.django_db
def test_the_lead_creates_and_closes_a_session(world, session, client_for):
    session, second = session
    client = client_for(world.lead)
    response = client.post(reverse("calibration-create"), {
        "interaction": session.interaction.pk, "version": session.version.pk, "reviewers": [second.pk],
        "threshold": "25", "note": "Focus on the greeting."})
    assert response.status_code == 302
    created = session.__class__.objects.exclude(pk=session.pk).get()
    assert list(created.reviewers.all()) == [second]
    empty = client.post(reverse("calibration-create"), {"interaction": session.interaction.pk,
                                                        "version": session.version.pk, "threshold": "25"})
    assert empty.status_code == 422
    score(session, world.reviewer, **{"Tone": "2"})
    late, _ = scoring_sessions.start_review(session.interaction, session.version, second, calibration=session)
    closed = client.post(reverse("calibration-close", args=[session.pk]), follow=True)
    assert "Session closed" in closed.content.decode()
    session.refresh_from_db()
    assert session.is_closed
    page = client.get(session.get_absolute_url()).content.decode()
    assert "did not score this session" in page and "Did not score" in page
    # A draft begun before the lead closed the session is no longer taken.
    with pytest.raises(scoring_sessions.NotEditable):
        scoring_sessions.save_review(late, scoring_sessions.ReviewData(answers={}), revision=None)
    # A reviewer not invited cannot open it.
    assert client_for(f.make_user("outsider", "QA reviewer")).get(session.get_absolute_url()).status_code == 404


@pytest.mark.django_db
def test_one_blind_rule_decides_who_sees_a_calibration_score(world, session):
    """qa.calibration's rule, in its three forms, before and after the session closes."""
    session, second = session
    mine = score(session, world.reviewer)
    session.refresh_from_db()
    assert not session.is_closed
    people = {"own evaluator": world.reviewer, "other reviewer": second, "lead": world.lead,
              "administrator": world.admin, "manager": world.manager_a, "employee": world.employee}
    seen = {name: calibration.may_see_evaluation(user, mine) for name, user in people.items()}
    assert seen == {"own evaluator": True, "other reviewer": False, "lead": False, "administrator": False,
                    "manager": False, "employee": False}
    for name, user in people.items():
        # The queryset form and scoping (what every page, report and export reads) agree with it.
        assert calibration.visible_evaluations(user, Evaluation.objects.filter(pk=mine.pk)).exists() == seen[name]
        assert scoping.evaluations_for(user).filter(pk=mine.pk).exists() == seen[name]
    assert calibration.may_score(world.reviewer, mine) and not calibration.may_score(world.lead, mine)

    calibration.close(session)
    seen = {name: calibration.may_see_evaluation(user, mine) for name, user in people.items()}
    assert seen == {"own evaluator": True, "other reviewer": True, "lead": True, "administrator": True,
                    "manager": False, "employee": False}
    assert not calibration.may_score(world.lead, mine)


@pytest.mark.django_db
def test_the_admin_does_not_list_another_persons_open_calibration_score(world, session, client_for):
    session, second = session
    mine = score(session, world.reviewer)
    admin = client_for(world.admin)
    listing = admin.get(reverse("admin:qa_evaluation_changelist"))
    assert listing.status_code == 200
    assert reverse("admin:qa_evaluation_change", args=[mine.pk]) not in listing.content.decode()
    assert admin.get(reverse("admin:qa_evaluation_change", args=[mine.pk])).status_code == 302  # "does not exist"
    calibration.close(session)
    assert reverse("admin:qa_evaluation_change", args=[mine.pk]) in admin.get(
        reverse("admin:qa_evaluation_changelist")).content.decode()


@pytest.mark.django_db
def test_a_lead_starts_a_calibration_from_the_list_by_choosing_an_interaction(world, session, client_for):
    """Issue 12.11: /calibration/new/ without an interaction was a 404."""
    session, _second = session
    client = client_for(world.lead)
    listing = client.get(reverse("calibration-list")).content.decode()
    assert f'href="{reverse("calibration-create")}"' in listing
    chooser = client.get(reverse("calibration-create"))
    assert chooser.status_code == 200
    body = chooser.content.decode()
    assert f'<option value="{session.interaction.pk}">{session.interaction}' in body
    chosen = client.get(reverse("calibration-create"), {"interaction": session.interaction.pk})
    assert chosen.status_code == 200 and "Reviewers to invite" in chosen.content.decode()
    refused = client.get(reverse("calibration-create"), {"interaction": ""})
    assert refused.status_code == 400 and 'href="#id_interaction"' in refused.content.decode()
