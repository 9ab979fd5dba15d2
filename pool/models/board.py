"""The job board's records: a shopper's application to a visit the planner gives by choice, and a planner's
invitation of a qualified shopper nearby to an unclaimed visit."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Application(models.Model):
    class Status(models.TextChoices):
        APPLIED = "applied", _("Applied")
        CHOSEN = "chosen", _("Chosen")
        NOT_CHOSEN = "not_chosen", _("Not chosen")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    assignment = models.ForeignKey("shops.Assignment", on_delete=models.CASCADE, related_name="applications")
    shopper = models.ForeignKey("shops.Shopper", on_delete=models.CASCADE, related_name="applications")
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.APPLIED)
    note = models.CharField(_("note to the planner"), max_length=300, blank=True)
    applied_at = models.DateTimeField(_("applied at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["applied_at", "pk"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [models.UniqueConstraint(fields=["assignment", "shopper"], name="pool_apply_once")]

    def __str__(self):
        return f"{self.shopper} -> {self.assignment_id}"


class Invitation(models.Model):
    assignment = models.ForeignKey("shops.Assignment", on_delete=models.CASCADE, related_name="invitations")
    shopper = models.ForeignKey("shops.Shopper", on_delete=models.CASCADE, related_name="invitations")
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        ordering = ["-invited_at", "pk"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [models.UniqueConstraint(fields=["assignment", "shopper"], name="pool_invite_once")]

    def __str__(self):
        return f"{self.shopper} <- {self.assignment_id}"
