"""Helpers for the action plans' tests: evaluations released through qa's real workflow (so the release
signal fires), triggers, and a re-shop taken, filed and approved by a real shopper and reviewer."""

from datetime import timedelta

from django.utils import timezone

from plans.models import TriggerRule
from qa import services, visits
from qa.models import Evaluation
from reports.models import PolicyTarget
from shops import services as shop_services
from shops.models import Shopper
from tests import factories as f
from tests.report_helpers import ARGUED, NO_GREETING, kpi_version  # noqa: F401 (re-exported)
from tests.visits_helpers import visit_data


def release(version, location, evaluator, answers, *, employee=None, days_ago=1,
            source=Evaluation.Source.REVIEWER):
    """A reviewer's evaluation submitted and released at once (qa.services.submit), commit hooks run."""
    from django.db import connection

    evaluation = f.make_evaluation(version, location, evaluator, answers, employee=employee, days_ago=days_ago,
                                   status=Evaluation.Status.DRAFT, source=source)
    services.submit(evaluation, release=True)
    run_commit_hooks(connection)
    evaluation.refresh_from_db()
    return evaluation


def run_commit_hooks(connection):
    """Run what on_commit queued inside the test's transaction, as a real commit would."""
    while connection.run_on_commit:
        callbacks = list(connection.run_on_commit)
        connection.run_on_commit = []
        for _sids, func, _robust in callbacks:
            func()


def trigger(kind, **fields):
    fields.setdefault("name", f"{kind} trigger")
    return TriggerRule.objects.create(kind=kind, **fields)


def fcr_target(at_least=85):
    return PolicyTarget.objects.create(kpi="fcr", target=at_least, comparison="at_least", unit="%")


def shop(world, assignment, *, answers=None, by=None):
    """A shopper accepts the re-shop, files it with these answers, and a reviewer approves it (released)."""
    from django.db import connection

    shopper = Shopper.objects.get(user=world.shopper)
    shop_services.accept(assignment, shopper)
    assignment.refresh_from_db()
    data = visit_data(assignment)
    for item_id, answer in data.answers.items():
        value = (answers or {}).get(answer_question(item_id))
        if value is not None:
            data.answers[item_id] = services.AnswerData(value=value, comment="Not done on this visit.")
    report, _created = visits.submit_visit_report(assignment, world.shopper, data, f"plan-{assignment.pk}")
    visits.approve(report, by=by or world.reviewer)
    run_commit_hooks(connection)
    report.evaluation.refresh_from_db()
    return report.evaluation


def answer_question(item_id):
    from scorecards.models import Item

    return Item.objects.get(pk=item_id).question


def days(n):
    return timezone.localdate() + timedelta(days=n)
