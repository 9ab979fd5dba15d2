"""The plans' figures on the report pages and in their PDF and Excel (through reports.extensions): open,
overdue and closed plans per location on the dashboard, per employee on a location's page, and the employee's
own on theirs. Counted in the database (one grouped query), within the viewer's reach (plans.scoping)."""

from urllib.parse import urlencode

from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from plans.models import ActionPlan
from plans.scoping import may_open_plans, plans_for
from qa import formats
from reports import aggregation

S = ActionPlan.Status


def counts(plans, group_by, today):
    unresolved = ~Q(status=S.CLOSED)
    overdue = unresolved & Q(actions__done_at__isnull=True, actions__due_date__lt=today)
    return (plans.values(*group_by).annotate(
        open=Count("pk", filter=unresolved, distinct=True),
        overdue=Count("pk", filter=overdue, distinct=True),
        escalated=Count("pk", filter=unresolved & Q(escalated=True), distinct=True),
        closed=Count("pk", filter=Q(status=S.CLOSED), distinct=True),
    ).order_by(*group_by))


def group_by_of(scope) -> str:
    return "employee__name" if "employee" in scope else "who" if "location" in scope else "place"


def narrowed(plans, places):
    """The plans about the report's chosen region, location or employee (ReportData.places): a plan about an
    employee belongs to their location and region."""
    if "region" in places:
        plans = plans.filter(Q(location__region=places["region"]) | Q(employee__location__region=places["region"]))
    if "location" in places:
        plans = plans.filter(Q(location=places["location"]) | Q(employee__location=places["location"]))
    if "employee" in places:
        plans = plans.filter(employee=places["employee"])
    return plans


def plan_table(user, data, scope):
    from reports.extensions import ReportTable

    today = timezone.localdate()
    plans = narrowed(plans_for(user), getattr(data, "places", None) or {})
    columns = [_("Open plans (n)"), _("Of which overdue (n)"), _("Escalated (n)"), _("Closed plans (n)")]
    note = _("Plans as of %(day)s, whatever the report's dates; overdue: an action past its due date and not "
             "done.") % {"day": formats.date(today)}
    if "employee" in scope:
        rows = counts(plans.filter(employee=scope["employee"]), ["employee__name"], today)
        heading = _("Employee")
    elif "location" in scope:
        location = scope["location"]
        plans = plans.filter(Q(location=location) | Q(employee__location=location))
        rows = counts(plans.annotate(who=Coalesce(F("employee__name"), F("location__name"))), ["who"], today)
        heading = _("Plan about")
    else:
        if "region" in scope:  # a region's PDF booklet
            region = scope["region"]
            plans = plans.filter(Q(location__region=region) | Q(employee__location__region=region))
        rows = counts(plans.annotate(place=Coalesce(F("location__name"), F("employee__location__name"))),
                      ["place"], today)
        heading = _("Location")
    body = [[row[group_by_of(scope)], row["open"], row["overdue"], row["escalated"], row["closed"]] for row in rows]
    if may_open_plans(user):
        empty = _("No action plans here. Open one with “Open a plan” on a low-scoring row, or from a missed target "
                  "on the Action plans page.")
    else:
        empty = _("No action plans here: plans about you, or with an action for you, appear here.")
    return ReportTable(key="plans", title=_("Action plans"), columns=[heading, *columns], rows=body, note=note,
                       empty=empty)


# A ranked place or person below this mean score is "low": the score colours' lower bands (qa_tags.score_class)
# and the follow-up target a plan starts with.
LOW_SCORE = aggregation.FAILING_BELOW
LOW_ROWS = 20
LINKED_EVALUATIONS = 20  # failing evaluations carried in an "Open a plan" link (the address stays short)


def _low_rows(data, scope):
    found = []
    if "employee" not in scope:
        found += [("location", row) for row in data.locations]
    found += [("employee", row) for row in data.employees]
    low = [(field, row) for field, row in found
           if not row.get("too_few") and row.get("average") is not None and float(row["average"]) < LOW_SCORE]
    low.sort(key=lambda pair: (float(pair[1]["average"]), -pair[1]["count"]))
    return low[:LOW_ROWS]


def _failing(data, low):
    """The newest of the report's failing evaluations (aggregation.failing: below 80% or a critical failure)
    of each low row, as many as an "Open a plan" link carries: one short read per row down its (place or person,
    date) index, whatever the number of evaluations. How many fail in all is the row's own `failing` sum."""
    failing = data.evaluations.filter(aggregation.failing()).order_by("-interaction_at", "-pk")
    return {(field, row["id"]): list(failing.filter(**{f"{field}_id": row["id"]})
                                     .values_list("pk", flat=True)[:LINKED_EVALUATIONS])
            for field, row in low}


def _open_plans(user, low):
    unresolved = plans_for(user).unresolved()
    found = {}
    for field in ("location", "employee"):
        ids = [row["id"] for f, row in low if f == field]
        if ids:
            rows = unresolved.filter(**{f"{field}_id__in": ids})
            if field == "location":
                rows = rows.filter(employee__isnull=True)
            for pk, about in rows.values_list("pk", f"{field}_id"):
                found.setdefault((field, about), []).append(pk)
    return found


def low_scores(user, data, scope):
    """The report's low-scoring locations and employees, each with an "Open a plan" link that fills in the plan
    form with them and this report's failing evaluations (or a link to the plan already open about them)."""
    from reports.extensions import Link, ReportTable

    if data is None or not may_open_plans(user) or "region" in scope:
        return None
    low = _low_rows(data, scope)
    failing = _failing(data, low) if low else {}
    open_plans = _open_plans(user, low) if low else {}
    rows = []
    for field, row in low:
        key = (field, row["id"])
        evaluations = failing.get(key, [])
        average = float(row["average"])
        name = row["location__name"] if field == "location" else _("%(employee)s (%(location)s)") % {
            "employee": row["employee__name"], "location": row["location__name"]}
        plans = open_plans.get(key, [])
        if not plans:
            observed = ngettext("Average score %(mean)s%% over %(n)s evaluation in the report",
                                "Average score %(mean)s%% over %(n)s evaluations in the report", row["count"]) % {
                "mean": formats.figure(average, 1), "n": row["count"]}
            query = urlencode([(field, row["id"]), *[("evaluation", pk) for pk in evaluations[:LINKED_EVALUATIONS]],
                               ("observed", observed)])
            link = Link(_("Open a plan"), f"{reverse('plans:create')}?{query}")
        elif len(plans) == 1:
            link = Link(_("See its open plan"), reverse("plans:detail", args=[plans[0]]))
        else:
            link = Link(_("See its %(n)s open plans") % {"n": len(plans)},
                        f"{reverse('plans:list')}?{urlencode({field: row['id']})}")
        rows.append([name, link, average, row["count"], row.get("failing", len(evaluations)), len(plans)])
    heading = _("Employee") if "employee" in scope else _("Location or employee")
    return ReportTable(
        key="low-scores", title=_("Low scores: open an action plan"),
        # The link comes second, so that a phone shows it beside the name without scrolling the table.
        columns=[heading, _("Action plan"), _("Average score (%)"), _("Evaluations (n)"), _("Failing evaluations (n)"),
                 _("Open plans (n)")],
        rows=rows,
        note=ngettext(
            "Ranked locations and employees of this report whose average score is below %(low)s%%, lowest first "
            "(at most %(rows)s; at least %(min)s evaluation each). Failing: below %(low)s%% or a critical failure; "
            "“Open a plan” fills in a new plan with them.",
            "Ranked locations and employees of this report whose average score is below %(low)s%%, lowest first "
            "(at most %(rows)s; at least %(min)s evaluations each). Failing: below %(low)s%% or a critical failure; "
            "“Open a plan” fills in a new plan with them.", data.min_sample) % {
            "low": LOW_SCORE, "rows": LOW_ROWS, "min": data.min_sample},
        empty=_("No location or employee in this report scores below %(low)s%% on enough evaluations: nothing "
                "calls for a plan here.") % {"low": LOW_SCORE})
