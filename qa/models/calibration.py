"""Blind calibration sessions: several reviewers score one interaction; see qa.calibration."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from qa.models.interactions import Interaction


class CalibrationSession(models.Model):
    """A blind calibration exercise: several reviewers score the same interaction without
    seeing each other's answers; the lead's answers are the reference. Calibration
    evaluations never count in results (Evaluation.is_calibration)."""

    interaction = models.ForeignKey(Interaction, on_delete=models.PROTECT, related_name="calibrations",
                                    verbose_name=_("interaction"))
    version = models.ForeignKey("scorecards.ScorecardVersion", on_delete=models.PROTECT, related_name="+",
                                verbose_name=_("scorecard version"))
    lead = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("QA lead"))
    reviewers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="calibrations",
                                       verbose_name=_("invited reviewers"))
    threshold = models.DecimalField(
        _("disagreement threshold (%)"), max_digits=5, decimal_places=2, default=34,
        help_text=_("Items where more than this share of scorers differ from the most common answer are flagged."),
    )
    note = models.TextField(_("note to the reviewers"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("calibration session")
        verbose_name_plural = _("calibration sessions")

    def __str__(self):
        return _("Calibration of %(interaction)s") % {"interaction": self.interaction}

    def get_absolute_url(self):
        return reverse("calibration-detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None
