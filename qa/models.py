"""Users and evaluations.

An Evaluation is one scored encounter with the service, whoever scored it: a
mystery shopper's visit report or a QA reviewer's review of an interaction.
Its scores are computed by the engine (scorecards.scoring) when it is submitted
and stored here, so that later changes to a scorecard never change them.
"""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.signals import setting_changed
from django.db import models
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scorecards.models import MAX_SECTIONS, Channel

TIME_ZONE_CHOICES = [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name]


class User(AbstractUser):
    """A person who signs in. What they may do comes from their groups (see qa.roles);
    a regional manager's reach comes from `regions`."""

    time_zone = models.CharField(
        _("time zone"), max_length=64, choices=TIME_ZONE_CHOICES, default=settings.TIME_ZONE,
    )
    regions = models.ManyToManyField(
        "shops.Region", blank=True, related_name="managers", verbose_name=_("managed regions"),
        help_text=_("For regional managers: the regions whose results they may see."),
    )

    class Meta(AbstractUser.Meta):
        verbose_name = _("user")
        verbose_name_plural = _("users")


class RoleChange(models.Model):
    """A change to someone's roles (groups) or managed regions: who changed it, when, before and after."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="role_changes")
    by = models.ForeignKey(User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    what = models.CharField(max_length=20)
    old = models.JSONField(default=list)
    new = models.JSONField(default=list)

    class Meta:
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.user}: {self.what} {self.old} -> {self.new}"


class EvaluationQuerySet(models.QuerySet):
    def counted(self):
        """Evaluations that count in results: released, and never calibration exercises."""
        return self.filter(status=Evaluation.Status.RELEASED, is_calibration=False)


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
        ]

    def __str__(self):
        return _("Evaluation #%(pk)s") % {"pk": self.pk}

    def get_absolute_url(self):
        return reverse("evaluation-detail", args=[self.pk])


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
        return f"{self.section_name}: {self.score}"


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
        return f"{self.item}: {'N/A' if self.na else self.value}"

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
        return f"{self.moment}: {self.text[:40]}"

    @property
    def moment(self) -> str:
        total = int(self.at_seconds)
        return f"{total // 60}:{total % 60:02d}"


class PrivateStorage(LazyObject):
    """STORAGES["private"], looked up when first used and again after the setting changes
    (a FileField keeps whatever its storage callable returned when the model loaded)."""

    def _setup(self):
        from django.core.files.storage import storages

        self._wrapped = storages["private"]


PRIVATE_STORAGE = PrivateStorage()


@receiver(setting_changed)
def _forget_private_storage(*, setting, **kwargs):
    if setting in ("STORAGES", "MEDIA_ROOT"):
        PRIVATE_STORAGE._wrapped = empty


def private_storage():
    """Uploads live outside any public URL; views that check access stream them."""
    return PRIVATE_STORAGE


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


class Interaction(models.Model):
    """Something a customer actually heard or read: a call, an email, a chat, a social reply.
    QA reviewers score interactions; complaints carry the times the policy's timelines check."""

    class Channel(models.TextChoices):
        PHONE_CALL = "phone_call", _("Phone call")
        EMAIL = "email", _("Email")
        CHAT = "chat", _("Chat")
        SOCIAL = "social", _("Social media")

    class Direction(models.TextChoices):
        INBOUND = "inbound", _("Inbound (customer contacted us)")
        OUTBOUND = "outbound", _("Outbound (we contacted the customer)")

    class ComplaintType(models.TextChoices):
        BILLING = "billing", _("Billing issue")
        PRODUCT_DEFECT = "product_defect", _("Product defect")
        SERVICE_OUTAGE = "service_outage", _("Service outage")
        OTHER = "other", _("Other complaint")

    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices)
    employee = models.ForeignKey("shops.Employee", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="interactions", verbose_name=_("employee"))
    location = models.ForeignKey("shops.Location", on_delete=models.PROTECT, related_name="interactions",
                                 verbose_name=_("location"))
    occurred_at = models.DateTimeField(_("date and time"))
    customer_reference = models.CharField(_("customer reference"), max_length=100, blank=True)
    direction = models.CharField(_("direction"), max_length=10, choices=Direction.choices, default=Direction.INBOUND)
    complaint_type = models.CharField(_("complaint type"), max_length=20, choices=ComplaintType.choices, blank=True,
                                      help_text=_("Only for complaints."))
    received_at = models.DateTimeField(_("complaint received"), null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    followed_up_at = models.DateTimeField(_("followed up"), null=True, blank=True)
    conversation = models.TextField(_("conversation"), blank=True, help_text=_("For email, chat and social: the text."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("interaction")
        verbose_name_plural = _("interactions")
        indexes = [models.Index(fields=["employee", "occurred_at"], name="interaction_employee_idx")]

    def __str__(self):
        return _("%(channel)s on %(when)s") % {"channel": self.get_channel_display(), "when": self.occurred_at.date()}

    def get_absolute_url(self):
        return reverse("interaction-detail", args=[self.pk])


def recording_path(instance, filename):
    """Never trust the uploaded name: a random one, with the extension of the format found in the content."""
    import uuid

    return f"recordings/{uuid.uuid4().hex}.{instance.audio_format}"


class Recording(models.Model):
    """A call's audio. Private: streamed only to those who may see its interaction, with
    range requests so the browser can seek. Deleted after the retention period; the
    interaction and its evaluations stay."""

    interaction = models.OneToOneField(Interaction, on_delete=models.CASCADE, related_name="recording")
    file = models.FileField(storage=private_storage, upload_to=recording_path, max_length=200)
    audio_format = models.CharField(_("format"), max_length=10)
    content_type = models.CharField(max_length=50)
    size = models.PositiveBigIntegerField(default=0)
    duration_seconds = models.FloatField(_("duration (s)"), default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("recording")
        verbose_name_plural = _("recordings")

    def __str__(self):
        return f"{self.interaction} ({self.duration_seconds:.0f} s)"

    def get_absolute_url(self):
        return reverse("recording-file", args=[self.pk])


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


class SamplingRule(models.Model):
    """How many interactions to review per employee per period, e.g. 4 calls a week."""

    class Period(models.TextChoices):
        WEEK = "week", _("Week")
        MONTH = "month", _("Month")

    name = models.CharField(_("name"), max_length=100)
    per_employee = models.PositiveIntegerField(_("interactions per employee"), default=4)
    period = models.CharField(_("per"), max_length=10, choices=Period.choices, default=Period.WEEK)
    channels = models.JSONField(_("channels"), default=list, blank=True, help_text=_("Empty means every channel."))
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("sampling rule")
        verbose_name_plural = _("sampling rules")

    def __str__(self):
        return self.name


class SampleDraw(models.Model):
    """One random draw, recorded with its seed so it can be checked and repeated."""

    rule = models.ForeignKey(SamplingRule, on_delete=models.CASCADE, related_name="draws")
    period_start = models.DateField()
    period_end = models.DateField()
    seed = models.BigIntegerField()
    drawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    drawn_at = models.DateTimeField(auto_now_add=True)
    picked = models.PositiveIntegerField(default=0)

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
        return _("Calibration #%(pk)s: %(interaction)s") % {"pk": self.pk, "interaction": self.interaction}

    def get_absolute_url(self):
        return reverse("calibration-detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


def import_path(instance, filename):
    """Uploaded sheets and zips are kept privately under a random name until the import is done."""
    import uuid
    from pathlib import PurePath

    suffix = PurePath(filename).suffix.lower()
    return f"imports/{uuid.uuid4().hex}{suffix if suffix in ('.csv', '.xlsx', '.zip') else ''}"


class InteractionImport(models.Model):
    """A bulk import of interactions from a CSV or XLSX sheet plus a zip of recordings.
    All or nothing: if any row is rejected, none is imported and every reason is listed."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        CHECKING = "checking", _("Checking rows")
        IMPORTING = "importing", _("Importing")
        DONE = "done", _("Imported")
        REJECTED = "rejected", _("Rejected: nothing imported")
        FAILED = "failed", _("Failed: nothing imported")

    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    time_zone = models.CharField(max_length=64, default=settings.TIME_ZONE,
                                 help_text=_("Times in the sheet without a zone are read in this one."))
    sheet = models.FileField(storage=private_storage, upload_to=import_path, max_length=200)
    sheet_name = models.CharField(_("sheet"), max_length=200)
    recordings = models.FileField(storage=private_storage, upload_to=import_path, max_length=200, blank=True)
    recordings_name = models.CharField(_("recordings"), max_length=200, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    imported = models.PositiveIntegerField(default=0)
    problems = models.JSONField(default=list, blank=True, help_text="[{row, column, message}]")
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("interaction import")
        verbose_name_plural = _("interaction imports")

    def __str__(self):
        return _("Import of %(name)s") % {"name": self.sheet_name}

    def get_absolute_url(self):
        return reverse("interaction-import-detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.REJECTED, self.Status.FAILED)

    @property
    def percent(self) -> int:
        if self.finished:
            return 100
        # Checking is the first half of the work, importing the second.
        share = self.done / self.total if self.total else 0
        return int(50 * share) + (50 if self.status == self.Status.IMPORTING else 0)
