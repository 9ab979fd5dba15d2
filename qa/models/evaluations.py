"""Evaluations and their answers.

An Evaluation is one scored encounter with the service, whoever scored it: a
mystery shopper's visit report or a QA reviewer's scoring of an interaction.
Its scores are computed by the engine (scorecards.scoring) when it is submitted
and stored here, so that later changes to a scorecard never change them.
"""

from django.conf import settings
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qa.models.interactions import short_day
from scorecards.models import MAX_SECTIONS, Channel


class EvaluationQuerySet(models.QuerySet):
    def counted(self, sources=None):
        """Evaluations that count in results: released, never calibration exercises, and by people
        (shoppers and reviewers) unless `sources` names others: the automatic checks' and
        self-assessments are figures of their own, read only by a report that asks for them."""
        return self.filter(status=Evaluation.Status.RELEASED, is_calibration=False,
                           source__in=list(sources or PEOPLE_SOURCES))

    def update(self, **values):
        """Updated together with the report roll-ups (qa.rollups), whoever updates in bulk."""
        from qa import rollups

        return rollups.update(self, **values)

    def bulk_create(self, objs, *args, **kwargs):
        from qa import rollups

        with transaction.atomic():
            objs = super().bulk_create(objs, *args, **kwargs)
            rollups.created(objs)
        return objs


SECTION_SLOTS = [f"section_score_{position}" for position in range(1, MAX_SECTIONS + 1)]


def section_slot(position: int):
    return models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True, editable=False,
                               help_text=f"The score of section {position} of the version, copied from SectionScore.")


class Evaluation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted, awaiting review")
        RETURNED = "returned", _("Returned for revision")
        RELEASED = "released", _("Released")
        REJECTED = "rejected", _("Rejected")

    class Source(models.TextChoices):
        SHOPPER = "shopper", _("Mystery shopper")
        REVIEWER = "reviewer", _("QA reviewer")
        # Suggested by the automatic checks (autoqa); never counted with people's scores unless a report asks for it.
        AUTOMATIC = "automatic", _("Automatic")
        # The employee's own score of their interaction (coaching's self-assessment), kept apart in the same way.
        SELF = "self", _("Self-assessment")

    # The sources whose scores count in results (EvaluationQuerySet.counted).
    PEOPLE_SOURCES = (Source.SHOPPER, Source.REVIEWER)

    version = models.ForeignKey(
        "scorecards.ScorecardVersion", on_delete=models.PROTECT, related_name="evaluations",
        verbose_name=_("scorecard version"),
    )
    employee = models.ForeignKey(
        "shops.Employee", on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations",
        verbose_name=_("employee"),
    )
    location = models.ForeignKey(
        "shops.Location", on_delete=models.PROTECT, related_name="evaluations", verbose_name=_("location"),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    interaction_at = models.DateTimeField(_("date and time of the interaction"))
    evaluator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="evaluations_given",
        verbose_name=_("evaluator"),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    is_calibration = models.BooleanField(
        _("calibration exercise"), default=False, help_text=_("Calibration scores never count in results."),
    )
    overall_score = models.DecimalField(_("overall score"), max_digits=5, decimal_places=2, null=True, blank=True)
    critical_failed = models.BooleanField(_("critical failure"), default=False)
    comments = models.TextField(_("comments"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    scored_at = models.DateTimeField(_("scored at"), null=True, blank=True)
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    revision = models.PositiveIntegerField(
        _("revision"), default=0, help_text=_("Raised on every save, so two people editing at once are told."),
    )
    acknowledged_at = models.DateTimeField(_("acknowledged by the employee"), null=True, blank=True)
    interaction = models.ForeignKey(
        "qa.Interaction", on_delete=models.PROTECT, null=True, blank=True, related_name="evaluations",
        verbose_name=_("interaction"), help_text=_("For a QA reviewer's evaluation: the call, email, chat or post scored."),
    )
    calibration = models.ForeignKey(
        "qa.CalibrationSession", on_delete=models.CASCADE, null=True, blank=True, related_name="evaluations",
        verbose_name=_("calibration session"),
    )
    answer_values = models.TextField(
        editable=False, blank=True,
        help_text="Every answer as scored, in the version's item order, joined by qa.services.ANSWER_SEPARATOR: "
                  "written by score_and_store so exports read one column instead of 25 answer rows.",
    )
    # Each section's score again, by the section's place in its version (1 = first), written
    # by score_and_store beside SectionScore: reports add them up over the evaluation rows
    # instead of joining 5 section-score rows per evaluation (scorecards.models.MAX_SECTIONS).
    section_score_1 = section_slot(1)
    section_score_2 = section_slot(2)
    section_score_3 = section_slot(3)
    section_score_4 = section_slot(4)
    section_score_5 = section_slot(5)
    section_score_6 = section_slot(6)
    section_score_7 = section_slot(7)
    section_score_8 = section_slot(8)
    section_score_9 = section_slot(9)
    section_score_10 = section_slot(10)
    history = HistoricalRecords(excluded_fields=["updated_at", "answer_values", *SECTION_SLOTS])

    objects = EvaluationQuerySet.as_manager()

    class Meta:
        ordering = ["-interaction_at", "-pk"]
        verbose_name = _("evaluation")
        verbose_name_plural = _("evaluations")
        indexes = [
            models.Index(fields=["status", "is_calibration", "interaction_at"], name="evaluation_counted_idx"),
            models.Index(fields=["location", "interaction_at"], name="evaluation_location_idx"),
            models.Index(fields=["employee", "interaction_at"], name="evaluation_employee_idx"),
            # Employees' self-assessments (coaching): few among millions, found without a scan.
            models.Index(fields=["employee", "interaction"], condition=models.Q(source="self"),
                         name="evaluation_self_idx"),
        ]

    def __str__(self):
        return self.title(with_evaluator=False)

    def save(self, *args, **kwargs):
        """Saved together with the report roll-ups it counts in (qa.rollups), in one transaction."""
        from qa import rollups

        return rollups.saving(self, lambda: super(Evaluation, self).save(*args, **kwargs), kwargs.get("update_fields"))

    def title(self, with_evaluator: bool) -> str:
        """What a person calls it: the interaction scored ("Phone call with Ben Clarke, 29 Nov") or
        the visit ("Store visit to High Street by Sam Shopper, 29 Nov"), never a number. The
        shopper is named only for those who may know them (never employees or managers)."""
        if self.interaction_id:
            return str(self.interaction)
        when = short_day(self.interaction_at)
        if self.employee_id and self.source == self.Source.REVIEWER:
            return _("%(channel)s with %(who)s, %(when)s") % {
                "channel": self.get_channel_display(), "who": self.employee.name, "when": when}
        names = {"channel": self.get_channel_display(), "location": self.location.name, "when": when,
                 "who": self.evaluator.get_full_name() or self.evaluator.username}
        if with_evaluator:
            return _("%(channel)s to %(location)s by %(who)s, %(when)s") % names
        return _("%(channel)s to %(location)s, %(when)s") % names

    def get_absolute_url(self):
        return reverse("evaluation-detail", args=[self.pk])


# The sources whose evaluations people's figures are made of (EvaluationQuerySet.counted).
PEOPLE_SOURCES = Evaluation.PEOPLE_SOURCES  # people's scores: what reports count unless asked for another source


class SectionScore(models.Model):
    """A section's stored score. The section's name is copied so reports can compare
    sections of the same name across scorecard versions without joining back."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="section_scores")
    section = models.ForeignKey("scorecards.Section", on_delete=models.PROTECT, related_name="+")
    section_name = models.CharField(_("section"), max_length=100)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        ordering = ["section__order", "section_id"]
        constraints = [
            models.UniqueConstraint(fields=["evaluation", "section"], name="unique_section_score"),
        ]
        indexes = [models.Index(fields=["section_name"], name="sectionscore_name_idx")]

    def __str__(self):
        # No score here: a name is shown where the row itself may not be (e.g. the admin's list of what a
        # deletion takes with it), and a calibration score is blind until its session closes.
        return _("%(section)s of evaluation #%(pk)s") % {"section": self.section_name, "pk": self.evaluation_id}


class Answer(models.Model):
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey("scorecards.Item", on_delete=models.PROTECT, related_name="answers")
    value = models.TextField(_("answer"), blank=True)
    na = models.BooleanField(_("N/A"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    score = models.DecimalField(_("score"), max_digits=5, decimal_places=2, null=True, blank=True)
    failed = models.BooleanField(_("failed"), default=False)
    number = models.DecimalField(
        _("number answered"), max_digits=12, decimal_places=4, null=True, blank=True,
        help_text=_("For number items, the answer as a number, so reports can average it in the database."),
    )
    auto_value = models.TextField(_("answer computed from the interaction's times"), blank=True)
    auto_na = models.BooleanField(default=False)
    auto_note = models.CharField(
        _("how it was computed"), max_length=300, blank=True,
        help_text=_("Set when the answer was computed from the interaction's times; empty otherwise."),
    )
    override_reason = models.TextField(_("why the computed answer was overridden"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["item__section__order", "item__order", "item_id"]
        constraints = [models.UniqueConstraint(fields=["evaluation", "item"], name="unique_answer_per_item")]
        indexes = [
            # Reports count failures and unscored (N/A) answers per item from these small partial indexes.
            models.Index(fields=["evaluation", "item"], condition=models.Q(failed=True), name="answer_failed_idx"),
            models.Index(fields=["item", "evaluation"], condition=models.Q(score__isnull=True),
                         name="answer_unscored_idx"),
        ]

    def __str__(self):
        # No answer here, for the same reason as SectionScore.__str__.
        return _("Answer to “%(item)s” in evaluation #%(pk)s") % {"item": self.item, "pk": self.evaluation_id}

    @property
    def is_auto(self) -> bool:
        return bool(self.auto_note)

    @property
    def overridden(self) -> bool:
        return self.is_auto and (self.value, self.na) != (self.auto_value, self.auto_na)


class PinnedComment(models.Model):
    """A reviewer's comment pinned to a moment of the recording and to an item, so the
    employee can hear exactly what it is about."""

    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="pins")
    item = models.ForeignKey("scorecards.Item", on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                             verbose_name=_("item"))
    at_seconds = models.DecimalField(_("moment (s)"), max_digits=8, decimal_places=2)
    text = models.TextField(_("comment"))
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at_seconds", "pk"]
        verbose_name = _("pinned comment")
        verbose_name_plural = _("pinned comments")

    def __str__(self):
        # No text here, for the same reason as SectionScore.__str__.
        return _("Comment at %(moment)s on evaluation #%(pk)s") % {"moment": self.moment, "pk": self.evaluation_id}

    @property
    def moment(self) -> str:
        total = int(self.at_seconds)
        return f"{total // 60}:{total % 60:02d}"
