"""The pool's answers to what happens elsewhere (connected in pool.apps)."""

from django.db.models.signals import post_save
from django.utils import timezone

from pool import notices
from pool.models import Application
from shops.models import Assignment, AssignmentEvent, Shopper

S = Assignment.Status


def close_applications(sender, instance: AssignmentEvent, created, raw=False, **kwargs):
    """A visit given to someone (claimed, offered to one shopper and accepted, chosen) or cancelled: the
    applications still waiting for it are decided (the one of whoever has it chosen, the others not), so no
    shopper waits for a visit that has gone; those not chosen are e-mailed (pool.notices.not_chosen)."""
    if raw or not created or instance.to_status not in (S.ACCEPTED, S.CANCELLED):
        return
    assignment = instance.assignment
    waiting = Application.objects.filter(assignment=assignment, status=Application.Status.APPLIED)
    now = timezone.now()
    if instance.to_status == S.ACCEPTED and assignment.shopper_id:
        waiting.filter(shopper_id=assignment.shopper_id).update(status=Application.Status.CHOSEN, decided_at=now)
        waiting = waiting.exclude(shopper_id=assignment.shopper_id)
    others = list(Shopper.objects.filter(pk__in=waiting.values("shopper_id")).select_related("user").order_by("pk"))
    waiting.update(status=Application.Status.NOT_CHOSEN, decided_at=now)
    if others:
        notices.not_chosen(assignment, others, cancelled=instance.to_status == S.CANCELLED)


def tell_shopper(sender, instance: AssignmentEvent, created, raw=False, **kwargs):
    """The shopper hears of what was decided about them: their report rejected (with the reason), a visit
    offered to them by name when it is made. (A return is e-mailed by qa.visits.return_report.)"""
    if raw or not created:
        return
    assignment = instance.assignment
    if assignment.shopper_id is None:
        return
    if instance.to_status == S.REJECTED:
        notices.report_rejected(assignment, instance.note)
    elif instance.to_status == S.OFFERED and not instance.from_status:
        notices.offered_by_name(assignment)


def connect():
    post_save.connect(close_applications, sender=AssignmentEvent, dispatch_uid="pool-close-applications")
    post_save.connect(tell_shopper, sender=AssignmentEvent, dispatch_uid="pool-tell-shopper")
