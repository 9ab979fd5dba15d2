"""Sampling rules, the draws made from them (with their seeds), and the tasks they put in
reviewers' scoring queues (ReviewTask: one interaction to score)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qa.models.interactions import Interaction


class SamplingRule(models.Model):
    """How many interactions to review per employee per period, e.g. 4 calls a week."""

    class Period(models.TextChoices):
        WEEK = "week", _("Week")
        MONTH = "month", _("Month")

    name = models.CharField(_("name"), max_length=100)
    per_employee = models.PositiveIntegerField(
        _("interactions per employee"), default=4,
        validators=[MinValueValidator(1, _("Review at least 1 interaction per employee: a rule of 0 would never sample anyone.")),
                    MaxValueValidator(500, _("At most 500 interactions per employee per period."))])
    period = models.CharField(_("per"), max_length=10, choices=Period.choices, default=Period.WEEK)
    channels = models.JSONField(_("channels"), default=list, blank=True, help_text=_("Empty means every channel."))
    flagged_share = models.PositiveSmallIntegerField(
        _("share for spotlighted interactions (%)"), default=0, validators=[MaxValueValidator(100, _(
            "The share is a percentage: at most 100."))],
        help_text=_("Part of each employee's sample taken from interactions the automatic checks flagged (phrase "
                    "alerts, negative customer sentiment); the rest stays random. 0 keeps the whole sample random."))
    active = models.BooleanField(_("active"), default=True,
                                 help_text=_("Retired rules are kept (their draws point at them) but no longer drawn."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sampling rule")
        verbose_name_plural = _("sampling rules")

    def __str__(self):
        return self.name

    @property
    def channel_labels(self) -> list[str]:
        """The rule's channels in words (the choices' labels), for pages."""
        labels = dict(Interaction.CHANNEL_CHOICES)
        return [str(labels.get(value, value)) for value in self.channels]


class SampleDraw(models.Model):
    """One random draw, recorded with its seed so it can be checked and repeated."""

    rule = models.ForeignKey(SamplingRule, on_delete=models.PROTECT, related_name="draws",
                             help_text="PROTECT: a rule is retired, never deleted, so its draws stay explained.")
    period_start = models.DateField()
    period_end = models.DateField()
    seed = models.BigIntegerField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)
    picked = models.PositiveIntegerField(default=0)
    flagged_share = models.PositiveSmallIntegerField(default=0, help_text="The rule's share for flagged interactions "
                                                                          "when this draw was made (%).")
    flagged_picked = models.PositiveIntegerField(default=0, help_text="How many of the picked were taken for being "
                                                                      "flagged (the flagged share).")

    class Meta:
        ordering = ["-drawn_at", "-pk"]


class ReviewTask(models.Model):
    """An interaction in a reviewer's queue. One per interaction: a draw never picks it twice."""

    class Status(models.TextChoices):
        OPEN = "open", _("To review")
        DONE = "done", _("Reviewed")

    interaction = models.OneToOneField(Interaction, on_delete=models.CASCADE, related_name="review_task")
    draw = models.ForeignKey(SampleDraw, on_delete=models.SET_NULL, null=True, blank=True, related_name="tasks")
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="review_tasks")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    assigned_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assigned_at", "pk"]
