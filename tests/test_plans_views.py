"""The plans' pages: who sees which plans (a manager their regions', an employee their own), the missed-target
rows and "Open a plan" prefilled from them, bad input answered with 4xx and the typed input kept, actions added
and done, sign-off and acknowledgement, the list's filters and the triggers page."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from plans import services
from plans.models import ActionPlan, CorrectiveAction, TriggerRule
from tests import factories as f
from tests.plans_helpers import days, fcr_target, kpi_version

pytestmark = pytest.mark.django_db
FCR_FAIL = dict(f.ALL_GOOD, **{"Anticipated a question": "no", "Customer note": ""})


@pytest.fixture
def plans(world):
    a, _ = services.open_plan(title="Store A greetings", location=world.location_a, owner=world.manager_a)
    ann, _ = services.open_plan(title="Ann's returns", employee=world.employee_a, owner=world.manager_a,
                                root_cause="training")
    b, _ = services.open_plan(title="Store B queues", location=world.location_b, owner=world.manager_b)
    services.add_action(b, text="Open a second till", owner=world.manager_b, due_date=days(0), by=world.manager_b)
    CorrectiveAction.objects.filter(plan=b).update(due_date=days(-3))
    return {"a": a, "ann": ann, "b": b}


def titles(response):
    return {p.title for p in response.context["page_obj"].object_list}


@pytest.mark.parametrize("persona, seen", [
    ("lead", {"Store A greetings", "Ann's returns", "Store B queues"}),
    ("manager_a", {"Store A greetings", "Ann's returns"}),
    ("manager_b", {"Store B queues"}),
    ("employee", {"Ann's returns"}),
    ("other_employee", set()),
])
def test_the_list_is_scoped(world, plans, client_for, persona, seen):
    response = client_for(world.persona(persona)).get(reverse("plans:list"))
    assert response.status_code == 200 and titles(response) == seen


def test_another_regions_plan_is_not_found(world, plans, client_for):
    client = client_for(world.manager_a)
    assert client.get(reverse("plans:detail", args=[plans["b"].pk])).status_code == 404
    action = plans["b"].actions.get()
    assert client.post(reverse("plans:action-done", args=[action.pk])).status_code == 404
    assert client.post(reverse("plans:sign-off", args=[plans["b"].pk])).status_code == 404
    client = client_for(world.other_employee)
    assert client.get(reverse("plans:detail", args=[plans["ann"].pk])).status_code == 404


def test_filters(world, plans, client_for):
    client = client_for(world.lead)
    assert titles(client.get(reverse("plans:list"), {"overdue": "true"})) == {"Store B queues"}
    # A long unbroken title wraps (a CSS class: the CSP forbids inline styles) instead of widening a phone's page.
    assert '<strong class="wrap-anywhere" data-plan-title>Store A greetings</strong>' in client.get(
        reverse("plans:list")).content.decode()
    assert titles(client.get(reverse("plans:list"), {"region": world.region_a.pk})) == {
        "Store A greetings", "Ann's returns"}
    assert titles(client.get(reverse("plans:list"), {"root_cause": "training"})) == {"Ann's returns"}
    assert titles(client.get(reverse("plans:list"), {"status": "closed"})) == set()
    bad = client.get(reverse("plans:list"), {"status": "nonsense", "location": "٣"})
    assert bad.status_code == 400 and "not understood" in bad.content.decode()
    # A manager cannot filter to another region's location: refused as not understood, nothing shown.
    assert client_for(world.manager_a).get(reverse("plans:list"), {"location": world.location_b.pk}).status_code == 400


def test_missed_targets_offer_a_prefilled_plan(world, client_for):
    version = kpi_version(world.admin)
    target = fcr_target(85)
    for _ in range(5):
        f.make_evaluation(version, world.location_a, world.reviewer, FCR_FAIL, employee=world.employee_a)
        f.make_evaluation(version, world.location_b, world.reviewer, FCR_FAIL, employee=world.employee_b)
    client = client_for(world.manager_a)
    page = client.get(reverse("plans:list"))
    rows = {(r["field"], r["object"]) for r in page.context["missed"]}
    assert rows == {("location", world.location_a), ("employee", world.employee_a)}, "Region B is out of reach"
    form = client.get(reverse("plans:create"), {"location": world.location_a.pk, "target": target.pk,
                                                "observed": "First-contact resolution 0.0% over 5 evaluations"})
    initial = form.context["form"].initial
    assert initial["location"] == world.location_a and initial["target"] == target
    assert initial["title"] == "First-contact resolution below target: Store A"
    out_of_reach = client.get(reverse("plans:create"), {"location": world.location_b.pk})
    assert "location" not in out_of_reach.context["form"].initial
    # Once a plan is opened by hand about it, the row goes.
    client.post(reverse("plans:create"), {
        "title": "FCR at Store A", "location": world.location_a.pk, "owner": world.manager_a.pk,
        "target": target.pk, "follow_up_kind": "reshop", "follow_up_count": 2, "follow_up_target": 80})
    rows = {(r["field"], r["object"]) for r in client.get(reverse("plans:list")).context["missed"]}
    assert rows == {("employee", world.employee_a)}
    plan = ActionPlan.objects.get()
    assert plan.get_origin_display() == "Below a policy target"  # not "Opened by hand"


def test_create_refuses_bad_input_and_keeps_it(world, client_for):
    client = client_for(world.manager_a)
    response = client.post(reverse("plans:create"), {
        "title": "Queues", "location": world.location_b.pk, "employee": world.employee_a.pk,
        "owner": world.manager_a.pk, "follow_up_kind": "rereview", "follow_up_count": "99999999999999999999",
        "follow_up_target": "٨٠", "root_cause_text": "Too few tills at lunch."})
    assert response.status_code == 422
    errors = response.context["form"].errors
    assert set(errors) >= {"location", "follow_up_count", "follow_up_target"}
    assert "Too few tills at lunch." in response.content.decode()
    assert not ActionPlan.objects.exists()
    empty = client.post(reverse("plans:create"), {"title": "x", "owner": world.manager_a.pk,
                                                  "follow_up_kind": "reshop", "follow_up_count": 1,
                                                  "follow_up_target": 80})
    assert "Choose the location or the employee" in empty.content.decode()
    assert client_for(world.employee).get(reverse("plans:create")).status_code == 403


def test_manager_runs_a_plan(world, client_for):
    client = client_for(world.manager_a)
    response = client.post(reverse("plans:create"), {
        "title": "Greetings", "location": world.location_a.pk, "employee": world.employee_a.pk,
        "owner": world.manager_a.pk, "root_cause": "training", "root_cause_text": "New starters not briefed.",
        "follow_up_kind": "reshop", "follow_up_count": 1, "follow_up_target": "80"})
    plan = ActionPlan.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("plans:detail", args=[plan.pk])
    # The new action's due date is filled in, in the form a date input reads (yyyy-mm-dd).
    page = client.get(plan.get_absolute_url()).content.decode()
    assert f'name="due_date" value="{days(14).isoformat()}"' in page
    # A form sent back keeps the plan's saved title in its heading.
    bad = client.post(reverse("plans:update", args=[plan.pk]), {"title": "Typed, not saved", "owner": ""})
    assert bad.status_code == 422 and "Edit the plan “Greetings”" in bad.content.decode()
    add = reverse("plans:action-add", args=[plan.pk])
    past = client.post(add, {"text": "Brief", "owner": world.manager_a.pk, "due_date": "2001-01-01"})
    assert past.status_code == 422 and "cannot be in the past" in past.content.decode()
    far = client.post(add, {"text": "Brief", "owner": world.manager_a.pk, "due_date": "99999-01-01"})
    assert far.status_code == 422
    assert client.post(add, {"text": "Brief every new starter", "owner": world.employee.pk,
                             "due_date": days(0).isoformat()}).status_code == 302
    action = plan.actions.get()
    # The employee acknowledges, owns the action and marks it done; the follow-up starts.
    employee = client_for(world.employee)
    assert employee.post(reverse("plans:sign-off", args=[plan.pk])).status_code == 403
    assert employee.post(reverse("plans:acknowledge", args=[plan.pk])).status_code == 302
    assert employee.post(reverse("plans:action-done", args=[action.pk]), {"note": "Done on Monday."}).status_code == 302
    plan.refresh_from_db()
    assert plan.acknowledged_at and plan.status == "verifying" and plan.follow_ups.count() == 1
    again = employee.post(reverse("plans:action-done", args=[action.pk]), follow=True)
    assert "already marked done" in again.content.decode()
    client = client_for(world.manager_a)
    confirm = client.get(reverse("plans:sign-off", args=[plan.pk])).content.decode()
    assert "Confirm my sign-off" in confirm and "New starters not briefed." in confirm
    assert client.post(reverse("plans:sign-off", args=[plan.pk])).status_code == 302
    page = client.get(reverse("plans:detail", args=[plan.pk])).content.decode()
    assert "Round 1: 0 of 1 evaluation released." in page and "Re-shop of Store A" in page
    assert "moved the plan from “In progress” to “Verifying”." in page


def test_trigger_pages(world, client_for):
    assert client_for(world.manager_a).get(reverse("plans:triggers")).status_code == 403
    client = client_for(world.lead)
    empty = client.get(reverse("plans:triggers"))
    assert "No triggers yet" in empty.content.decode()
    bad = client.post(reverse("plans:trigger-create"), {"name": "Often", "kind": "item_rate", "level": "both",
                                                        "period_days": 30, "min_sample": 20, "failure_percent": 150,
                                                        "window": 10, "follow_up_count": 2, "follow_up_target": 80,
                                                        "due_in_days": 14})
    assert bad.status_code == 422 and set(bad.context["form"].errors) == {"failure_percent", "min_sample"}
    ok = client.post(reverse("plans:trigger-create"), {"name": "Criticals", "kind": "critical", "level": "both",
                                                       "active": "on", "period_days": 30, "min_sample": 5,
                                                       "failure_percent": 50, "window": 10, "follow_up_count": 2,
                                                       "follow_up_target": 80, "due_in_days": 14})
    assert ok.status_code == 302 and TriggerRule.objects.get().name == "Criticals"


def test_navigation_names_action_plans_for_report_readers(world, client_for):
    def labels(persona):
        found = []
        for entry in client_for(world.persona(persona)).get(reverse("home")).context["nav_items"]:
            found += [entry["label"]] + [child["label"] for child in entry["children"]]
        return found

    for persona in ("manager_a", "employee", "lead", "reviewer", "admin"):
        assert "Action plans" in labels(persona), persona
    assert "Action plans" not in labels("shopper")
    assert client_for(world.shopper).get(reverse("plans:list")).status_code == 403


def test_an_evaluation_page_opens_a_plan_about_it(world, client_for):
    from tests.plans_helpers import ARGUED

    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, ARGUED, employee=world.employee_a)
    client = client_for(world.manager_a)
    page = client.get(reverse("evaluation-detail", args=[evaluation.pk])).content.decode()
    link = f"{reverse('plans:create')}?evaluation={evaluation.pk}"
    assert link in page and "Open an action plan" in page
    assert link not in client_for(world.employee).get(reverse("evaluation-detail", args=[evaluation.pk])).content.decode()
    client = client_for(world.manager_a)
    form = client.get(link)
    assert form.context["evaluations"] == [evaluation]
    assert form.context["form"].initial["employee"] == world.employee_a
    response = client.post(link, {"title": "Argued with a customer", "location": world.location_a.pk,
                                  "employee": world.employee_a.pk, "owner": world.manager_a.pk,
                                  "follow_up_kind": "reshop", "follow_up_count": 1, "follow_up_target": 80})
    assert response.status_code == 302
    assert list(ActionPlan.objects.get().evaluations.all()) == [evaluation]
    # Another region's manager cannot link it: the evaluation is ignored, never shown.
    other = client_for(world.manager_b).get(link)
    assert other.context["evaluations"] == []


def test_a_new_plan_is_not_analysed_until_someone_says_why(world, client_for):
    page = client_for(world.manager_a).get(reverse("plans:create") + f"?location={world.location_a.pk}")
    assert page.context["form"]["root_cause"].value() in ("", None)
    assert '<option value="" selected>Not analysed yet</option>' in page.content.decode()


def test_sign_off_is_refused_until_a_root_cause_is_recorded(world, client_for):
    plan, _ = services.open_plan(title="Queues", location=world.location_a, owner=world.manager_a)
    client = client_for(world.manager_a)
    url = reverse("plans:sign-off", args=[plan.pk])
    page = client.get(url).content.decode()
    assert "nothing has been analysed" in page and "Confirm my sign-off" not in page
    response = client.post(url, follow=True)
    assert "Nothing has been analysed yet" in response.content.decode()
    plan.refresh_from_db()
    assert plan.signed_off_at is None
    assert client_for(world.reviewer).get(url).status_code == 403
    assert client_for(world.manager_b).get(url).status_code == 404


def test_an_empty_plan_has_nothing_to_acknowledge(world, client_for):
    plan, _ = services.open_plan(title="Ann's returns", employee=world.employee_a, owner=world.manager_a)
    employee = client_for(world.employee)
    url = reverse("plans:acknowledge", args=[plan.pk])
    for step in ("nothing", "analysed"):
        page = employee.get(plan.get_absolute_url()).content.decode()
        assert "data-nothing-to-acknowledge" in page and url not in page
        refused = employee.post(url, follow=True).content.decode()
        assert "nothing to acknowledge yet" in refused
        plan.refresh_from_db()
        assert plan.acknowledged_at is None
        if step == "nothing":  # a root cause alone is not enough: an action must be agreed too
            ActionPlan.objects.filter(pk=plan.pk).update(root_cause="training")
    services.add_action(plan, text="Read the returns policy", owner=world.manager_a, due_date=days(5),
                        by=world.manager_a)
    page = employee.get(plan.get_absolute_url()).content.decode()
    assert url in page and "data-nothing-to-acknowledge" not in page
    assert "the plan is acknowledged" in employee.post(url, follow=True).content.decode()
    # The manager's view of an empty plan says the same.
    other, _ = services.open_plan(title="Ann's queues", employee=world.employee_a, owner=world.manager_a)
    assert "Nothing to acknowledge yet" in client_for(world.manager_a).get(other.get_absolute_url()).content.decode()


def test_employees_filter_without_places_and_long_texts_are_refused(world, plans, client_for):
    page = client_for(world.employee).get(reverse("plans:list")).content.decode()
    assert 'name="status"' in page and 'name="region"' not in page and 'name="location"' not in page
    assert 'name="employee"' not in page
    assert 'name="region"' in client_for(world.manager_a).get(reverse("plans:list")).content.decode()
    client = client_for(world.manager_a)
    plan = plans["a"]
    response = client.post(reverse("plans:update", args=[plan.pk]), {
        "title": plan.title, "location": world.location_a.pk, "owner": world.manager_a.pk, "root_cause": "training",
        "root_cause_text": "why " * 1250, "follow_up_kind": "reshop", "follow_up_count": 2, "follow_up_target": 80})
    assert response.status_code == 422, response.context["form"].errors
    assert "Keep it to 4000 characters (this has 4999)" in response.content.decode(), response.context["form"].errors
    response = client.post(reverse("plans:action-add", args=[plan.pk]), {
        "text": "x" * 1001, "owner": world.manager_a.pk, "due_date": days(3).isoformat()})
    assert response.status_code == 422 and "Keep it to 1000 characters" in response.content.decode()
    assert not plan.actions.exists()


def test_sign_off_waits_for_a_corrective_action(world, client_for):
    """A manager signs off an analysis and what will be done: with a root cause but no action, the button is not
    offered and the view refuses it."""
    plan, _ = services.open_plan(title="Queues", location=world.location_a, owner=world.manager_a,
                                 root_cause="staffing", root_cause_text="One till open at lunch.")
    client = client_for(world.manager_a)
    url = reverse("plans:sign-off", args=[plan.pk])
    detail = client.get(plan.get_absolute_url()).content.decode()
    assert url not in detail and "data-sign-off-waits" in detail
    page = client.get(url).content.decode()
    assert "no corrective action" in page and "Confirm my sign-off" not in page
    refused = client.post(url, follow=True).content.decode()
    assert "No corrective action yet" in refused
    plan.refresh_from_db()
    assert plan.signed_off_at is None
    services.add_action(plan, text="Open a second till at noon", owner=world.manager_a, due_date=days(3),
                        by=world.manager_a)
    assert url in client.get(plan.get_absolute_url()).content.decode()
    assert "Confirm my sign-off" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    plan.refresh_from_db()
    assert plan.signed_off_by == world.manager_a


def edit_data(plan, **changes):
    data = {"title": plan.title, "location": plan.location_id or "", "employee": plan.employee_id or "",
            "owner": plan.owner_id, "target": plan.target_id or "", "observed": plan.observed,
            "root_cause": plan.root_cause, "root_cause_text": plan.root_cause_text,
            "follow_up_kind": plan.follow_up_kind, "follow_up_count": plan.follow_up_count,
            "follow_up_target": str(plan.follow_up_target)}
    data.update(changes)
    return data


@pytest.mark.parametrize("change", [{"root_cause_text": "Rota gap at lunch."}, {"root_cause": "process"},
                                    {"owner": "lead"}, {"follow_up_target": "90"}])
def test_a_material_edit_withdraws_the_sign_off(world, client_for, change):
    plan, _ = services.open_plan(title="Queues", location=world.location_a, owner=world.manager_a,
                                 root_cause="staffing", root_cause_text="One till open at lunch.")
    services.add_action(plan, text="Open a second till", owner=world.manager_a, due_date=days(3), by=world.manager_a)
    services.sign_off(plan, by=world.manager_a)
    change = {k: (world.lead.pk if v == "lead" else v) for k, v in change.items()}
    client = client_for(world.manager_a)
    response = client.post(reverse("plans:update", args=[plan.pk]), edit_data(plan, **change), follow=True)
    page = response.content.decode()
    assert "sign-off was withdrawn" in page and "needs signing off again" in page
    plan.refresh_from_db()
    assert plan.signed_off_at is None and plan.signed_off_by is None
    assert "The sign-off was withdrawn: manager_a changed what had been signed off." in page, "in the history"
    assert reverse("plans:sign-off", args=[plan.pk]) in page, "offered again"


def test_a_new_corrective_action_withdraws_the_sign_off(world, client_for):
    """The manager agreed to the actions listed at the time: one added later needs their agreement too."""
    plan, _ = services.open_plan(title="Queues", location=world.location_a, owner=world.manager_a,
                                 root_cause="staffing", root_cause_text="One till open at lunch.")
    services.add_action(plan, text="Open a second till", owner=world.manager_a, due_date=days(3), by=world.manager_a)
    services.sign_off(plan, by=world.manager_a)
    response = client_for(world.manager_a).post(reverse("plans:action-add", args=[plan.pk]), {
        "text": "Move a cashier at noon", "owner": world.manager_a.pk, "due_date": days(5).isoformat()}, follow=True)
    page = response.content.decode()
    assert "Action added" in page and "sign-off was withdrawn" in page
    plan.refresh_from_db()
    assert plan.signed_off_at is None and plan.actions.count() == 2
    assert "The sign-off was withdrawn: manager_a changed what had been signed off." in page, "in the history"


def test_rewording_the_title_keeps_the_sign_off(world, client_for):
    plan, _ = services.open_plan(title="Queues", location=world.location_a, owner=world.manager_a,
                                 root_cause="staffing", root_cause_text="One till open at lunch.")
    services.add_action(plan, text="Open a second till", owner=world.manager_a, due_date=days(3), by=world.manager_a)
    services.sign_off(plan, by=world.manager_a)
    response = client_for(world.manager_a).post(reverse("plans:update", args=[plan.pk]),
                                                 edit_data(plan, title="Lunchtime queues"), follow=True)
    assert "Plan saved." in response.content.decode() and "withdrawn" not in response.content.decode()
    plan.refresh_from_db()
    assert plan.signed_off_by == world.manager_a and plan.title == "Lunchtime queues"
