"""Action plans: what failed, why, what will be done about it by whom and when, and how we will know it worked.

A plan is opened by a trigger (plans.triggers) or by hand. Its corrective actions each have an owner and a due
date. Once every action is done and the last due date has passed, the follow-up is created through the existing
machinery (re-shops as shops.Assignment offers, re-reviews as qa.ReviewTask in the reviewers' queues); when those
evaluations are released the plan closes if they meet its target, else it reopens and is escalated
(plans.services). Every change of a plan and of its actions is kept by django-simple-history."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class TriggerRule(models.Model):
    """When a plan opens by itself. QA leads and administrators edit these on the triggers page."""

    class Kind(models.TextChoices):
        CRITICAL = "critical", _("A critical failure on a released evaluation")
        TARGET = "target", _("Below a policy target for a period")
        ITEM_RATE = "item_rate", _("An item failed often")

    class Level(models.TextChoices):
        LOCATION = "location", _("Location")
        EMPLOYEE = "employee", _("Employee")
        BOTH = "both", _("Locations and employees")

    name = models.CharField(_("name"), max_length=100)
    kind = models.CharField(_("opens a plan on"), max_length=20, choices=Kind.choices)
    level = models.CharField(
        _("for"), max_length=10, choices=Level.choices, default=Level.BOTH,
        help_text=_("Whom the plan is about. A critical failure opens a plan for the employee when the evaluation "
                    "names one, else for the location."))
    active = models.BooleanField(_("active"), default=True)
    target = models.ForeignKey(
        "reports.PolicyTarget", on_delete=models.CASCADE, null=True, blank=True, related_name="+",
        verbose_name=_("policy target"), help_text=_("For “below a policy target”: leave empty for every target."))
    period_days = models.PositiveIntegerField(
        _("period (days)"), default=30, validators=[MinValueValidator(1), MaxValueValidator(366)],
        help_text=_("For “below a policy target”: the evaluations of the last this many days count."))
    min_sample = models.PositiveIntegerField(
        _("minimum sample (evaluations)"), default=5, validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("No plan opens on fewer evaluations than this: a figure from two visits proves nothing."))
    failure_percent = models.PositiveIntegerField(
        _("failed in at least (%)"), default=50, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("For “an item failed often”: the share of the last evaluations in which the item failed."))
    window = models.PositiveIntegerField(
        _("of the last (evaluations)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(1000)],
        help_text=_("For “an item failed often”: how many of the latest evaluations are looked at."))
    follow_up_count = models.PositiveIntegerField(
        _("follow-up evaluations"), default=2, validators=[MinValueValidator(1), MaxValueValidator(20)])
    follow_up_target = models.DecimalField(
        _("follow-up target score (%)"), max_digits=5, decimal_places=2, default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)])
    due_in_days = models.PositiveIntegerField(
        _("actions due within (days)"), default=14, validators=[MinValueValidator(1), MaxValueValidator(365)])
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name"]
        verbose_name = _("plan trigger")
        verbose_name_plural = _("plan triggers")

    def __str__(self):
        return self.name


class RootCause(models.TextChoices):
    TRAINING = "training", _("Training")
    PROCESS = "process", _("Process")
    STAFFING = "staffing", _("Staffing")
    PRODUCT = "product", _("Product")
    TOOLS = "tools", _("Tools")
    OTHER = "other", _("Other")
    UNKNOWN = "", _("Not analysed yet")


class ActionPlanQuerySet(models.QuerySet):
    def unresolved(self):
        return self.exclude(status=ActionPlan.Status.CLOSED)

    def overdue(self, today=None):
        """Plans not closed with an action not done past its due date."""
        today = today or timezone.localdate()
        return self.unresolved().filter(actions__done_at__isnull=True, actions__due_date__lt=today).distinct()


class ActionPlan(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        IN_PROGRESS = "in_progress", _("In progress")
        VERIFYING = "verifying", _("Verifying")
        CLOSED = "closed", _("Closed")
        REOPENED = "reopened", _("Reopened")

    class FollowUpKind(models.TextChoices):
        RESHOP = "reshop", _("Re-shops of the location")
        REREVIEW = "rereview", _("Re-reviews of the employee's interactions")

    class Origin(models.TextChoices):
        MANUAL = "manual", _("Opened by hand")
        CRITICAL = "critical", _("Critical failure")
        TARGET = "target", _("Below a policy target")
        ITEM_RATE = "item_rate", _("Item failed often")

    title = models.CharField(_("title"), max_length=200)
    location = models.ForeignKey("shops.Location", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="action_plans", verbose_name=_("location"))
    employee = models.ForeignKey("shops.Employee", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="action_plans", verbose_name=_("employee"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="owned_plans",
                              verbose_name=_("plan owner"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+", verbose_name=_("opened by"))
    origin = models.CharField(_("opened because of"), max_length=20, choices=Origin.choices, default=Origin.MANUAL)
    trigger = models.ForeignKey(TriggerRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans",
                                verbose_name=_("trigger"))
    cause_key = models.CharField(
        max_length=120, blank=True, editable=False,
        help_text="What opened it automatically, e.g. 'target:fcr:location:4'. A database constraint allows one "
                  "plan not closed per cause, so a trigger never opens a duplicate, even with two workers.")
    evaluations = models.ManyToManyField("qa.Evaluation", blank=True, related_name="action_plans",
                                         verbose_name=_("evaluations that failed"))
    items = models.ManyToManyField("scorecards.Item", blank=True, related_name="+", verbose_name=_("items that failed"))
    target = models.ForeignKey("reports.PolicyTarget", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name=_("policy target missed"))
    observed = models.CharField(_("what was measured"), max_length=200, blank=True,
                                help_text=_("e.g. “First-contact resolution 60.0% over 8 evaluations”."))
    root_cause = models.CharField(_("root cause"), max_length=20, choices=RootCause.choices, blank=True)
    root_cause_text = models.TextField(_("root cause analysis"), blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.OPEN)
    follow_up_kind = models.CharField(_("verified by"), max_length=10, choices=FollowUpKind.choices,
                                      default=FollowUpKind.RESHOP)
    follow_up_count = models.PositiveIntegerField(
        _("number of follow-up evaluations"), default=2, validators=[MinValueValidator(1), MaxValueValidator(20)])
    follow_up_target = models.DecimalField(
        _("follow-up target score (%)"), max_digits=5, decimal_places=2, default=80,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=_("Every follow-up evaluation must reach this score, with no critical failure."))
    follow_up_started_at = models.DateTimeField(_("follow-up started"), null=True, blank=True)
    verification_round = models.PositiveIntegerField(
        _("verification round"), default=0, help_text=_("1 for the first follow-up, raised after each reopening."))
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name=_("signed off by"))
    signed_off_at = models.DateTimeField(_("signed off"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged by the employee"), null=True, blank=True)
    escalated = models.BooleanField(_("escalated"), default=False)
    escalated_to = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="escalated_plans",
                                          verbose_name=_("escalated to"))
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    created_at = models.DateTimeField(_("opened"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["cause_key"])

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("action plan")
        verbose_name_plural = _("action plans")
        constraints = [
            models.UniqueConstraint(fields=["cause_key"], name="one_unresolved_plan_per_cause",
                                    condition=~models.Q(cause_key="") & ~models.Q(status="closed")),
            models.CheckConstraint(condition=models.Q(location__isnull=False) | models.Q(employee__isnull=False),
                                   name="plan_is_about_someone"),
        ]
        indexes = [models.Index(fields=["status", "created_at"], name="plan_status_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("plans:detail", args=[self.pk])

    @property
    def place(self):
        """The location the plan is about: its own, or its employee's."""
        if self.location_id:
            return self.location
        return self.employee.location if self.employee_id else None

    @property
    def subject(self) -> str:
        if self.employee_id and self.location_id:
            return f"{self.employee.name}, {self.location.name}"
        return self.employee.name if self.employee_id else self.location.name

    @property
    def is_closed(self):
        return self.status == self.Status.CLOSED

    def last_due_date(self):
        return max((a.due_date for a in self.actions.all()), default=None)


class CorrectiveAction(models.Model):
    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="actions")
    text = models.TextField(_("action"))
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="plan_actions",
                              verbose_name=_("owner"))
    due_date = models.DateField(_("due date"))
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name=_("marked done by"))
    done_note = models.TextField(_("what was done"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_date", "pk"]
        verbose_name = _("corrective action")
        verbose_name_plural = _("corrective actions")
        indexes = [models.Index(fields=["due_date"], condition=models.Q(done_at__isnull=True),
                                name="action_open_due_idx")]

    def __str__(self):
        return self.text[:80]

    @property
    def is_done(self):
        return self.done_at is not None

    def is_overdue(self, today=None):
        return self.done_at is None and self.due_date < (today or timezone.localdate())


class FollowUp(models.Model):
    """One follow-up evaluation asked for: a re-shop offered to the shoppers, or an interaction put in a
    reviewer's queue. Its evaluation, once released, is what the plan is judged on."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="follow_ups")
    round = models.PositiveIntegerField(default=1, help_text="Raised each time the plan is reopened and verified again.")
    assignment = models.OneToOneField("shops.Assignment", on_delete=models.PROTECT, null=True, blank=True,
                                      related_name="plan_follow_up")
    review_task = models.OneToOneField("qa.ReviewTask", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="plan_follow_up")
    interaction = models.ForeignKey("qa.Interaction", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]


class Reminder(models.Model):
    """An overdue-action reminder e-mailed: one per action per day at most (the constraint makes a second
    worker's attempt fail instead of sending twice), and again only every REMINDER_EVERY_DAYS."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="reminders")
    due_date = models.DateField()
    sent_on = models.DateField()
    sent_to = models.CharField(max_length=254)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["action", "sent_on"], name="one_reminder_per_action_per_day")]


class OverdueNotice(models.Model):
    """That an action was found overdue for a due date: written once per action and due date by the reminder
    job, whether or not its owner has an e-mail address, and the moment plans.signals.action_overdue is sent
    (the "action plan overdue" webhook). Moving the due date starts a new overdue period, noticed afresh."""

    action = models.ForeignKey(CorrectiveAction, on_delete=models.CASCADE, related_name="overdue_notices")
    due_date = models.DateField()
    noticed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-noticed_at"]
        constraints = [models.UniqueConstraint(fields=["action", "due_date"], name="one_overdue_notice_per_due_date")]
