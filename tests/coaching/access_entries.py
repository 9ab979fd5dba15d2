"""Coaching's rows of the access matrix (tests/test_access_matrix.py): the objects and, per URL, who gets what."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from coaching import sessions
from coaching.models import SelfAssessmentSetting, SessionTemplate
from tests.coaching.conftest import ensure_default_templates

COACHES = {"admin", "lead", "reviewer", "manager_a", "manager_b"}
LEADS = {"admin", "lead"}
STAFF = {"admin", "lead", "reviewer"}


def build(o):
    w = o["world"]
    o["coaching"] = sessions.schedule(coach=w.reviewer, employees=[w.employee_a], evaluations=[o["released"]],
                                      scheduled_at=timezone.now() - timedelta(hours=1), title="Greeting")
    ensure_default_templates()
    o["coaching_template"] = SessionTemplate.objects.get(kind="onboarding")
    SelfAssessmentSetting.objects.create(scorecard=o["calls"].scorecard, enabled=True, changed_by=w.lead)
    return o


def entries(o, expect):
    session, interaction = o["coaching"], o["to_start"]
    recorded = o["recording"].interaction
    return [
        ("coaching:list", "get", reverse("coaching:list"), None,
         expect(COACHES | {"employee", "other_employee"})),
        ("coaching:new", "get", reverse("coaching:new"), None, expect(COACHES)),
        ("coaching:new", "get", reverse("coaching:new") + f"?evaluation={o['released'].pk}", None,
         expect(STAFF | {"manager_a"}, manager_b=404)),
        ("coaching:new", "post", reverse("coaching:new"), {"employees": [o["world"].employee_a.pk]},
         expect(STAFF | {"manager_a"}, ok=422, manager_b=422)),
        ("coaching:detail", "get", reverse("coaching:detail", args=[session.pk]), None,
         expect(STAFF | {"manager_a", "employee"}, manager_b=404, other_employee=404)),
        ("coaching:edit", "get", reverse("coaching:edit", args=[session.pk]), None,
         expect({"reviewer", "lead", "admin"}, manager_b=404)),
        ("coaching:confirm", "post", reverse("coaching:confirm", args=[session.pk]), {},
         expect({"reviewer", "employee"}, ok=302, manager_b=404, other_employee=404)),
        ("coaching:templates", "get", reverse("coaching:templates"), None, expect(LEADS)),
        ("coaching:template-new", "get", reverse("coaching:template-new"), None, expect(LEADS)),
        ("coaching:template-edit", "get", reverse("coaching:template-edit", args=[o["coaching_template"].pk]), None,
         expect(LEADS)),
        ("coaching:self-settings", "get", reverse("coaching:self-settings"), None, expect(LEADS)),
        ("coaching:self-list", "get", reverse("coaching:self-list"), None, expect({"employee", "other_employee"})),
        ("coaching:self-assess", "get", reverse("coaching:self-assess", args=[interaction.pk]), None,
         expect({"employee"}, other_employee=404)),
        ("coaching:self-recording", "get", reverse("coaching:self-recording", args=[recorded.pk]), None,
         expect({"employee"}, other_employee=404)),
    ]
