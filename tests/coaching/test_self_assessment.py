"""Self-assessment: enabled per scorecard by the QA lead, scored by the employee with qa's answer widgets and
engine before the reviewer's release, hidden from reviewers (and every count) until then, side by side after
release, and the average gap per item in reports."""

import pytest
from django.urls import reverse

from coaching import report_tables, selfassessment
from coaching.models import SelfAssessmentSetting
from qa import scoping, scoring_sessions, services
from qa.models import Evaluation
from reports import services as report_services
from tests import factories as f
from tests.coaching.helpers import GOOD, NO_GREETING, call, reviewed, self_assessed

pytestmark = pytest.mark.django_db

FORM_GOOD = {"item_{greet}": "yes", "item_{tone}": "4", "na_{ack}": "on", "na_{res}": "on"}


@pytest.fixture
def calls(world):
    return f.make_call_scorecard(world.admin)


def form_data(version, answers, **extra):
    ids = {i.question: i.pk for i in version.sections.first().items.model.objects.filter(section__version=version)}
    keys = {"greet": ids["Greeted the caller"], "tone": ids["Tone"], "ack": ids["Acknowledged in time"],
            "res": ids["Resolved in time"]}
    data = {k.format(**keys): v for k, v in answers.items()}
    data.update(extra)
    return data


def enable(world, version, client):
    client.force_login(world.lead)
    response = client.post(reverse("coaching:self-settings"), {"scorecards": [version.scorecard_id]})
    assert response.status_code == 302
    assert SelfAssessmentSetting.objects.get(scorecard=version.scorecard).enabled


def test_disabled_scorecard_offers_nothing_and_refuses(world, calls, client):
    interaction = call(world)
    client.force_login(world.employee)
    page = client.get(reverse("coaching:self-list"))
    assert "not switched on" in page.content.decode()
    assert client.get(reverse("coaching:self-assess", args=[interaction.pk])).status_code == 302
    assert client.post(reverse("coaching:self-assess", args=[interaction.pk]),
                       form_data(calls, FORM_GOOD, finish="1")).status_code == 302
    assert not Evaluation.objects.filter(source=Evaluation.Source.SELF).exists()


def test_employee_assesses_before_release_unseen_and_uncounted_then_side_by_side(world, calls, client):
    enable(world, calls, client)
    interaction = call(world)
    draft, _created = scoring_sessions.start_review(interaction, calls, world.reviewer)
    client.force_login(world.employee)
    listed = client.get(reverse("coaching:self-list")).content.decode()
    assert reverse("coaching:self-assess", args=[interaction.pk]) in listed
    url = reverse("coaching:self-assess", args=[interaction.pk])
    # Incomplete: kept, with the problem named, never a 5xx.
    response = client.post(url, form_data(calls, {"item_{greet}": "yes"}, finish="1"))
    assert response.status_code == 422 and 'value="yes"' in response.content.decode().replace(" checked", "")
    response = client.post(url, form_data(calls, FORM_GOOD, finish="1"))
    assert response.status_code == 302
    own = Evaluation.objects.get(source=Evaluation.Source.SELF)
    assert own.status == Evaluation.Status.SUBMITTED and own.employee == world.employee_a
    assert own.overall_score is not None and own.version == calls
    # Handed in, it is listed once: under "Handed in" (still open to look at again), no longer under "To assess".
    listed = client.get(reverse("coaching:self-list")).content.decode()
    to_assess, handed_in = listed.split("<h2 class=\"h5\">Handed in</h2>")
    assert url not in to_assess and f'data-handed-in="{interaction.pk}"><a href="{url}">' in handed_in
    # Unseen by reviewers and managers, and never counted.
    for person in (world.reviewer, world.lead, world.manager_a, world.employee):
        assert not scoping.evaluations_for(person).filter(pk=own.pk).exists()
        assert not scoping.counted_for(person).filter(pk=own.pk).exists()
    client.force_login(world.reviewer)
    assert client.get(reverse("evaluation-detail", args=[own.pk])).status_code == 404
    assert "self-assessment" not in client.get(reverse("evaluation-detail", args=[draft.pk])).content.decode().lower()
    # The reviewer releases: the self-assessment closes and both show side by side.
    data = scoring_sessions.ReviewData(answers={
        a.pk: services.AnswerData(value={"Greeted the caller": "no", "Tone": "5"}.get(a.question, ""),
                                  na=a.question not in ("Greeted the caller", "Tone"), comment="Missed it")
        for a in calls.sections.first().items.model.objects.filter(section__version=calls)})
    scoring_sessions.submit_review(draft, data, revision=None, by=world.reviewer)
    draft.refresh_from_db()
    assert draft.status == Evaluation.Status.RELEASED
    assert not selfassessment.is_open(interaction)
    client.force_login(world.employee)
    assert client.post(url, form_data(calls, FORM_GOOD, finish="1")).status_code == 302  # closed, nothing saved
    page = client.get(reverse("evaluation-detail", args=[draft.pk])).content.decode()
    assert "Your self-assessment beside the reviewer" in page
    assert 'data-gap-item="Greeted the caller"' in page
    rows = {r["question"]: r["gap"] for r in selfassessment.side_by_side(draft, own)}
    assert rows["Greeted the caller"] == 100.0 and rows["Tone"] == -25.0  # self 4/5 = 75, reviewer 100
    client.force_login(world.reviewer)
    assert "self-assessment beside the reviewer" in client.get(
        reverse("evaluation-detail", args=[draft.pk])).content.decode()


def test_average_gap_per_item_in_reports(world, calls):
    # Two pairs: greeting self yes/reviewer no (+100) and self yes/reviewer yes (0): mean +50 over 2 pairs.
    first = reviewed(world, calls, NO_GREETING)
    second = reviewed(world, calls, GOOD)
    self_assessed(world, calls, first.interaction, GOOD)
    self_assessed(world, calls, second.interaction, GOOD)
    # A self-assessment without a released review makes no pair.
    self_assessed(world, calls, call(world), NO_GREETING)
    data = report_services.build(world.lead, {}, "Dashboard")
    table = report_tables.self_gap(world.lead, data, {})
    rows = {r[0]: r for r in table.rows}
    assert rows["Greeted the caller"][1] == 2 and rows["Greeted the caller"][4] == pytest.approx(50.0)
    assert rows["Greeted the caller"][2] == pytest.approx(100.0) and rows["Greeted the caller"][3] == pytest.approx(50.0)
    assert rows["Tone"][1] == 2 and rows["Tone"][4] == pytest.approx(0.0)
    # The report's own figures count the two reviews only.
    assert data.summary["count"] == 2
    # Manager B reaches neither review: no pairs for them.
    data_b = report_services.build(world.manager_b, {}, "Dashboard")
    assert report_tables.self_gap(world.manager_b, data_b, {}).rows == []
