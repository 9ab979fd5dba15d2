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


def test_seed_demo_loads_a_realistic_organisation_once(capsys):
    call_command("seed_demo")
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

    call_command("seed_demo")
    assert counts() == first
    assert "nothing duplicated" in capsys.readouterr().out


def test_demo_has_one_login_per_role_that_works(client):
    call_command("seed_demo")
    for role in (roles.ADMINISTRATOR, roles.QA_LEAD, roles.QA_REVIEWER, roles.SHOPPER, roles.MANAGER, roles.EMPLOYEE):
        assert User.objects.filter(groups__name=role).exists(), role
    response = client.post("/accounts/login/", {"username": "manager", "password": "service-first-2026"})
    assert response.status_code == 302 and client.get("/").status_code == 200
    manager = User.objects.get(username="manager")
    assert manager.regions.exists()
    assert Employee.objects.get(user__username="employee").location.region in manager.regions.all()


def test_demo_scores_differ_between_locations_and_cover_six_months():
    call_command("seed_demo")
    averages = list(
        Evaluation.objects.counted().values("location").annotate(avg=Avg("overall_score"), n=Count("pk"))
        .values_list("avg", flat=True)
    )
    assert max(averages) - min(averages) > 15
    dates = Evaluation.objects.values_list("interaction_at", flat=True)
    assert (max(dates) - min(dates)).days > 150
    assert Evaluation.objects.filter(status=Evaluation.Status.SUBMITTED).exists()
    assert Evaluation.objects.filter(critical_failed=True).exists()
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


def test_demo_employee_hears_a_reviewed_call_and_the_lead_has_a_calibration_to_run(client):
    from qa.models import CalibrationSession, PinnedComment

    call_command("seed_demo")
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
