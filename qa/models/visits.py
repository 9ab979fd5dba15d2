"""A mystery shopper's visit report: what only a visit has, its submissions and
drafts, the photos taken as evidence, and the validator's corrections to its answers."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qa.models.evaluations import Answer, Evaluation
from qa.models.files import private_storage


def evidence_path(instance, filename):
    """Never trust the uploaded name: a random name in a folder per assignment, no overwriting."""
    import uuid

    return f"evidence/{instance.assignment_id}/{uuid.uuid4().hex}.jpg"


class VisitReport(models.Model):
    """What a mystery shopper filed about one visit, beside the scored Evaluation it carries."""

    class Flag(models.TextChoices):
        OUTSIDE_WINDOW = "outside_window", _("Visit outside the assignment window")
        LATE = "late", _("Report filed after its due time")
        SHORT = "short", _("Visit shorter than the minimum")
        FAR = "far", _("Check-in far from the store")
        NO_EVIDENCE = "no_evidence", _("Required evidence missing")
        LATE_REVISION = "late_revision", _("Revision sent after its deadline")

    evaluation = models.OneToOneField(Evaluation, on_delete=models.CASCADE, related_name="visit")
    assignment = models.OneToOneField("shops.Assignment", on_delete=models.PROTECT, related_name="report")
    arrived_at = models.DateTimeField(_("arrival"))
    departed_at = models.DateTimeField(_("departure"))
    checkin_latitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    checkin_longitude = models.DecimalField(max_digits=9, decimal_places=6, null=True, blank=True)
    checkin_accuracy_m = models.FloatField(_("check-in accuracy (m)"), null=True, blank=True)
    checkin_distance_m = models.FloatField(_("distance from the store (m)"), null=True, blank=True)
    employee_description = models.TextField(_("employee served (description)"), blank=True)
    narrative = models.TextField(_("narrative"))
    flags = models.JSONField(_("flags"), default=list, blank=True)
    first_submitted_at = models.DateTimeField(_("first submitted"))
    last_submitted_at = models.DateTimeField(_("last submitted"))

    class Meta:
        verbose_name = _("visit report")
        verbose_name_plural = _("visit reports")

    def __str__(self):
        return _("Visit report for %(assignment)s") % {"assignment": self.assignment}

    def flag_labels(self):
        return [self.Flag(code).label for code in self.flags if code in self.Flag.values]


class ReportSubmission(models.Model):
    """Each accepted submission of a visit report, by its client-made key: a replay
    of the same key (double tap, retry, resend after a dropped connection) finds it
    here and creates nothing."""

    key = models.CharField(max_length=64, unique=True)
    report = models.ForeignKey(VisitReport, on_delete=models.CASCADE, related_name="submissions")
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["received_at"]


class ReportDraft(models.Model):
    """The server's copy of a report being typed, so a shopper can switch phones or
    lose the browser's storage without losing it. `client_saved_at` is the phone's
    clock when typed, compared with the browser's own copy to restore the newer."""

    assignment = models.OneToOneField("shops.Assignment", on_delete=models.CASCADE, related_name="draft")
    data = models.JSONField(default=dict)
    client_saved_at = models.BigIntegerField(default=0, help_text="milliseconds since the epoch, from the phone")
    saved_at = models.DateTimeField(auto_now=True)


class Evidence(models.Model):
    class Kind(models.TextChoices):
        PHOTO = "photo", _("Photo")
        RECEIPT = "receipt", _("Receipt")

    assignment = models.ForeignKey("shops.Assignment", on_delete=models.CASCADE, related_name="evidence")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.PHOTO)
    file = models.FileField(storage=private_storage, upload_to=evidence_path, max_length=200)
    client_key = models.CharField(max_length=64, unique=True, null=True, blank=True)
    size = models.PositiveIntegerField(default=0)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return f"{self.get_kind_display()} #{self.pk}"

    def get_absolute_url(self):
        return reverse("evidence-file", args=[self.pk])


class AnswerCorrection(models.Model):
    """A reviewer's correction of a shopper's answer: old and new value, who, when and why."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="corrections")
    old_value = models.TextField(blank=True)
    old_na = models.BooleanField(default=False)
    new_value = models.TextField(blank=True)
    new_na = models.BooleanField(default=False)
    reason = models.TextField(_("reason"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
