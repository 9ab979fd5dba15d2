"""What each role's home page shows. One function per role keeps each page's
queries in one readable place."""

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from pool import conversation as pool_conversation
from qa import disputes, roles, scoping, visits
from qa.models import Evaluation
from reports import aggregation
from scorecards.models import Scorecard, ScorecardVersion
from shops import eligibility
from shops import services as shop_services
from shops.models import Assignment, Employee, Location, Region, Shopper

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
    return disputes.with_standing(evaluations).select_related("version__scorecard", "employee", "location").order_by(
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
        "summary": aggregation.summary(Evaluation.objects.counted()),
        # Finished evaluations only, through the same scoping (and so the same blind-calibration rule) as every page.
        "recent": recent(scoping.evaluations_for(user).exclude(status=Evaluation.Status.DRAFT)),
    }


def reviewer_context(user):
    return {
        "queue_count": visits.validation_queue().count(),
        "mine": recent(Evaluation.objects.filter(evaluator=user)),
        "summary": aggregation.summary(Evaluation.objects.counted()),
    }


def manager_context(user):
    counted = scoping.counted_for(user)
    return {
        "regions": user.regions.all(),
        "summary": aggregation.summary(counted),
        "locations": aggregation.ranking(counted, "location", settings.REPORT_MIN_SAMPLE),
        "recent": recent(scoping.evaluations_for(user)),
    }


def shopper_context(user):
    shopper = Shopper.objects.filter(user=user).first()
    if shopper is None:
        return {"shopper": None}
    mine = Assignment.objects.filter(shopper=shopper).select_related("location", "version__scorecard")
    S = Assignment.Status
    offered = list(shop_services.offered_to(shopper).select_related("location", "version__scorecard")
                   .order_by("window_start", "pk")[:20])
    # The scheduling rules' reasons, so an offer the shopper may not take says why (to them: "You…").
    with eligibility.many(), eligibility.addressing_shopper():
        for offer in offered:
            offer.refusal = eligibility.refusal(shopper, offer)
    return {
        "shopper": shopper,
        "today": timezone.localdate(),  # visits can be declined until their window starts
        "offered": offered,
        "upcoming": mine.filter(status=S.ACCEPTED).order_by("window_start", "pk"),
        "returned": mine.filter(status=S.RETURNED).order_by("revision_deadline", "pk"),
        "waiting": mine.filter(status=S.SUBMITTED).select_related("report").order_by("-pk"),
        # Dated by the day of the visit (its report's arrival); a visit cancelled before any report by its window.
        # The pool's payment batch by relation name, so a fee says where its payment stands, as the pay page does.
        "past": mine.filter(status__in=[S.APPROVED, S.REJECTED, S.CANCELLED])
        .select_related("report", "batch_visit__payment__batch")
        .order_by(F("report__arrived_at").desc(nulls_last=True), "-window_start", "-pk")[:5],  # the rest: shopper-reports
        "new_messages": list(pool_conversation.new_for_shopper(user)[:10]),  # the QA team wrote on a report
    }


def employee_context(user):
    evaluations = scoping.evaluations_for(user)
    new_ids = set(disputes.unacknowledged(user).values_list("pk", flat=True))
    return {
        "new_ids": new_ids,
        "employee": Employee.objects.filter(user=user).select_related("location").first(),
        "summary": aggregation.summary(evaluations.counted()),
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
