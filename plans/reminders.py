"""E-mail reminders for overdue corrective actions, and the periodic job that also starts due follow-ups,
tops up re-reviews and scans targets (registered in qa.periodic by PlansConfig.ready).

A reminder goes to the action's owner when the action is past its due date and not done: once, then again
every REMINDER_EVERY_DAYS while it stays overdue, and afresh when its due date is moved. The Reminder row is
written before the e-mail, under a unique constraint per action and day, so a tick run twice or by two
workers sends nothing twice. Independently of e-mail, each overdue action is noticed once per due date
(notice_overdue, an OverdueNotice row), which sends plans.signals.action_overdue: api turns it into the
"action plan overdue" webhook, so owners without an e-mail address do not silence it."""

import logging
from datetime import timedelta

from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from plans import services, signals, triggers
from plans.models import ActionPlan, CorrectiveAction, OverdueNotice, Reminder
from qa.http import absolute_url

log = logging.getLogger("plans")
REMINDER_EVERY_DAYS = 7


def overdue_actions(today):
    return (CorrectiveAction.objects.filter(done_at__isnull=True, due_date__lt=today)
            .exclude(plan__status=ActionPlan.Status.CLOSED).select_related("plan", "owner"))


def reminder_due(action, today) -> bool:
    last = action.reminders.filter(due_date=action.due_date).order_by("-sent_on").first()
    return last is None or last.sent_on <= today - timedelta(days=REMINDER_EVERY_DAYS)


def notice_overdue(action) -> bool:
    """Send plans.signals.action_overdue for `action` if this is the first time it is found overdue for its
    current due date: once per action per overdue period, whether or not its owner has an e-mail address.
    The OverdueNotice row's unique constraint makes it once only, even with two workers."""
    if action.overdue_notices.filter(due_date=action.due_date).exists():
        return False
    try:
        with transaction.atomic():
            OverdueNotice.objects.create(action=action, due_date=action.due_date)
    except IntegrityError:
        return False  # another worker noticed it
    signals.action_overdue.send(sender=CorrectiveAction, action=action, due_date=action.due_date)
    return True


def send_due_reminders(now=None) -> int:
    """Notice every overdue action (the webhook's event), then e-mail the owners who have an address."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    for action in overdue_actions(today):
        notice_overdue(action)
        if not action.owner.email or not reminder_due(action, today):
            continue
        try:
            with transaction.atomic():
                Reminder.objects.create(action=action, due_date=action.due_date, sent_on=today,
                                        sent_to=action.owner.email)
        except IntegrityError:
            continue  # another worker sent today's reminder for this action
        send_mail(
            _("Overdue action: %(plan)s") % {"plan": action.plan.title},
            _("The corrective action “%(text)s” of the action plan “%(plan)s” was due on %(due)s and is not marked "
              "done yet.\n\nMark it done, or agree a new date with the plan owner:\n%(url)s\n") % {
                "text": action.text, "plan": action.plan.title, "due": date_format(action.due_date),
                "url": absolute_url(reverse("plans:detail", args=[action.plan_id]))},
            None, [action.owner.email])
        sent += 1
    return sent


def start_due_follow_ups(now=None) -> int:
    """Plans whose last action was done before its due date start their follow-up once the date comes."""
    started = 0
    waiting = ActionPlan.objects.filter(status__in=[ActionPlan.Status.OPEN, ActionPlan.Status.IN_PROGRESS,
                                                    ActionPlan.Status.REOPENED])
    for plan in waiting.exclude(actions__done_at__isnull=True).filter(actions__isnull=False).distinct():
        with transaction.atomic():
            started += services.start_follow_up(plan, now=now)
    for plan in ActionPlan.objects.filter(status=ActionPlan.Status.VERIFYING):
        with transaction.atomic():
            services.top_up(ActionPlan.objects.select_for_update().get(pk=plan.pk), now=now)
    return started


def tick(now=None):
    """The plans' periodic job: reminders, due follow-ups, re-review top-ups, and targets."""
    now = now or timezone.now()
    sent = send_due_reminders(now)
    started = start_due_follow_ups(now)
    opened = triggers.scan_targets(now)
    log.info("plans tick: %s reminders, %s follow-ups started, %s plans opened or updated", sent, started, len(opened))
    return {"reminders": sent, "follow_ups": started, "opened": len(opened)}
