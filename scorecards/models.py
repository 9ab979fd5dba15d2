"""Scorecards and their versions.

A published version is frozen: its sections and items can never change again,
so every score given against it keeps its meaning. The freeze is enforced here,
in `save()`, `delete()` and the querysets' bulk operations, not only in the UI.
Editing a published scorecard starts a new draft version (see services.py).
"""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Channel(models.TextChoices):
    """The one vocabulary of channels. A scorecard is made for one and an evaluation records
    one; a mystery shopper's assignment (shops) and an interaction (qa) each take a subset,
    named below, so every layer above reuses these codes and words instead of its own."""

    STORE_VISIT = "store_visit", _("Store visit")
    PHONE_CALL = "phone_call", _("Phone call")
    EMAIL = "email", _("Email")
    CHAT = "chat", _("Chat")
    SOCIAL = "social", _("Social media")

    @classmethod
    def choices_of(cls, members, labels=None) -> list[tuple[str, str]]:
        """Choices for a field that takes only these channels; `labels` may say one of them
        in that field's own words (the codes stay this vocabulary's)."""
        labels = labels or {}
        return [(member.value, labels.get(member, member.label)) for member in members]


# What a mystery shopper does for an assignment: visit the location or phone it.
SHOPPING_CHANNELS = (Channel.STORE_VISIT, Channel.PHONE_CALL)
# What a customer heard or read, recorded or written down as an interaction.
INTERACTION_CHANNELS = (Channel.PHONE_CALL, Channel.EMAIL, Channel.CHAT, Channel.SOCIAL)
# The written ones: a scorecard for one of them can score any other.
TEXT_CHANNELS = frozenset({Channel.EMAIL, Channel.CHAT, Channel.SOCIAL})


class FrozenVersionError(ValidationError):
    """Raised when something tries to change a published or retired version."""

    def __init__(self, version=None):
        label = f" {version}" if version is not None else ""
        super().__init__(
            _("Version%(label)s is published and cannot be changed. Start a new version to edit it.")
            % {"label": label},
            code="frozen",
        )


class Scorecard(models.Model):
    name = models.CharField(_("name"), max_length=150, unique=True)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    description = models.TextField(_("description"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("scorecard")
        verbose_name_plural = _("scorecards")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("scorecards:detail", args=[self.pk])

    @property
    def published_version(self):
        return self.versions.filter(status=ScorecardVersion.Status.PUBLISHED).first()

    @property
    def draft_version(self):
        return self.versions.filter(status=ScorecardVersion.Status.DRAFT).first()


class ScorecardVersion(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        RETIRED = "retired", _("Retired")

    scorecard = models.ForeignKey(
        Scorecard, on_delete=models.PROTECT, related_name="versions", verbose_name=_("scorecard")
    )
    number = models.PositiveIntegerField(_("number"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    notes = models.TextField(_("what changed"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
        verbose_name=_("published by"),
    )
    retired_at = models.DateTimeField(_("retired at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["scorecard__name", "-number"]
        verbose_name = _("scorecard version")
        verbose_name_plural = _("scorecard versions")
        permissions = [("publish_scorecardversion", _("Can publish and retire scorecard versions"))]
        constraints = [
            models.UniqueConstraint(fields=["scorecard", "number"], name="unique_version_number"),
            models.UniqueConstraint(
                fields=["scorecard"], condition=Q(status="draft"), name="one_draft_per_scorecard"
            ),
            models.UniqueConstraint(
                fields=["scorecard"], condition=Q(status="published"), name="one_published_per_scorecard"
            ),
        ]

    def __str__(self):
        return _("%(scorecard)s v%(number)s") % {"scorecard": self.scorecard.name, "number": self.number}

    def get_absolute_url(self):
        return reverse("scorecards:version", args=[self.pk])

    @property
    def is_editable(self):
        return self.status == self.Status.DRAFT

    def save(self, *args, **kwargs):
        """Only a draft's fields may change; a published version may only move to retired."""
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values("status").first()
            if stored and stored["status"] != self.Status.DRAFT:
                allowed = stored["status"] == self.Status.PUBLISHED and self.status == self.Status.RETIRED
                unchanged = stored["status"] == self.status
                if not allowed and not unchanged:
                    raise FrozenVersionError(self)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != self.Status.DRAFT:
            raise FrozenVersionError(self)
        return super().delete(*args, **kwargs)

    def assert_editable(self):
        if not self.is_editable:
            raise FrozenVersionError(self)


class FrozenAwareQuerySet(models.QuerySet):
    """Bulk operations would skip save() and delete(); refuse them on frozen versions too."""

    version_path = "version"

    def _touches_frozen(self):
        return self.exclude(**{f"{self.version_path}__status": ScorecardVersion.Status.DRAFT}).exists()

    def update(self, **kwargs):
        if self._touches_frozen():
            raise FrozenVersionError()
        return super().update(**kwargs)

    def delete(self):
        if self._touches_frozen():
            raise FrozenVersionError()
        return super().delete()

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.frozen_version().assert_editable()
        return super().bulk_create(objs, *args, **kwargs)

    def bulk_update(self, objs, *args, **kwargs):
        objs = list(objs)
        for obj in objs:
            obj.frozen_version().assert_editable()
        return super().bulk_update(objs, *args, **kwargs)


class SectionQuerySet(FrozenAwareQuerySet):
    version_path = "version"


class ItemQuerySet(FrozenAwareQuerySet):
    version_path = "section__version"


positive_weight = MinValueValidator(Decimal("0.01"), message=_("A weight must be greater than zero."))


# Reports keep each section's score beside its evaluation, in this many places
# (qa.models.Evaluation.section_score_1 ...), so a version has at most this many sections.
MAX_SECTIONS = 10


class Section(models.Model):
    version = models.ForeignKey(
        ScorecardVersion, on_delete=models.CASCADE, related_name="sections", verbose_name=_("version")
    )
    name = models.CharField(
        _("name"), max_length=100,
        help_text=_("Reports compare sections across versions by this name, so keep it stable."),
    )
    description = models.TextField(_("description"), blank=True)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=Decimal("1"), validators=[positive_weight],
        help_text=_("Relative weight of this section in the overall score."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        constraints = [
            models.UniqueConstraint(fields=["version", "name"], name="unique_section_name_per_version"),
        ]

    def __str__(self):
        return self.name

    def frozen_version(self):
        return self.version

    def save(self, *args, **kwargs):
        self.version.assert_editable()
        if self.pk:
            stored_version_id = type(self).objects.filter(pk=self.pk).values_list("version_id", flat=True).first()
            if stored_version_id and stored_version_id != self.version_id:
                ScorecardVersion.objects.get(pk=stored_version_id).assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.version.assert_editable()
        return super().delete(*args, **kwargs)


class AnswerType(models.TextChoices):
    YES_NO = "yes_no", _("Yes / No")
    YES_PARTIAL_NO = "yes_partial_no", _("Yes / Partly / No")
    SCALE_5 = "scale_5", _("Scale 1 to 5")
    NUMBER = "number", _("Number scored by thresholds")
    TEXT = "text", _("Free text (not scored)")


class Kpi(models.TextChoices):
    """The policy's key performance indicators an item can measure. Their figures are computed in
    reports.aggregation (kpis, kpi_trend) and compared with reports.models.PolicyTarget."""

    FIRST_CONTACT_RESOLUTION = "fcr", _("First-contact resolution")
    RESPONSE_HOURS = "response_hours", _("Response time (hours)")
    ACKNOWLEDGED_IN_TIME = "acknowledged_in_time", _("Complaints acknowledged in time")
    RESOLVED_IN_TIME = "resolved_in_time", _("Complaints resolved in time")
    SATISFACTION = "satisfaction", _("Customer satisfaction")


class AutoAnswer(models.TextChoices):
    """Questions the interaction's own times answer (see qa.timelines), so the reviewer need not work them out."""

    ACKNOWLEDGED_IN_TIME = "acknowledged_in_time", _("Complaint acknowledged within its type's time")
    RESOLVED_IN_TIME = "resolved_in_time", _("Complaint resolved within its type's working days")
    FOLLOWED_UP_IN_TIME = "followed_up_in_time", _("Complaint followed up within its type's working days")
    RESPONSE_HOURS = "response_hours", _("Hours from the customer's message to the first reply")


class Item(models.Model):
    """One question a scorer answers.

    For NUMBER items, `thresholds` is a list of bands `[{"limit": 3, "score": 100}, ...]`.
    With `lower_is_better` (rings before answering, hours to acknowledge) an answer
    scores the first band whose limit it does not exceed; otherwise the first band
    whose limit it reaches. An answer outside every band scores 0.
    """

    class Direction(models.TextChoices):
        LOWER_IS_BETTER = "lower", _("Lower is better (e.g. rings, hours)")
        HIGHER_IS_BETTER = "higher", _("Higher is better")

    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="items", verbose_name=_("section"))
    question = models.CharField(_("question"), max_length=300)
    guidance = models.TextField(_("guidance for the scorer"), blank=True)
    policy_reference = models.CharField(_("policy reference"), max_length=200, blank=True)
    answer_type = models.CharField(_("answer type"), max_length=20, choices=AnswerType.choices, default=AnswerType.YES_NO)
    weight = models.DecimalField(
        _("weight"), max_digits=6, decimal_places=2, default=Decimal("1"), validators=[positive_weight],
    )
    na_allowed = models.BooleanField(_("N/A allowed"), default=False)
    critical = models.BooleanField(
        _("critical"), default=False, help_text=_("Failing this item fails the whole evaluation (score 0)."),
    )
    order = models.PositiveIntegerField(_("order"), default=0)
    number_unit = models.CharField(_("unit"), max_length=30, blank=True, help_text=_("For number items, e.g. rings, hours."))
    number_direction = models.CharField(
        _("direction"), max_length=10, choices=Direction.choices, default=Direction.LOWER_IS_BETTER,
    )
    thresholds = models.JSONField(_("thresholds"), default=list, blank=True)
    kpi = models.CharField(
        _("measures the KPI"), max_length=30, choices=Kpi.choices, blank=True,
        help_text=_("Reports compute this policy target from the item's answers."),
    )
    auto_answer = models.CharField(
        _("answered from the interaction's times"), max_length=30, choices=AutoAnswer.choices, blank=True,
        help_text=_("For QA reviews: the toolkit fills this answer from the complaint's times; "
                    "the reviewer may override it with a reason."),
    )

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["order", "pk"]
        verbose_name = _("item")
        verbose_name_plural = _("items")

    def __str__(self):
        return self.question

    def frozen_version(self):
        return self.section.version

    @property
    def is_scored(self):
        return self.answer_type != AnswerType.TEXT

    def clean(self):
        from scorecards.scoring import validate_item_definition

        errors = validate_item_definition(
            answer_type=self.answer_type, critical=self.critical, thresholds=self.thresholds,
            direction=self.number_direction,
        )
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.section.version.assert_editable()
        if self.pk:
            stored = type(self).objects.filter(pk=self.pk).values_list("section__version_id", flat=True).first()
            if stored and stored != self.section.version_id:
                ScorecardVersion.objects.get(pk=stored).assert_editable()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self.section.version.assert_editable()
        return super().delete(*args, **kwargs)
