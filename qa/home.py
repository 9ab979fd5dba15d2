"""What each role's home page shows. One function per role keeps each page's
queries in one readable place."""

from qa import roles, scoping
from qa.models import Evaluation
from reports import aggregation
from scorecards.models import Scorecard, ScorecardVersion
from shops.models import Employee, Location, Region

TEMPLATES = {
    roles.ADMINISTRATOR: "home/administrator.html",
    roles.QA_LEAD: "home/reviewer.html",
    roles.QA_REVIEWER: "home/reviewer.html",
    roles.MANAGER: "home/manager.html",
    roles.SHOPPER: "home/shopper.html",
    roles.EMPLOYEE: "home/employee.html",
    None: "home/no_role.html",
}


def template_for(user) -> str:
    return TEMPLATES[roles.primary_role(user)]


def recent(evaluations, count=10):
    return evaluations.select_related("version__scorecard", "employee", "location").order_by(
        "-interaction_at", "-pk"
    )[:count]


def administrator_context(user):
    return {
        "counts": {
            "regions": Region.objects.count(),
            "locations": Location.objects.filter(active=True).count(),
            "employees": Employee.objects.filter(active=True).count(),
            "scorecards": Scorecard.objects.count(),
        },
        "drafts": ScorecardVersion.objects.filter(status=ScorecardVersion.Status.DRAFT).select_related("scorecard"),
        "summary": aggregation.summary(Evaluation.objects.all()),
        "recent": recent(Evaluation.objects.all()),
    }


def reviewer_context(user):
    return {
        "mine": recent(Evaluation.objects.filter(evaluator=user)),
        "summary": aggregation.summary(Evaluation.objects.all()),
    }


def manager_context(user):
    evaluations = scoping.evaluations_for(user)
    return {
        "regions": user.regions.all(),
        "summary": aggregation.summary(evaluations),
        "locations": aggregation.by_location(evaluations),
        "recent": recent(evaluations),
    }


def shopper_context(user):
    return {"reports": recent(scoping.evaluations_for(user), 20)}


def employee_context(user):
    evaluations = scoping.evaluations_for(user)
    return {
        "employee": Employee.objects.filter(user=user).select_related("location").first(),
        "summary": aggregation.summary(evaluations),
        "recent": recent(evaluations, 20),
    }


CONTEXTS = {
    roles.ADMINISTRATOR: administrator_context,
    roles.QA_LEAD: reviewer_context,
    roles.QA_REVIEWER: reviewer_context,
    roles.MANAGER: manager_context,
    roles.SHOPPER: shopper_context,
    roles.EMPLOYEE: employee_context,
}


def context_for(user) -> dict:
    builder = CONTEXTS.get(roles.primary_role(user))
    return builder(user) if builder else {}
