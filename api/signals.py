"""The webhook events this app knows, and what raises them: model changes in qa and reports, heard
through Django's post_save, and plans' own signal (plans.signals.action_overdue); the apps below never
import api. Connected in ApiConfig.ready()."""

from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _

from api import events, webhooks
from plans import scoping as plan_scoping
from plans import signals as plan_signals
from plans.models import CorrectiveAction
from qa import roles, scoping
from qa.models import Dispute, Evaluation
from reports.models import ExportJob


def _released(user, evaluation) -> bool:
    """As the API's evaluations endpoint: the role may read evaluations (a mystery shopper's reports, which
    qa.scoping reaches, never show a score) and the evaluation is released within the user's reach."""
    return user.has_perm(roles.VIEW_EVALUATION) and scoping.evaluations_for(user).filter(
        pk=evaluation.pk, status=Evaluation.Status.RELEASED).exists()


def _evaluation_payload(user, evaluation):
    from api.serializers import EvaluationDetailSerializer

    evaluation = (Evaluation.objects.select_related("version__scorecard", "location", "employee")
                  .prefetch_related("section_scores", "answers__item__section").get(pk=evaluation.pk))
    return EvaluationDetailSerializer(evaluation).data


def _dispute_payload(user, dispute):
    return {"id": dispute.pk, "evaluation": dispute.evaluation_id, "status": dispute.status,
            "raised_at": dispute.raised_at, "decided_at": dispute.decided_at,
            "score_before": dispute.score_before, "score_after": dispute.score_after}


def _export_payload(user, job):
    from django.conf import settings
    from django.urls import reverse

    return {"id": job.pk, "exporter": job.exporter, "format": job.file_format, "status": job.status,
            "download": settings.SITE_URL + reverse("api:v1:export-download", args=[job.pk])}


def overdue_id(action, due_date) -> str:
    """The event's object id: the action and the due date it missed, so that each overdue period (a moved due
    date that passes too) is an event of its own, delivered once (WebhookDelivery is unique per object id)."""
    return f"{action.pk}:{due_date.isoformat()}" if due_date else str(action.pk)


def _overdue_lookup(object_id):
    """The action of "<pk>:<due date>" (or of a bare pk, as the first deliveries named it), with the due date
    it missed (None for a bare pk)."""
    pk, _sep, due = str(object_id).partition(":")
    action = (CorrectiveAction.objects.select_related("owner", "done_by").filter(pk=pk).first()
              if pk.isdigit() else None)
    if action is not None:
        action.missed_due_date = due or None
    return action


def _overdue_visible(user, action) -> bool:
    """The owner still sees the plan (plans.scoping, as on its page) and the action is still overdue for the
    due date the event is about (not done, not given a new date since)."""
    missed = getattr(action, "missed_due_date", None)
    if action.done_at is not None or (missed and action.due_date.isoformat() != missed):
        return False
    return plan_scoping.plans_for(user).filter(pk=action.plan_id).exists()


def _overdue_payload(user, action):
    from api.endpoints.plans import ActionPlanSerializer, CorrectiveActionSerializer, plans_read_by

    plan = plans_read_by(user).get(pk=action.plan_id)
    return {"action": CorrectiveActionSerializer(action).data, "plan": ActionPlanSerializer(plan).data,
            "missed_due_date": getattr(action, "missed_due_date", None) or action.due_date}


def _first(model):
    return lambda pk: model.objects.filter(pk=pk).first()


events.register(events.Event("evaluation.released", _("Evaluation released"), _first(Evaluation), _released,
                             _evaluation_payload))
events.register(events.Event("dispute.opened", _("Dispute opened"), _first(Dispute),
                             lambda user, d: _released(user, d.evaluation), _dispute_payload))
events.register(events.Event("dispute.decided", _("Dispute decided"), _first(Dispute),
                             lambda user, d: _released(user, d.evaluation) and d.status == Dispute.Status.DECIDED,
                             _dispute_payload))
events.register(events.Event("export.ready", _("Export ready"), _first(ExportJob),
                             lambda user, job: job.requested_by_id == user.pk and job.status == ExportJob.Status.DONE,
                             _export_payload))

events.register(events.Event("action_plan.overdue", _("Action plan overdue"), _overdue_lookup, _overdue_visible,
                             _overdue_payload))


def evaluation_saved(sender, instance, **kwargs):
    if instance.status == Evaluation.Status.RELEASED and not instance.is_calibration:
        webhooks.emit("evaluation.released", instance.pk)


def dispute_saved(sender, instance, created, **kwargs):
    if created:
        webhooks.emit("dispute.opened", instance.pk)
    if instance.status == Dispute.Status.DECIDED:
        webhooks.emit("dispute.decided", instance.pk)


def export_saved(sender, instance, **kwargs):
    if instance.status == ExportJob.Status.DONE:
        webhooks.emit("export.ready", instance.pk)


def action_overdue(sender, action, due_date=None, **kwargs):
    webhooks.emit("action_plan.overdue", overdue_id(action, due_date))


def connect():
    plan_signals.action_overdue.connect(action_overdue, dispatch_uid="api-action-plan-overdue")
    post_save.connect(evaluation_saved, sender=Evaluation, dispatch_uid="api-evaluation-released")
    post_save.connect(dispute_saved, sender=Dispute, dispatch_uid="api-dispute")
    post_save.connect(export_saved, sender=ExportJob, dispatch_uid="api-export-ready")
