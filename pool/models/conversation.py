"""What passes between the QA desk and a shopper about one report: messages (a question before the report is
returned, the shopper's answer), kept with the report; and the shopper's one appeal against a rejection,
decided by a reviewer other than the one who rejected it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportMessage(models.Model):
    assignment = models.ForeignKey("shops.Assignment", on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(_("message"), max_length=4000)
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["sent_at", "pk"]
        verbose_name = _("report message")
        verbose_name_plural = _("report messages")

    def __str__(self):
        return f"{self.assignment_id}: {self.body[:40]}"


class Appeal(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", _("Waiting for a decision")
        UPHELD = "upheld", _("Rejection upheld")
        OVERTURNED = "overturned", _("Rejection overturned: report approved")

    assignment = models.OneToOneField("shops.Assignment", on_delete=models.CASCADE, related_name="appeal")
    reason = models.TextField(_("why the rejection is wrong"), max_length=4000)
    submitted_at = models.DateTimeField(_("appealed at"), auto_now_add=True)
    decision = models.CharField(_("decision"), max_length=12, choices=Decision.choices, default=Decision.PENDING)
    decision_reason = models.TextField(_("reason for the decision"), blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")

    def __str__(self):
        return f"{self.assignment_id}: {self.get_decision_display()}"
