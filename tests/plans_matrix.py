"""The action plans' entries in the access matrix (tests/test_access_matrix.py), kept here so the shared file
changes by two lines: the objects they need, and (url name, method, url, data, status per persona)."""

from django.urls import reverse

from plans import services
from plans.models import TriggerRule
from tests.plans_helpers import days


def objects(world) -> dict:
    o = {}
    o["plan_a"], _ = services.open_plan(title="Store A greetings", location=world.location_a, owner=world.manager_a)
    o["plan_ann"], _ = services.open_plan(title="Ann's returns", employee=world.employee_a, owner=world.manager_a,
                                          root_cause="training")
    # Something to acknowledge: a root cause and an action (an empty plan cannot be acknowledged).
    services.add_action(o["plan_ann"], text="Read the returns policy", owner=world.manager_a, due_date=days(5),
                        by=world.manager_a)
    o["plan_action"] = services.add_action(o["plan_a"], text="Brief the team", owner=world.manager_a,
                                           due_date=days(5), by=world.manager_a)
    o["trigger"] = TriggerRule.objects.create(name="Criticals", kind=TriggerRule.Kind.CRITICAL)
    return o


def entries(o, expect, expect_scoped, staff, reporters):
    w = o["world"]
    managers_of_a = staff | {"manager_a"}
    leads = {"admin", "lead"}
    action = {"text": "Put the greeting on the rota", "owner": w.manager_a.pk, "due_date": days(3).isoformat()}
    return [
        ("plans:list", "get", reverse("plans:list"), None, expect(reporters)),
        ("plans:create", "get", reverse("plans:create") + f"?location={w.location_a.pk}", None,
         expect(staff | {"manager_a", "manager_b"})),
        ("plans:detail", "get", reverse("plans:detail", args=[o["plan_a"].pk]), None, expect_scoped(managers_of_a)),
        ("plans:detail", "get", reverse("plans:detail", args=[o["plan_ann"].pk]), None,
         expect_scoped(managers_of_a | {"employee"})),
        ("plans:update", "get", reverse("plans:update", args=[o["plan_a"].pk]), None, expect_scoped(managers_of_a)),
        # Ann reaches her plan but may not change it.
        ("plans:update", "get", reverse("plans:update", args=[o["plan_ann"].pk]), None,
         expect_scoped(managers_of_a, employee=403)),
        ("plans:action-add", "post", reverse("plans:action-add", args=[o["plan_a"].pk]), action,
         expect_scoped(managers_of_a, ok=302)),
        ("plans:action-done", "post", reverse("plans:action-done", args=[o["plan_action"].pk]), {},
         expect_scoped(managers_of_a, ok=302)),
        ("plans:sign-off", "get", reverse("plans:sign-off", args=[o["plan_ann"].pk]), None,
         expect_scoped({"admin", "lead", "manager_a"}, reviewer=403, employee=403)),
        ("plans:sign-off", "post", reverse("plans:sign-off", args=[o["plan_ann"].pk]), {},
         expect_scoped({"admin", "lead", "manager_a"}, ok=302, reviewer=403, employee=403)),
        ("plans:acknowledge", "post", reverse("plans:acknowledge", args=[o["plan_ann"].pk]), {},
         expect_scoped({"employee"}, ok=302, admin=403, lead=403, reviewer=403, manager_a=403)),
        ("plans:triggers", "get", reverse("plans:triggers"), None, expect(leads)),
        ("plans:trigger-create", "get", reverse("plans:trigger-create"), None, expect(leads)),
        ("plans:trigger-update", "get", reverse("plans:trigger-update", args=[o["trigger"].pk]), None, expect(leads)),
    ]
