"""Disputes an employee or their manager raises against a released evaluation, item by item."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qa.models.evaluations import Answer, Evaluation


class Dispute(models.Model):
    """An employee's (or their manager's) challenge of a released evaluation, item by item.
    Decided by a reviewer other than the one who scored it; the engine then rescores."""

    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DECIDED = "decided", _("Decided")

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="disputes")
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    score_before = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    score_after = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["raised_at", "pk"]
        verbose_name = _("dispute")
        verbose_name_plural = _("disputes")

    def __str__(self):
        return _("Dispute of %(evaluation)s") % {"evaluation": self.evaluation}

    def get_absolute_url(self):
        return reverse("dispute-decide", args=[self.pk])


class DisputeItem(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        UPHELD = "upheld", _("Upheld: the answer stands")
        AMENDED = "amended", _("Amended")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="items")
    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="dispute_items")
    reason = models.TextField(_("why this answer is wrong"))
    original_value = models.TextField(blank=True)
    original_na = models.BooleanField(default=False)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    new_value = models.TextField(blank=True)
    new_na = models.BooleanField(default=False)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)

    class Meta:
        ordering = ["answer__item__section__order", "answer__item__order", "pk"]
