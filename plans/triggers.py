"""The configurable triggers (plans.models.TriggerRule) that open plans by themselves.

- A critical failure: on release, a plan for the evaluation's employee (or its location when it names none);
  later critical failures while it is unresolved are added to the same plan.
- Below a policy target: a location's or employee's KPI over the rule's last days, on at least its minimum
  sample of applicable answers, misses reports.models.PolicyTarget (the figure is reports.aggregation's KPI
  formula, written once there). Checked for the released evaluation's location and employee, and for every one
  by the periodic job.
- An item failed often: in at least X% of the last N evaluations of a location or employee (on release).

Each cause has a key (e.g. "target:fcr:employee:7"); a database constraint allows one unresolved plan per key,
so no trigger ever opens a duplicate."""

from datetime import timedelta
from decimal import Decimal

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans import services
from plans.models import ActionPlan, TriggerRule
from qa.models import Answer, Evaluation
from reports import aggregation
from reports.models import PolicyTarget
from shops.models import Employee, Location

K = TriggerRule.Kind
L = TriggerRule.Level


def active(kind):
    return TriggerRule.objects.filter(active=True, kind=kind).select_related("target")


def scopes(rule, evaluation):
    """(field, object) pairs a rule looks at for this evaluation."""
    found = []
    if rule.level in (L.LOCATION, L.BOTH):
        found.append(("location", evaluation.location))
    if rule.level in (L.EMPLOYEE, L.BOTH) and evaluation.employee_id:
        found.append(("employee", evaluation.employee))
    return found


def _open(rule, field, obj, cause_key, origin, title, **extra):
    location = obj if field == "location" else obj.location
    owner = services.default_owner(location)
    if owner is None:
        return None, False
    return services.open_plan(
        cause_key=cause_key, title=title[:200], owner=owner, origin=origin, trigger=rule,
        follow_up_count=rule.follow_up_count, follow_up_target=rule.follow_up_target,
        follow_up_kind=(ActionPlan.FollowUpKind.REREVIEW if field == "employee" and not _shopped(obj)
                        else ActionPlan.FollowUpKind.RESHOP),
        **{field: obj}, **extra)


def _shopped(employee):
    """Whether an employee is judged by visits (a store) rather than by reviewed interactions."""
    return not employee.interactions.exists()


def on_release(evaluation):
    """Everything a released evaluation may trigger. Only people's counted evaluations count."""
    if (evaluation.status != Evaluation.Status.RELEASED or evaluation.is_calibration
            or evaluation.source not in services.PEOPLE):
        return []
    opened = []
    if evaluation.critical_failed:
        for rule in active(K.CRITICAL):
            opened.append(critical(rule, evaluation))
    for rule in active(K.TARGET):
        for field, obj in scopes(rule, evaluation):
            opened += below_target(rule, field, obj)
    for rule in active(K.ITEM_RATE):
        for field, obj in scopes(rule, evaluation):
            opened += item_rate(rule, field, obj)
    services.check_follow_ups_of(evaluation)
    return [plan for plan in opened if plan is not None]


def critical(rule, evaluation):
    field, obj = ("employee", evaluation.employee) if evaluation.employee_id and rule.level != L.LOCATION else (
        "location", evaluation.location)
    failed = list(Answer.objects.filter(evaluation=evaluation, failed=True, item__critical=True)
                  .values_list("item_id", flat=True))
    plan, _created = _open(
        rule, field, obj, f"critical:{field}:{obj.pk}", ActionPlan.Origin.CRITICAL,
        _("Critical failure: %(who)s") % {"who": obj.name},
        evaluations=[evaluation], items=failed,
        observed=_("Critical item failed on %(evaluation)s") % {"evaluation": evaluation.title(with_evaluator=False)})
    return plan


def targets_of(rule):
    return [rule.target] if rule.target_id else list(PolicyTarget.objects.all())


def figure(target, value, n) -> str:
    return ngettext("%(kpi)s %(value).1f%(unit)s over %(n)s evaluation (target %(comparison)s %(target)s%(unit)s)",
                    "%(kpi)s %(value).1f%(unit)s over %(n)s evaluations (target %(comparison)s %(target)s%(unit)s)",
                    n) % {
        "kpi": target.get_kpi_display(), "value": value, "unit": target.unit, "n": n,
        "comparison": target.get_comparison_display(), "target": target.target}


def period_evaluations(rule, now=None):
    since = (now or timezone.now()) - timedelta(days=rule.period_days)
    return services.people_counted().filter(interaction_at__gte=since)


def missed(rule, field, now=None, only=None):
    """Every (object id, target, value, n) below target for the rule's period, in one grouped query."""
    evaluations = period_evaluations(rule, now)
    if only is not None:
        evaluations = evaluations.filter(**{field: only})
    key = "evaluation__location_id" if field == "location" else "evaluation__employee_id"
    rows = (aggregation.kpi_answers(evaluations).exclude(**{f"{key}__isnull": True})
            .values(key, "item__kpi").annotate(**aggregation.KPI_FIGURES).order_by())
    targets = {t.kpi: t for t in targets_of(rule)}
    found = []
    for row in rows:
        target = targets.get(row["item__kpi"])
        value = aggregation.kpi_value(row["item__kpi"], row)
        if target is None or value is None or row["n"] < rule.min_sample:
            continue
        if target.is_met(Decimal(str(round(value, 2)))) is False:
            found.append((row[key], target, value, row["n"]))
    return found


def below_target(rule, field, obj, now=None):
    opened = []
    for _pk, target, value, n in missed(rule, field, now, only=obj):
        opened.append(_open_target(rule, field, obj, target, value, n))
    return opened


def _open_target(rule, field, obj, target, value, n):
    plan, _created = _open(
        rule, field, obj, f"target:{target.kpi}:{field}:{obj.pk}", ActionPlan.Origin.TARGET,
        _("%(kpi)s below target: %(who)s") % {"kpi": target.get_kpi_display(), "who": obj.name},
        target=target, observed=figure(target, value, n))
    return plan


def item_rate(rule, field, obj):
    latest = list(services.people_counted().filter(**{field: obj}).order_by("-interaction_at", "-pk")
                  .values_list("pk", flat=True)[:rule.window])
    if len(latest) < max(rule.window, rule.min_sample):
        return []
    rows = (Answer.objects.filter(evaluation_id__in=latest, failed=True).values("item_id", "item__question")
            .annotate(n=Count("pk")).order_by("item_id"))
    opened = []
    for row in rows:
        if 100 * row["n"] < rule.failure_percent * len(latest):
            continue
        evaluations = list(Evaluation.objects.filter(pk__in=latest, answers__item_id=row["item_id"],
                                                     answers__failed=True))
        plan, _created = _open(
            rule, field, obj, f"item:{row['item_id']}:{field}:{obj.pk}", ActionPlan.Origin.ITEM_RATE,
            _("“%(item)s” failing: %(who)s") % {"item": row["item__question"], "who": obj.name},
            evaluations=evaluations, items=[row["item_id"]],
            observed=ngettext("Failed in %(n)s of the last %(total)s evaluation",
                              "Failed in %(n)s of the last %(total)s evaluations", len(latest)) % {
                "n": row["n"], "total": len(latest)})
        opened.append(plan)
    return opened


def scan_targets(now=None):
    """The periodic pass: every location and employee below a target under every active target rule."""
    opened = []
    for rule in active(K.TARGET):
        for field, model in (("location", Location), ("employee", Employee)):
            if rule.level not in (field, L.BOTH):
                continue
            rows = missed(rule, field, now)
            objects = model.objects.in_bulk([pk for pk, *_rest in rows])
            for pk, target, value, n in rows:
                if pk in objects:
                    opened.append(_open_target(rule, field, objects[pk], target, value, n))
    return [plan for plan in opened if plan is not None]
