"""A programme: the scorecards a run of mystery shops uses and the rules its visits follow (lockout between
visits to the same location, open visits at once, minimum rating, qualifications required, and whether a
visit goes to the first shopper who claims it or to the one the planner chooses among applicants)."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Programme(models.Model):
    class ClaimRule(models.TextChoices):
        FIRST_COME = "first_come", _("First come, first served: a qualified shopper claims it")
        PLANNER_CHOOSES = "planner_chooses", _("Shoppers apply; the planner chooses one")

    name = models.CharField(_("name"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    scorecards = models.ManyToManyField(
        "scorecards.Scorecard", through="ProgrammeScorecard", related_name="+", verbose_name=_("scorecards"),
        help_text=_("Visits scored with these scorecards follow this programme's rules."))
    claim_rule = models.CharField(_("how visits are given"), max_length=20, choices=ClaimRule.choices,
                                  default=ClaimRule.FIRST_COME)
    lockout_days = models.PositiveIntegerField(
        _("days between visits to the same location"), default=90, validators=[MaxValueValidator(3650)],
        help_text=_("A shopper who visited a location for this programme cannot visit it again within this many "
                    "days. 0 allows repeat visits."))
    max_open_visits = models.PositiveIntegerField(
        _("open visits per shopper at once"), default=3, validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Visits accepted and not yet reported."))
    min_rating = models.DecimalField(
        _("minimum rating"), max_digits=3, decimal_places=1, null=True, blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(5)],
        help_text=_("Out of 5. New shoppers, with no rating yet, may take visits. Leave empty for no minimum."))
    required_qualifications = models.ManyToManyField(
        "pool.Qualification", blank=True, related_name="programmes", verbose_name=_("qualifications required"))
    active = models.BooleanField(_("active"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")

    def __str__(self):
        return self.name


class ProgrammeScorecard(models.Model):
    """A scorecard belongs to at most one programme, so a visit's rules are never ambiguous."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="scorecard_links")
    scorecard = models.OneToOneField("scorecards.Scorecard", on_delete=models.CASCADE, related_name="programme_link")

    class Meta:
        verbose_name = _("programme scorecard")
        verbose_name_plural = _("programme scorecards")

    def __str__(self):
        return f"{self.programme}: {self.scorecard}"
