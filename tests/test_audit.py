"""Audit history: scores, answers, scorecard versions, assignment statuses and roles, with who and when."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from qa import roles, visits
from qa.models import RoleChange, VisitReport
from scorecards import services as scorecard_services
from tests.visits_helpers import item_named, make_assignment, visit_data

pytestmark = pytest.mark.django_db


def test_a_correction_appears_in_the_evaluation_history_with_who(world, client_for):
    assignment = make_assignment(world)
    report, _ = visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "a1")
    answer = report.evaluation.answers.get(item=item_named(assignment, "Greeted the customer"))
    client = client_for(world.reviewer)
    client.post(reverse("validation-correct", args=[report.pk, answer.pk]), {"value": "no", "reason": "Heard no greeting."})
    client.post(reverse("validation-approve", args=[report.pk]))
    body = client.get(reverse("evaluation-detail", args=[report.evaluation_id])).content.decode()
    assert "Greeted the customer: answer Yes → No" in body
    assert "the evaluation: status Submitted, awaiting review → Released" in body
    assert "overall score" in body and "overall_score" not in body and "reviewer" in body
    # Managers and employees see the scores, not the trail that names people.
    assert "History" not in client_for(world.manager_a).get(
        reverse("evaluation-detail", args=[report.evaluation_id])).content.decode()


def test_assignment_status_changes_are_recorded_with_who(world):
    assignment = make_assignment(world)
    records = list(assignment.history.order_by("history_date").values_list("status", "history_user__username"))
    assert records[-1] == ("accepted", "shopper")
    visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "a2")
    report = VisitReport.objects.select_related("assignment").get(assignment=assignment)
    visits.return_report(report, by=world.lead, note="More detail", deadline=timezone.now() + timedelta(days=1))
    assert assignment.history.latest("history_date").history_user == world.lead


def test_scorecard_version_changes_are_recorded(world):
    draft = scorecard_services.start_new_version(world.version.scorecard)
    scorecard_services.publish(draft, world.admin)
    statuses = list(world.version.history.order_by("history_date").values_list("status", flat=True))
    assert statuses[-1] == "retired" and "published" in statuses


def test_role_changes_record_old_and_new_roles_and_who(world, client_for):
    client = client_for(world.admin)
    url = reverse("admin:qa_user_change", args=[world.reviewer.pk])
    page = client.get(url).context
    form = page["adminform"].form
    # Post the role changes the page lists, as the browser does (a stale count is refused as "out of date").
    formset = page["inline_admin_formsets"][0].formset
    shown = str(formset.initial_form_count())
    listed = {inline.add_prefix(name): inline[name].value() for inline in formset.initial_forms
              for name in inline.fields if inline[name].value() is not None}
    data = {k: v for k, v in form.initial.items() if v is not None and k not in ("groups", "user_permissions", "regions", "last_login", "date_joined")}
    data.update({"groups": [Group.objects.get(name=roles.QA_LEAD).pk], "date_joined_0": "2026-01-01", "date_joined_1": "10:00",
                 "role_changes-TOTAL_FORMS": shown, "role_changes-INITIAL_FORMS": shown, **listed})
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    change = RoleChange.objects.get(user=world.reviewer, what="roles", by=world.admin)
    assert (change.old, change.new, change.by) == (["QA reviewer"], ["QA lead"], world.admin)
