"""Policy targets a manager's dashboard compares against, and export files made in the background."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qa.models import private_storage
from scorecards.models import Kpi


class PolicyTarget(models.Model):
    """One target of the customer-service policy, e.g. first-contact resolution at least 85%."""

    class Comparison(models.TextChoices):
        AT_LEAST = "at_least", _("at least")
        AT_MOST = "at_most", _("at most")

    kpi = models.CharField(_("KPI"), max_length=30, choices=Kpi.choices, unique=True)
    target = models.DecimalField(_("target"), max_digits=8, decimal_places=2)
    comparison = models.CharField(_("comparison"), max_length=10, choices=Comparison.choices, default=Comparison.AT_LEAST)
    unit = models.CharField(_("unit"), max_length=20, default="%")
    policy_reference = models.CharField(_("policy reference"), max_length=200, blank=True)

    class Meta:
        ordering = ["kpi"]
        verbose_name = _("policy target")
        verbose_name_plural = _("policy targets")

    def __str__(self):
        return f"{self.get_kpi_display()} {self.get_comparison_display()} {self.target}{self.unit}"

    def is_met(self, value) -> bool | None:
        if value is None:
            return None
        return value >= self.target if self.comparison == self.Comparison.AT_LEAST else value <= self.target


def export_path(instance, filename):
    import uuid

    return f"exports/{instance.requested_by_id}/{uuid.uuid4().hex}-{filename}"


class ExportJob(models.Model):
    """An export too large to build during a request: built by the task worker, with progress."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Building")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="exports")
    exporter = models.CharField(max_length=40)
    file_format = models.CharField(max_length=10)
    params = models.JSONField(default=dict)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    file = models.FileField(storage=private_storage, upload_to=export_path, max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.exporter}.{self.file_format} ({self.get_status_display()})"

    def get_absolute_url(self):
        return reverse("reports:export-job", args=[self.pk])

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
