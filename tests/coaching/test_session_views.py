"""The coaching pages: "Coach" on an evaluation, the new-session form (two evaluations, a team workshop,
bad input kept with 422), the write-up with goals, both confirmations, templates by the QA lead, the lists
each person sees."""

from datetime import timedelta

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from coaching import sessions
from coaching.models import CoachingSession, SessionTemplate
from tests import factories as f
from tests.coaching.helpers import GOOD, NO_GREETING, reviewed

pytestmark = pytest.mark.django_db

LOCAL = "%Y-%m-%dT%H:%M"


@pytest.fixture
def two(world):
    calls = f.make_call_scorecard(world.admin)
    world.employee.email = "ann@example.com"
    world.employee.save()
    return (reviewed(world, calls, NO_GREETING, days_ago=9, pin="Greeted the caller", with_recording=True),
            reviewed(world, calls, GOOD, days_ago=4, pin="Tone"))


def when(days=0):
    return (timezone.localtime() + timedelta(days=days)).strftime(LOCAL)


def test_coach_from_an_evaluation_with_two_evaluations(world, two, client_for, private_media,
                                                       django_capture_on_commit_callbacks):
    first, second = two
    client = client_for(world.reviewer)
    page = client.get(reverse("evaluation-detail", args=[first.pk])).content.decode()
    start = reverse("coaching:new") + f"?evaluation={first.pk}"
    assert start in page  # the "Coach" action
    form = client.get(start).content.decode()
    assert "Ann Employee" in form and f'value="{first.pk}"' in form and f'value="{second.pk}"' in form
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("coaching:new"), {
            "employees": [world.employee_a.pk], "evaluations": [first.pk, second.pk], "title": "Greeting calls",
            "scheduled_at": when(-0), "agenda": "Listen together"})
    session = CoachingSession.objects.get()
    assert response.status_code == 302 and response["Location"] == session.get_absolute_url()
    assert set(session.evaluations.all()) == {first, second}
    assert mail.outbox[0].to == ["ann@example.com"]
    page = client.get(session.get_absolute_url()).content.decode()
    assert "Listen: Greeted the caller" in page and "Listen: Tone" in page
    assert 'id="player-audio"' in page and 'data-seek="0.20"' in page
    assert 'data-effect="Greeted the caller"' in page and 'data-effect="Tone"' in page
    # The evaluation page now lists the session.
    assert "Greeting calls" in client.get(reverse("evaluation-detail", args=[second.pk])).content.decode()


BAD = [
    {"employees": [], "title": "x"},
    {"employees": ["٣"], "title": "x"},
    {"employees": ["99999999999999999999"], "title": "x"},
    {"scheduled_at": "3026-01-01T10:00", "agenda": "kept text"},
    {"scheduled_at": "tomorrow", "agenda": "kept text"},
    {"title": "", "agenda": "kept text"},
]


def test_bad_input_is_refused_with_the_form_kept(world, client_for):
    client = client_for(world.reviewer)
    for data in BAD:
        payload = {"employees": [world.employee_a.pk], "title": "x", "scheduled_at": when(1), **data}
        response = client.post(reverse("coaching:new"), payload)
        assert response.status_code == 422, data
        assert "kept text" in response.content.decode() or "agenda" not in data
    assert not CoachingSession.objects.exists()


def test_evaluations_of_someone_else_or_out_of_reach_are_refused(world, two):
    client_for = signed_in
    other = reviewed(world, two[0].version, GOOD, employee=world.employee_b)
    client = client_for(world.reviewer)
    response = client.post(reverse("coaching:new"), {"employees": [world.employee_a.pk], "evaluations": [other.pk],
                                                     "title": "x", "scheduled_at": when(1)})
    assert response.status_code == 422
    client = client_for(world.manager_a)
    assert client.get(reverse("coaching:new") + f"?evaluation={other.pk}").status_code == 404
    assert client.get(reverse("coaching:new") + "?evaluation=abc").status_code == 404
    response = client.post(reverse("coaching:new"), {"employees": [world.employee_b.pk], "title": "x",
                                                     "scheduled_at": when(1)})
    assert response.status_code == 422  # Bob is outside manager A's regions


def test_team_workshop_from_the_template(world, two, client_for):
    client = client_for(world.lead)
    workshop = SessionTemplate.objects.get(kind="workshop")
    page = client.get(reverse("coaching:new") + f"?template={workshop.pk}&employee={world.employee_a.pk}"
                      f"&employee={world.employee_b.pk}").content.decode()
    assert "Scenario: play the customer" in page
    # Started from Ann's evaluation, then a colleague and the workshop template chosen: the evaluation stays.
    start = reverse("coaching:new") + f"?evaluation={two[0].pk}"
    assert f'name="evaluation" value="{two[0].pk}"' in client.get(start).content.decode()
    response = client.get(start + f"&template={workshop.pk}&employee={world.employee_a.pk}"
                                  f"&employee={world.employee_b.pk}")
    assert response.context["form"].initial["evaluations"] == [two[0].pk]
    assert {e.pk for e in response.context["employees"]} == {world.employee_a.pk, world.employee_b.pk}
    assert f'name="evaluation" value="{two[0].pk}"' in response.content.decode()
    # Ann no longer among those coached: her evaluation is not carried.
    response = client.get(start + f"&employee={world.employee_b.pk}")
    assert "evaluations" not in response.context["form"].initial
    single = SessionTemplate.objects.get(kind="onboarding")
    response = client.post(reverse("coaching:new"), {
        "employees": [world.employee_a.pk, world.employee_b.pk], "template": single.pk, "title": "Both",
        "scheduled_at": when(1)})
    assert response.status_code == 422 and "is for one employee" in response.content.decode()
    response = client.post(reverse("coaching:new"), {
        "employees": [world.employee_a.pk, world.employee_b.pk], "template": workshop.pk, "title": "Both",
        "scheduled_at": when(1), "agenda": workshop.agenda})
    session = CoachingSession.objects.get()
    assert session.attendances.count() == 2 and session.goals.count() == 2
    # In the workshop each employee sees only their own evaluations.
    session.evaluations.set([two[0]])
    page = client_for(world.other_employee).get(session.get_absolute_url()).content.decode()
    assert "Listen: Greeted the caller" not in page and "1 more evaluation of other employees" in page


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_write_up_goals_and_both_confirmations(world, two):
    client_for = signed_in
    session = sessions.schedule(coach=world.reviewer, employees=[world.employee_a], evaluations=list(two),
                                scheduled_at=timezone.now() - timedelta(minutes=5), title="Greeting")
    coach = client_for(world.reviewer)
    edit = reverse("coaching:edit", args=[session.pk])
    base = {"title": "Greeting", "scheduled_at": timezone.localtime(session.scheduled_at).strftime(LOCAL),
            "agenda": "a", "notes": "Agreed to greet every caller by name.",
            "goals-TOTAL_FORMS": "2", "goals-INITIAL_FORMS": "0", "goals-MIN_NUM_FORMS": "0",
            "goals-MAX_NUM_FORMS": "1000", "goals-0-text": "Greet by name", "goals-1-text": ""}
    for bad in ("2026-02-30", "9999-01-01", ""):
        response = coach.post(edit, dict(base, **{"goals-0-due_on": bad, "title": "Renamed"}))
        html = response.content.decode()
        assert response.status_code == 422 and "Greet by name" in html
        # The goal's error is summarised at the top, linked to its field; the heading keeps the saved title.
        summary = html.split("data-error-summary")[1].split("</div>")[0]
        assert 'href="#id_goals-0-due_on">Goal 1, due on</a>' in summary
        assert "<h1 class=\"h3 text-break\">Write up: Greeting</h1>" in html
    due = (timezone.localdate() + timedelta(days=14)).isoformat()
    assert coach.post(edit, dict(base, **{"goals-0-due_on": due})).status_code == 302
    assert [(g.text, g.due_on.isoformat()) for g in session.goals.all()] == [("Greet by name", due)]
    # Neither the employee nor another manager may write it up.
    assert client_for(world.employee).get(edit).status_code == 403
    assert client_for(world.manager_b).get(edit).status_code == 404
    employee = client_for(world.employee)
    page = employee.get(session.get_absolute_url()).content.decode()
    assert "Agreed to greet every caller by name." in page and "Greet by name" in page
    response = employee.post(reverse("coaching:confirm", args=[session.pk]), {"comment": "Thanks"}, follow=True)
    assert "you confirmed the session" in response.content.decode()
    assert coach.post(reverse("coaching:confirm", args=[session.pk]), follow=True).status_code == 200
    session.refresh_from_db()
    attendance = session.attendances.get()
    assert session.coach_confirmed_at and attendance.confirmed_at and attendance.comment == "Thanks"
    page = coach.get(session.get_absolute_url()).content.decode()
    assert "Confirmed by both" in page and "data-coach-confirmed" in page and "data-employee-confirmed" in page
    # A colleague who is not in the session cannot confirm it.
    assert client_for(world.other_employee).post(reverse("coaching:confirm", args=[session.pk])).status_code == 404
    assert client_for(world.manager_a).post(reverse("coaching:confirm", args=[session.pk])).status_code == 403


def test_lists_and_filters_by_person(world):
    client_for = signed_in
    mine = sessions.schedule(coach=world.reviewer, employees=[world.employee_a], evaluations=[],
                             scheduled_at=timezone.now() + timedelta(days=2), title="Ann's session")
    sessions.schedule(coach=world.reviewer, employees=[world.employee_b], evaluations=[],
                      scheduled_at=timezone.now() - timedelta(days=2), title="Bob's session")
    page = client_for(world.employee).get(reverse("coaching:list")).content.decode()
    assert "Ann&#x27;s session" in page and "Bob&#x27;s session" not in page
    assert "<title>My coaching sessions" in page and "data-awaits-me" not in page
    # Once the session has taken place, it awaits Ann's confirmation: a badge on the page and in the menu.
    CoachingSession.objects.filter(pk=mine.pk).update(scheduled_at=timezone.now() - timedelta(hours=1))
    page = client_for(world.employee).get(reverse("coaching:list")).content.decode()
    assert "1 session awaits your confirmation" in page and "data-awaits-me" in page
    assert 'title="1 session awaits your confirmation"' in page  # the "My coaching" link's badge
    CoachingSession.objects.filter(pk=mine.pk).update(scheduled_at=timezone.now() + timedelta(days=2))
    page = client_for(world.manager_b).get(reverse("coaching:list")).content.decode()
    assert "Bob&#x27;s session" in page and "Ann&#x27;s session" not in page
    lead = client_for(world.lead)
    page = lead.get(reverse("coaching:list") + "?show=upcoming").content.decode()
    assert "Ann&#x27;s session" in page and "Bob&#x27;s session" not in page
    page = lead.get(reverse("coaching:list") + f"?employee={world.employee_b.pk}").content.decode()
    assert "Bob&#x27;s session" in page and "Ann&#x27;s session" not in page
    assert "No session matches" in lead.get(reverse("coaching:list") + "?employee=99999").content.decode()
    assert "<title>Coaching sessions" in page
    # Two people of the same name are told apart by their location in the filter.
    f.make_employee(world.location_b, name=world.employee_a.name)
    page = lead.get(reverse("coaching:list")).content.decode()
    assert f">{world.employee_a.name} · Store A<" in page and f">{world.employee_a.name} · Store B<" in page
    assert mine.pk


def test_lead_edits_templates_and_others_may_not(world):
    client_for = signed_in
    lead = client_for(world.lead)
    response = lead.post(reverse("coaching:template-new"), {"name": "Returns", "kind": "other", "agenda": "Policy",
                                                            "goals": "Explain returns", "goal_days": "0"})
    assert response.status_code == 422 and "Between 1 and 365 days" in response.content.decode()
    response = lead.post(reverse("coaching:template-new"), {"name": "Returns", "kind": "other", "agenda": "Policy",
                                                            "goals": "Explain returns", "goal_days": "21",
                                                            "active": "on"})
    assert response.status_code == 302
    made = SessionTemplate.objects.get(name="Returns")
    assert made.goal_lines() == ["Explain returns"] and made.history.count() == 1
    assert client_for(world.reviewer).get(reverse("coaching:template-edit", args=[made.pk])).status_code == 403
    assert lead.get(reverse("coaching:template-edit", args=[99999])).status_code == 404


def test_an_employee_without_login_confirms_in_person_recorded_by_the_coach(world, two):
    calls = two[0].version
    walk_in = f.make_employee(world.location_a, name="Ethan Nologin")
    failed = reviewed(world, calls, NO_GREETING, days_ago=3, employee=walk_in)
    coach = signed_in(world.reviewer)
    form = coach.get(reverse("coaching:new") + f"?evaluation={failed.pk}").content.decode()
    assert "data-no-login" in form and "has no login" in form
    response = coach.post(reverse("coaching:new"), {
        "employees": [walk_in.pk], "evaluations": [failed.pk], "title": "Greeting", "scheduled_at": when(1)},
        follow=True)
    assert "record their confirmation" in response.content.decode()
    session = CoachingSession.objects.get(title="Greeting")
    attendance = session.attendances.get()
    confirm = reverse("coaching:confirm", args=[session.pk])
    # Not before the session has taken place.
    page = coach.post(confirm, {"attendance": attendance.pk}, follow=True).content.decode()
    assert "has not taken place yet" in page and "data-record-in-person" not in page
    session.scheduled_at = timezone.now() - timedelta(minutes=5)
    session.save()
    page = coach.get(session.get_absolute_url()).content.decode()
    assert "The employee has no login" in page and "data-record-in-person" in page
    # Only the coach (or a QA lead) records it; bad ids are refused.
    assert signed_in(world.manager_a).post(confirm, {"attendance": attendance.pk}).status_code == 403
    assert coach.post(confirm, {"attendance": "²"}).status_code == 404
    page = coach.post(confirm, {"attendance": attendance.pk, "comment": "Said yes"}, follow=True).content.decode()
    assert "confirmation, given in person" in page and "data-in-person" in page and "Said yes" in page
    attendance.refresh_from_db()
    assert attendance.confirmed_at and attendance.confirmed_by == world.reviewer
    sessions.confirm_as_coach(session)
    session.refresh_from_db()
    assert sessions.status_of(session) == "Confirmed by both"
    # An employee with a login confirms themselves: the coach may not do it for them.
    own = sessions.schedule(coach=world.reviewer, employees=[world.employee_a], evaluations=[],
                            scheduled_at=timezone.now() - timedelta(minutes=5), title="Own")
    page = coach.post(reverse("coaching:confirm", args=[own.pk]), {"attendance": own.attendances.get().pk},
                      follow=True).content.decode()
    assert "confirms the session themselves" in page and own.attendances.get().confirmed_at is None
