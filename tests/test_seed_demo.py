"""The demo data command: realistic, complete, and never duplicated."""

import pytest
from django.core.management import call_command
from django.db.models import Avg, Count

from qa import roles
from qa.models import Evaluation, SectionScore, User
from scorecards.models import Item, Scorecard, ScorecardVersion
from shops.models import Employee, Location, Region

pytestmark = pytest.mark.django_db


def counts():
    return {
        model.__name__: model.objects.count()
        for model in (Region, Location, Employee, User, Scorecard, ScorecardVersion, Item, Evaluation, SectionScore)
    }


def test_the_demo(client, capsys):
    """The demo is seeded once for all its checks (it takes half a minute), then seeded again: nothing doubles."""
    call_command("seed_demo")
    has_one_login_per_role_that_works(client)
    scores_differ_between_locations_and_cover_six_months()
    employee_hears_a_reviewed_call_and_the_lead_has_a_calibration_to_run(client)
    loads_a_realistic_organisation_once(capsys)


def loads_a_realistic_organisation_once(capsys):
    first = counts()
    output = capsys.readouterr().out
    assert first["Region"] == 3
    assert 10 <= first["Location"] <= 14
    assert 50 <= first["Employee"] <= 70
    assert first["Scorecard"] >= 3
    assert 200 <= first["Evaluation"] <= 600
    for username in ("admin", "lead", "reviewer", "shopper", "manager", "employee"):
        assert username in output
    assert "service-first-2026" in output

    call_command("seed_demo")  # again
    assert counts() == first
    assert "nothing duplicated" in capsys.readouterr().out


def has_one_login_per_role_that_works(client):
    for role in (roles.ADMINISTRATOR, roles.QA_LEAD, roles.QA_REVIEWER, roles.SHOPPER, roles.MANAGER, roles.EMPLOYEE):
        assert User.objects.filter(groups__name=role).exists(), role
    response = client.post("/accounts/login/", {"username": "manager", "password": "service-first-2026"})
    assert response.status_code == 302 and client.get("/").status_code == 200
    manager = User.objects.get(username="manager")
    assert manager.regions.exists()
    assert Employee.objects.get(user__username="employee").location.region in manager.regions.all()


def scores_differ_between_locations_and_cover_six_months():
    averages = list(
        Evaluation.objects.counted().values("location").annotate(avg=Avg("overall_score"), n=Count("pk"))
        .values_list("avg", flat=True)
    )
    assert max(averages) - min(averages) > 15
    dates = Evaluation.objects.values_list("interaction_at", flat=True)
    assert (max(dates) - min(dates)).days > 150
    assert Evaluation.objects.filter(status=Evaluation.Status.SUBMITTED).exists()
    # Issue 14: the demo's calls have transcripts (from the script their audio was made from) and automatic
    # evaluations, and the reviewed call was checked before its review, so the trust page has pairs.
    from autoqa.models import ItemReview, Transcript

    reviewed = Transcript.objects.get(interaction__customer_reference="CALL-3990")
    assert reviewed.status == Transcript.Status.DONE and "[number]" in reviewed.text and "4 4 1 9" not in reviewed.text
    automatic = Evaluation.objects.filter(source=Evaluation.Source.AUTOMATIC)
    assert automatic.filter(interaction__recording__isnull=False).count() == 4
    pairs = ItemReview.objects.filter(interaction=reviewed.interaction)
    assert pairs.count() >= 5
    greeting = pairs.get(rule__question__startswith="Greeted the caller")
    assert (greeting.suggested_value, greeting.final_value) == ("no", "no")
    assert Evaluation.objects.filter(critical_failed=True).exists()
    # Issue 15: a demo plan links only evaluations from before it was opened, and says "Critical failure" only
    # when it links one.
    from plans.models import ActionPlan

    for plan in ActionPlan.objects.prefetch_related("evaluations"):
        linked = list(plan.evaluations.all())
        assert all(e.interaction_at < plan.created_at for e in linked), plan.title
        if plan.origin == ActionPlan.Origin.CRITICAL:
            assert any(e.critical_failed for e in linked), plan.title
    # A visit's history is dated as it happened, not when the demo was made: every step of an approved visit
    # came before its approval, and its offer before the visit itself.
    from django.db.models import F

    from shops.models import AssignmentEvent

    approved = AssignmentEvent.objects.filter(assignment__status="approved", assignment__approved_at__isnull=False)
    assert approved.count() > 50
    assert not approved.filter(at__gt=F("assignment__approved_at")).exists()
    assert not approved.filter(to_status="offered", at__gt=F("assignment__report__arrived_at")).exists()
    # Every stored score is what the engine gives for the stored answers.
    from qa.services import score_and_store

    sample = Evaluation.objects.order_by("pk")[:5]
    for evaluation in sample:
        before = evaluation.overall_score
        score_and_store(evaluation)
        assert evaluation.overall_score == before


def test_default_scorecards_cite_the_policy():
    call_command("load_default_scorecards")
    names = set(Scorecard.objects.values_list("name", flat=True))
    assert {"Store visit", "Phone call", "Email and chat"} <= names
    items = Item.objects.filter(section__version__status="published")
    assert items.exclude(answer_type="text").filter(policy_reference="").count() == 0
    assert items.filter(critical=True, question__icontains="argued").exists()
    assert items.filter(question__icontains="Sorry to keep you waiting").exists()
    assert items.filter(question__icontains="reference number").exists()
    assert items.filter(answer_type="number", number_unit="rings").exists()
    section_names = set(items.values_list("section__name", flat=True))
    assert {"Courtesy", "Accuracy", "Transparency", "Responsiveness", "Follow-through"} <= section_names


def employee_hears_a_reviewed_call_and_the_lead_has_a_calibration_to_run(client):
    from qa.models import CalibrationSession, PinnedComment

    ben = User.objects.get(username="employee")
    pins = PinnedComment.objects.filter(evaluation__employee__user=ben, evaluation__status="released")
    assert pins.count() == 2
    evaluation = pins.first().evaluation
    assert evaluation.interaction.recording.duration_seconds == 30
    greeting = evaluation.answers.get(item__question__startswith="Greeted the caller")
    assert greeting.value == "no" and evaluation.overall_score < 100
    session = CalibrationSession.objects.get()
    assert not session.is_closed and session.reviewers.filter(username="reviewer").exists()
    # The demo's product-defect call was acknowledged 30 hours after the complaint arrived.
    from qa.models import Interaction
    assert Interaction.objects.get(customer_reference="CALL-4101").complaint_type == "product_defect"
    # Issue 14 (fresh-eye walk): the demo's spotlights found nothing. Its email complaint is one.
    from autoqa.models import Spotlight
    assert Spotlight.objects.filter(interaction__customer_reference="BILL-2207", label="Complaint").exists()
    # Plans and coaching to look at: one plan being worked on, one overdue, one closed after its follow-up;
    # a session confirmed by both sides and one scheduled.
    from coaching import sessions as coaching_sessions
    from coaching.models import CoachingSession
    from plans.models import ActionPlan

    plans = ActionPlan.objects.all()
    assert plans.filter(status="in_progress", actions__done_at__isnull=True).exists()
    assert ActionPlan.objects.overdue().filter(employee__user=ben).exists()
    closed = plans.get(status="closed")
    assert closed.follow_ups.count() == 2 and closed.follow_up_count == 2
    states = {coaching_sessions.status_of(s) for s in CoachingSession.objects.filter(attendances__employee__user=ben)}
    assert {"Confirmed by both", "Scheduled"} <= states
    client.force_login(User.objects.get(username="manager"))
    assert "Queue at the tills" in client.get("/plans/?status=").content.decode()
