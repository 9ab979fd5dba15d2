"""The life of a plan: opening it (once per cause), its actions, sign-off and acknowledgement, and the
follow-up that decides whether it closes or reopens with an escalation.

Status: open -> in progress (signed off, or an action done) -> verifying (every action done and the last due
date reached: the follow-up re-shops or re-reviews are created) -> closed (each of the N follow-up evaluations
reaches the target with no critical failure) or reopened (one does not: escalated to the manager; new actions,
and the next follow-up round when they are done)."""

import logging
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from plans.models import ActionPlan, CorrectiveAction, FollowUp
from qa import roles
from qa.http import absolute_url
from qa.models import Answer, Evaluation, Interaction, ReviewTask, User
from qa.sampling import reviewers
from scorecards.models import SHOPPING_CHANNELS, Channel, ScorecardVersion
from shops import services as shop_services
from shops.models import Assignment

log = logging.getLogger("plans")
S = ActionPlan.Status
# The evaluations people made: what plans are opened on and judged by (never automatic or self scores).
PEOPLE = (Evaluation.Source.SHOPPER, Evaluation.Source.REVIEWER)
RESHOP_WINDOW_DAYS = 14
LIVE_ASSIGNMENT = ~Q(assignment__status__in=[Assignment.Status.CANCELLED, Assignment.Status.REJECTED])


def people_counted():
    return Evaluation.objects.counted().filter(source__in=PEOPLE)


def region_managers(region):
    if region is None:
        return User.objects.none()
    return User.objects.filter(is_active=True, groups__name=roles.MANAGER, regions=region).distinct().order_by("pk")


def default_owner(location):
    """Who owns a plan opened by a trigger: the region's manager, else a QA lead, else an administrator."""
    region = location.region if location else None
    for candidates in (region_managers(region),
                       User.objects.filter(is_active=True, groups__name=roles.QA_LEAD).order_by("pk"),
                       User.objects.filter(is_active=True).filter(
                           Q(groups__name=roles.ADMINISTRATOR) | Q(is_superuser=True)).order_by("pk")):
        owner = candidates.first()
        if owner is not None:
            return owner
    return None


def open_plan(*, cause_key="", evaluations=(), items=(), by=None, **fields):
    """Open a plan, or, when a plan not yet closed exists for the same cause, add what failed to it.
    Returns (plan, created). The constraint one_unresolved_plan_per_cause decides races between workers."""
    if cause_key:
        existing = ActionPlan.objects.unresolved().filter(cause_key=cause_key).first()
        if existing is not None:
            _attach(existing, evaluations, items)
            return existing, False
    try:
        with transaction.atomic():
            plan = ActionPlan(cause_key=cause_key, created_by=by, **fields)
            plan._history_user = by
            plan.full_clean(exclude=["owner"] if fields.get("owner") is None else None)
            plan.save()
    except IntegrityError:
        existing = ActionPlan.objects.unresolved().get(cause_key=cause_key)
        _attach(existing, evaluations, items)
        return existing, False
    _attach(plan, evaluations, items)
    return plan, True


def _attach(plan, evaluations, items):
    if evaluations:
        plan.evaluations.add(*evaluations)
    if items:
        plan.items.add(*items)


def _save(plan, by, *fields):
    plan._history_user = by
    plan.save(update_fields=list(fields) if fields else None)


def takes_actions(plan) -> bool:
    """New actions belong to a plan being worked on, not to one being verified or closed."""
    return plan.status in (S.OPEN, S.IN_PROGRESS, S.REOPENED)


@transaction.atomic
def add_action(plan, *, text, owner, due_date, by):
    if plan.is_closed:
        raise ValidationError(_("This plan is closed: open a new plan for new actions."))
    if not takes_actions(plan):
        raise ValidationError(_("The follow-up is running: new actions can be added if it misses its target and "
                                "the plan reopens."))
    action = CorrectiveAction(plan=plan, text=text, owner=owner, due_date=due_date)
    action._history_user = by
    action.save()
    if plan.signed_off_at:
        # The manager agreed to the actions listed then: one more is something they have not seen.
        _withdraw_sign_off(plan, by)
    return action


@transaction.atomic
def mark_done(action, *, by, note="", now=None):
    """Record the action as done; when it was the last one and its due date has come, the follow-up starts."""
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    if action.done_at is not None:
        raise ValidationError(_("This action was already marked done."))
    action.done_at = now or timezone.now()
    action.done_by = by
    action.done_note = note
    action._history_user = by
    action.save()
    plan = action.plan
    if plan.status == S.OPEN:
        plan.status = S.IN_PROGRESS
        _save(plan, by, "status")
    start_follow_up(plan, by=by, now=now)
    return action


def sign_off_refusal(plan) -> str:
    """Why the plan cannot be signed off yet ("" when it can): a manager agrees with an analysis and with what will
    be done about it, so both must be there."""
    if not plan.root_cause:
        return _("Nothing has been analysed yet: record the root cause (edit the plan) before signing it off.")
    if not plan.actions.exists():
        return _("No corrective action yet: add at least one, with its owner and due date, before signing the plan "
                 "off.")
    return ""


@transaction.atomic
def sign_off(plan, *, by):
    if plan.signed_off_at:
        raise ValidationError(_("This plan was already signed off."))
    refusal = sign_off_refusal(plan)
    if refusal:
        raise ValidationError(refusal)
    plan.signed_off_by, plan.signed_off_at = by, timezone.now()
    if plan.status == S.OPEN:
        plan.status = S.IN_PROGRESS
    _save(plan, by)


# What a manager signed off: the analysis, who is accountable, whom it is about and how success is verified, and the
# corrective actions (a new one withdraws it too: add_action). A change to any of them withdraws the sign-off (the
# title and the measured figure are wording, not substance).
SIGNED_OFF_FIELDS = ("location", "employee", "owner", "target", "root_cause", "root_cause_text", "follow_up_kind",
                     "follow_up_count", "follow_up_target")
SIGN_OFF_RESET = "sign-off reset by an edit"


def save_edit(plan, changed, *, by) -> bool:
    """Save a plan edited through its form (`changed`: the fields the form changed). When the plan was signed off
    and something signed off changed, the sign-off is withdrawn in the same save, and its history says why.
    Returns whether it was."""
    reset = bool(plan.signed_off_at) and bool(set(changed) & set(SIGNED_OFF_FIELDS))
    if reset:
        _withdraw_sign_off(plan, by)
    else:
        _save(plan, by)
    return reset


def _withdraw_sign_off(plan, by):
    """What was signed off changed (an edit, a new corrective action): it needs signing off again; the history says
    why."""
    plan.signed_off_by, plan.signed_off_at = None, None
    plan._change_reason = SIGN_OFF_RESET
    _save(plan, by)


def ready_to_acknowledge(plan) -> bool:
    """An employee acknowledges what was analysed and agreed: a root cause and at least one corrective action."""
    return bool(plan.root_cause) and plan.actions.exists()


@transaction.atomic
def acknowledge(plan, *, by):
    if plan.acknowledged_at:
        raise ValidationError(_("You have already acknowledged this plan."))
    if not ready_to_acknowledge(plan):
        raise ValidationError(_("There is nothing to acknowledge yet: the plan needs its root cause and at least one "
                                "corrective action first."))
    plan.acknowledged_at = timezone.now()
    _save(plan, by, "acknowledged_at")


def ready_for_follow_up(plan, today) -> bool:
    """Every action done and the last due date reached, and no follow-up running."""
    if plan.status not in (S.OPEN, S.IN_PROGRESS, S.REOPENED):
        return False
    actions = list(plan.actions.all())
    if not actions or any(a.done_at is None for a in actions):
        return False
    return today >= max(a.due_date for a in actions)


def start_follow_up(plan, *, by=None, now=None):
    """Begin the verification round when the plan is ready: creates the re-shops or re-reviews."""
    now = now or timezone.now()
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if not ready_for_follow_up(plan, timezone.localdate(now)):
        return False
    plan.status = S.VERIFYING
    plan.follow_up_started_at = now
    plan.verification_round += 1
    _save(plan, by)
    top_up(plan, now=now)
    return True


def live_follow_ups(plan):
    """This round's follow-ups still able to give an evaluation (a cancelled or rejected re-shop is not)."""
    return plan.follow_ups.filter(round=plan.verification_round).filter(
        Q(assignment__isnull=True) | LIVE_ASSIGNMENT).filter(Q(assignment__isnull=False) | Q(interaction__isnull=False))


def top_up(plan, *, now=None):
    """Create follow-ups until the round has its N live ones: re-shops are offered to every shopper at once;
    re-reviews take the employee's interactions after the last due date as they come in (the periodic job
    calls this again, so a quiet week only delays the review)."""
    now = now or timezone.now()
    missing = plan.follow_up_count - live_follow_ups(plan).count()
    if missing <= 0 or plan.status != S.VERIFYING:
        return 0
    if plan.follow_up_kind == ActionPlan.FollowUpKind.REREVIEW and plan.employee_id:
        return _rereviews(plan, missing, now)
    return _reshops(plan, missing, now)


def reshop_version(plan):
    """The scorecard the re-shop uses: the current published version of the scorecard the failed visits were
    scored on, else of the last shop at the location, else any published shopping scorecard."""
    place = plan.place
    scored = list(plan.evaluations.filter(channel__in=SHOPPING_CHANNELS).values_list("version__scorecard_id", flat=True))
    if place is not None:
        scored += list(people_counted().filter(location=place, source=Evaluation.Source.SHOPPER)
                       .values_list("version__scorecard_id", flat=True)[:1])
    for scorecard_id in scored:
        version = ScorecardVersion.objects.filter(scorecard_id=scorecard_id, status=ScorecardVersion.Status.PUBLISHED).first()
        if version is not None:
            return version
    return ScorecardVersion.objects.filter(status=ScorecardVersion.Status.PUBLISHED,
                                           scorecard__channel__in=SHOPPING_CHANNELS).order_by("-pk").first()


def reshop_fee(location, version):
    """What a re-shop pays: what the location's usual visits pay (pool programmes carry no fee, so it is the fee of
    the latest visit there that is not itself a re-shop, on the same scorecard when there is one, else any), else the
    latest fee on that scorecard anywhere, else nothing (logged, so a planner can set it)."""
    usual = Assignment.objects.filter(plan_follow_up__isnull=True).order_by("-created_at", "-pk")
    for visits in (usual.filter(location=location, version__scorecard=version.scorecard_id),
                   usual.filter(location=location), usual.filter(version__scorecard=version.scorecard_id)):
        fee = visits.values_list("fee", flat=True).first()
        if fee is not None:
            return fee
    log.warning("re-shop of %s: no earlier visit to take a fee from, offered at 0", location.pk)
    return Decimal("0")


BRIEF_QUESTIONS = 6  # a brief a shopper reads on a phone before going in: the points that failed most


def failing_questions(plan):
    """The questions that failed, as the shopper's brief names them: the plan's items, else the failed answers of
    its evaluations, those failed most often first (then in scorecard order), each once, at most BRIEF_QUESTIONS."""
    items = list(plan.items.order_by("section__order", "order", "pk").values_list("question", flat=True))
    if not items:
        items = list(Answer.objects.filter(evaluation__in=plan.evaluations.all(), failed=True)
                     .values("item__question").annotate(n=Count("pk"), first=Min("item__pk"))
                     .order_by("-n", "first").values_list("item__question", flat=True))
    return list(dict.fromkeys(items))[:BRIEF_QUESTIONS]


def reshop_brief(plan, channel=Channel.STORE_VISIT):
    """The brief a shopper reads: what to check on this visit (or call, as the scorecard's channel is), never the
    plan's own wording (its title, the analysis), which is written for the people running it."""
    questions = failing_questions(plan)
    brief = (_("Make an ordinary visit and score it as usual against the whole scorecard.")
             if channel == Channel.STORE_VISIT else
             _("Make an ordinary call as a customer and score it as usual against the whole scorecard."))
    if questions:
        brief += "\n" + _("Pay particular attention to these points and describe what you saw in your comments:")
        brief += "".join(f"\n- {q}" for q in questions)
    return brief


def _reshops(plan, missing, now):
    version = reshop_version(plan)
    if version is None or plan.place is None:
        log.warning("plan %s: no published shopping scorecard for its re-shops", plan.pk)
        return 0
    last_due = plan.last_due_date() or timezone.localdate(now)
    start = max(last_due, timezone.localdate(now)) + timedelta(days=1)
    brief, fee = reshop_brief(plan, version.scorecard.channel), reshop_fee(plan.place, version)
    for _n in range(missing):
        assignment = shop_services.create_assignment(
            created_by=plan.owner, location=plan.place, version=version, channel=version.scorecard.channel,
            window_start=start, window_end=start + timedelta(days=RESHOP_WINDOW_DAYS - 1), brief=brief, fee=fee)
        FollowUp.objects.create(plan=plan, round=plan.verification_round, assignment=assignment)
    return missing


def _rereviews(plan, missing, now):
    last_due = plan.last_due_date() or timezone.localdate(now)
    after = timezone.make_aware(datetime.combine(last_due + timedelta(days=1), time.min))
    candidates = list(Interaction.objects.filter(employee=plan.employee, occurred_at__gte=after,
                                                 review_task__isnull=True).order_by("occurred_at", "pk")[:missing])
    queue = reviewers()
    for n, interaction in enumerate(candidates):
        task = ReviewTask.objects.create(interaction=interaction, reviewer=queue[n % len(queue)] if queue else None)
        FollowUp.objects.create(plan=plan, round=plan.verification_round, review_task=task, interaction=interaction)
    return len(candidates)


def follow_up_evaluations(plan, round_=None):
    """The released evaluations of a round's follow-ups, oldest first."""
    round_ = plan.verification_round if round_ is None else round_
    rounds = plan.follow_ups.filter(round=round_)
    return people_counted().filter(
        Q(visit__assignment__in=rounds.exclude(assignment=None).values("assignment"))
        | Q(interaction__in=rounds.exclude(interaction=None).values("interaction"), source=Evaluation.Source.REVIEWER)
    ).order_by("released_at", "pk")


def meets(plan, evaluation) -> bool:
    return (not evaluation.critical_failed and evaluation.overall_score is not None
            and evaluation.overall_score >= plan.follow_up_target)


@transaction.atomic
def judge(plan, *, now=None):
    """Once the round's N follow-up evaluations are released: close the plan when every one meets the
    target, else reopen it and escalate. Returns the new status, or None while evaluations are awaited."""
    plan = ActionPlan.objects.select_for_update().get(pk=plan.pk)
    if plan.status != S.VERIFYING:
        return None
    found = list(follow_up_evaluations(plan)[:plan.follow_up_count])
    if len(found) < plan.follow_up_count:
        return None
    now = now or timezone.now()
    if all(meets(plan, e) for e in found):
        plan.status, plan.closed_at = S.CLOSED, now
        _save(plan, None)
        return plan.status
    plan.status = S.REOPENED
    escalate(plan, found, now)
    return plan.status


def escalation_recipients(plan):
    """The plan owner's manager: the regional managers of the plan's region other than the owner; when the owner
    is that manager (or the region has none), the QA leads and administrators above them."""
    place = plan.place
    managers = list(region_managers(place.region if place else None).exclude(pk=plan.owner_id))
    if managers:
        return managers
    return list(User.objects.filter(is_active=True).filter(
        Q(groups__name__in=[roles.QA_LEAD, roles.ADMINISTRATOR]) | Q(is_superuser=True))
        .exclude(pk=plan.owner_id).distinct().order_by("pk"))


def escalate(plan, found, now):
    recipients = escalation_recipients(plan)
    plan.escalated, plan.escalated_at = True, now
    _save(plan, None)
    plan.escalated_to.add(*recipients)
    scores = ", ".join(f"{e.overall_score}%" + (_(" (critical failure)") if e.critical_failed else "") for e in found)
    addresses = [u.email for u in recipients + [plan.owner] if u.email]
    if not addresses:
        return
    subject = _("Action plan reopened: %(title)s") % {"title": plan.title}
    body = _("The follow-up of the action plan “%(title)s” (%(subject)s) did not reach its target of %(target)s%%.\n"
             "Follow-up scores: %(scores)s.\n\nThe plan is reopened and escalated to you. Agree new corrective "
             "actions with %(owner)s:\n%(url)s\n") % {
        "title": plan.title, "subject": plan.subject, "target": plan.follow_up_target, "scores": scores,
        "owner": plan.owner.get_full_name() or plan.owner.username,
        "url": absolute_url(reverse("plans:detail", args=[plan.pk]))}
    transaction.on_commit(lambda: send_mail(subject, body, None, sorted(set(addresses))))


def check_follow_ups_of(evaluation):
    """A released evaluation may be a follow-up of a plan being verified: judge those plans."""
    plans = ActionPlan.objects.filter(status=S.VERIFYING).filter(
        Q(follow_ups__assignment__report__evaluation=evaluation) | Q(follow_ups__interaction=evaluation.interaction_id)
        if evaluation.interaction_id else Q(follow_ups__assignment__report__evaluation=evaluation)).distinct()
    for plan in plans:
        judge(plan)
