"""Models of the autoqa app.

`Transcript` is the contract between transcription (which writes it) and the automatic checks (which read it):
one per interaction, words with their times and speaker, already redacted. Emails, chats and posts need no
transcript: the checks read their text through `autoqa.utterances` (added with the rules)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from qa.models import private_storage


class Transcript(models.Model):
    """The redacted transcript of one interaction's recording. The unredacted text is never stored.

    `words` is a list of {"s": start seconds, "e": end seconds, "w": the word as shown (redaction tags such as
    "[card number]" included), "sp": "agent", "customer" or "" (mono)}, in time order."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting to be transcribed")
        RUNNING = "running", _("Being transcribed")
        DONE = "done", _("Transcribed")
        FAILED = "failed", _("Transcription failed")

    class Speaker(models.TextChoices):
        AGENT = "agent", _("Agent")
        CUSTOMER = "customer", _("Customer")
        ONE_TRACK = "", _("One track (mono)")

    interaction = models.OneToOneField("qa.Interaction", on_delete=models.CASCADE, related_name="transcript",
                                       verbose_name=_("interaction"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    error = models.TextField(_("reason it failed"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    model_name = models.CharField(_("speech model"), max_length=200, blank=True)
    stereo = models.BooleanField(_("one speaker per channel"), default=False)
    duration_seconds = models.FloatField(_("audio length (s)"), null=True, blank=True)
    words = models.JSONField(_("words"), default=list, blank=True)
    text = models.TextField(_("text"), blank=True, help_text=_("The redacted transcript as plain text."))
    redactions = models.JSONField(_("redactions"), default=list, blank=True,
                                  help_text=_("Spans removed: [{\"kind\", \"s\", \"e\"}], without what was said."))
    recording_sha256 = models.CharField(max_length=64, blank=True, editable=False,
                                        help_text="The recording content this transcript was made from.")
    redacted_audio = models.FileField(_("redacted audio"), storage=private_storage, max_length=200, blank=True,
                                      editable=False,
                                      help_text=_("With REDACT_AUDIO on: the recording with the redacted spans "
                                                  "silenced, played to everyone but QA staff."))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("transcript")
        verbose_name_plural = _("transcripts")
        indexes = [models.Index(fields=["status"], name="transcript_status_idx")]

    def __str__(self):
        return f"Transcript of interaction {self.interaction_id} ({self.get_status_display()})"


class ItemRule(models.Model):
    """An automatic check of one scorecard question.

    A rule belongs to the scorecard and the item's question, not to one version's item row: versions
    are frozen once published and editing a scorecard copies its items into a new version with new
    ids, while the question (like a section's name, which reports compare across versions) stays.
    So a rule keeps applying, and keeps its measured trust, across versions, for as long as the
    question's wording is kept; a reworded question is a new question and needs its own rule."""

    class Check(models.TextChoices):
        FIND = "find", _("Phrases that should be said")
        AVOID = "avoid", _("Phrases that should never be said")
        SILENCE = "silence", _("No silence or hold longer than a limit")
        TALK_RATIO = "talk_ratio", _("The agent's share of the talking within a range")
        INTERRUPTIONS = "interruptions", _("Interruptions at most (stereo calls)")

    class Speaker(models.TextChoices):
        ANYONE = "", _("Anyone")
        AGENT = "agent", _("The agent")
        CUSTOMER = "customer", _("The customer")

    class Window(models.TextChoices):
        ANYWHERE = "", _("Anywhere in the conversation")
        START = "start", _("In the first seconds (first messages of a text)")
        END = "end", _("In the last seconds (last messages of a text)")

    scorecard = models.ForeignKey("scorecards.Scorecard", on_delete=models.CASCADE, related_name="autoqa_rules",
                                  verbose_name=_("scorecard"))
    question = models.CharField(_("question"), max_length=300,
                                help_text=_("The item's question, as worded in the scorecard's versions."))
    kind = models.CharField(_("check"), max_length=20, choices=Check.choices, default=Check.FIND)
    phrases = models.TextField(_("phrases"), blank=True, help_text=_(
        "One phrase per line; alternatives on one line separated by |, e.g. “my name is | this is”."))
    require_all = models.BooleanField(_("every line must be found"), default=False, help_text=_(
        "Otherwise one line is enough. E.g. a greeting on one line and the agent's name on another."))
    min_similarity = models.PositiveSmallIntegerField(
        _("minimum similarity (%)"), default=85,
        validators=[MinValueValidator(50), MaxValueValidator(100)],
        help_text=_("How close what was said must be to a phrase: 100 is word for word; 85 survives a few "
                    "recognition errors."))
    speaker = models.CharField(_("said by"), max_length=10, choices=Speaker.choices, blank=True)
    window = models.CharField(_("when"), max_length=10, choices=Window.choices, blank=True)
    window_seconds = models.PositiveIntegerField(_("window (s)"), null=True, blank=True,
                                                 validators=[MaxValueValidator(36000)])
    limit_seconds = models.PositiveIntegerField(_("longest silence allowed (s)"), null=True, blank=True,
                                                validators=[MinValueValidator(1), MaxValueValidator(36000)])
    ratio_min = models.PositiveSmallIntegerField(_("agent's share at least (%)"), null=True, blank=True,
                                                 validators=[MaxValueValidator(100)])
    ratio_max = models.PositiveSmallIntegerField(_("agent's share at most (%)"), null=True, blank=True,
                                                 validators=[MaxValueValidator(100)])
    max_interruptions = models.PositiveSmallIntegerField(_("interruptions allowed"), null=True, blank=True,
                                                         validators=[MaxValueValidator(1000)])
    pass_value = models.CharField(_("answer when the check passes"), max_length=20, default="yes")
    fail_value = models.CharField(_("answer when it fails"), max_length=20, default="no",
                                  help_text=_("“N/A” for not applicable; empty leaves the item for the reviewer."))
    active = models.BooleanField(_("active"), default=True)
    revision = models.PositiveIntegerField(default=1, editable=False)
    # Agreement with the reviewers, measured by autoqa.trust.refresh (stored so automatic scoring reads it cheaply).
    trusted = models.BooleanField(_("trusted"), default=True, editable=False)
    trust_alpha = models.FloatField(null=True, blank=True, editable=False)
    trust_agreement = models.FloatField(null=True, blank=True, editable=False)
    trust_pairs = models.PositiveIntegerField(default=0, editable=False)
    trust_measured_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["scorecard__name", "question"]
        verbose_name = _("automatic check")
        verbose_name_plural = _("automatic checks")
        constraints = [models.UniqueConstraint(fields=["scorecard", "question"], name="one_rule_per_question")]

    def __str__(self):
        return _("Check of “%(question)s”") % {"question": self.question}

    @property
    def phrase_list(self) -> list[str]:
        return [line.strip() for line in self.phrases.splitlines() if line.strip()]


class Suggestion(models.Model):
    """One automatic answer: the rule's verdict on an interaction, with the moments behind it.
    Kept for every rule, trusted or not (an untrusted rule's answer is left out of the automatic
    evaluation's score, `used` False, but still compared with the reviewers' to see if it improves)."""

    evaluation = models.ForeignKey("qa.Evaluation", on_delete=models.CASCADE, related_name="autoqa_suggestions")
    item = models.ForeignKey("scorecards.Item", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(ItemRule, on_delete=models.SET_NULL, null=True, related_name="suggestions")
    value = models.CharField(_("suggested answer"), max_length=20, blank=True)
    na = models.BooleanField(default=False)
    used = models.BooleanField(_("counted in the automatic score"), default=True)
    note = models.CharField(_("why"), max_length=500, blank=True)
    evidence = models.JSONField(_("moments"), default=list, blank=True)

    class Meta:
        verbose_name = _("automatic answer")
        verbose_name_plural = _("automatic answers")
        constraints = [models.UniqueConstraint(fields=["evaluation", "item"], name="one_suggestion_per_item")]

    def __str__(self):
        return _("Automatic answer to “%(item)s”") % {"item": self.item}


class ItemReview(models.Model):
    """What a reviewer did with an automatic answer: kept or changed, captured when their evaluation
    of the interaction was submitted. The pairs (suggested, final) are what trust is measured on."""

    evaluation = models.ForeignKey("qa.Evaluation", on_delete=models.CASCADE, related_name="autoqa_reviews")
    interaction = models.ForeignKey("qa.Interaction", on_delete=models.CASCADE, related_name="+")
    item = models.ForeignKey("scorecards.Item", on_delete=models.CASCADE, related_name="+")
    rule = models.ForeignKey(ItemRule, on_delete=models.CASCADE, related_name="reviews")
    suggested_value = models.CharField(max_length=20, blank=True)
    suggested_na = models.BooleanField(default=False)
    final_value = models.TextField(blank=True)
    final_na = models.BooleanField(default=False)
    changed = models.BooleanField(default=False)
    evidence = models.JSONField(default=list, blank=True)
    note = models.CharField(max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_at", "-pk"]
        verbose_name = _("reviewed automatic answer")
        verbose_name_plural = _("reviewed automatic answers")
        constraints = [models.UniqueConstraint(fields=["evaluation", "item"], name="one_review_per_item")]

    def __str__(self):
        return _("Review of the automatic answer to “%(item)s”") % {"item": self.item}


class PhraseList(models.Model):
    """Phrases that put an interaction in the spotlight for sampling (cancel, complaint, ...)."""

    name = models.CharField(_("name"), max_length=100, unique=True)
    phrases = models.TextField(_("phrases"), help_text=_("One phrase per line."))
    speaker = models.CharField(_("said by"), max_length=10, choices=ItemRule.Speaker.choices, blank=True,
                               default=ItemRule.Speaker.CUSTOMER)
    min_similarity = models.PositiveSmallIntegerField(_("minimum similarity (%)"), default=88,
                                                      validators=[MinValueValidator(50), MaxValueValidator(100)])
    active = models.BooleanField(_("active"), default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("phrase alert")
        verbose_name_plural = _("phrase alerts")

    def __str__(self):
        return self.name

    @property
    def phrase_list(self) -> list[str]:
        return [line.strip() for line in self.phrases.splitlines() if line.strip()]


class Spotlight(models.Model):
    """Why an interaction deserves a look: a phrase alert heard, or the customer's negative sentiment.
    qa's sampling reads these through the reverse relation `interaction.spotlights` (no import)."""

    class Kind(models.TextChoices):
        PHRASE = "phrase", _("Phrase alert")
        SENTIMENT = "sentiment", _("Negative customer sentiment")

    interaction = models.ForeignKey("qa.Interaction", on_delete=models.CASCADE, related_name="spotlights")
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    phrase_list = models.ForeignKey(PhraseList, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    label = models.CharField(_("what"), max_length=200)
    detail = models.CharField(_("detail"), max_length=300, blank=True)
    at_seconds = models.FloatField(_("moment (s)"), null=True, blank=True)
    score = models.FloatField(_("sentiment (-1 to 1)"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["interaction", "kind", "pk"]
        verbose_name = _("spotlight")
        verbose_name_plural = _("spotlights")
        indexes = [models.Index(fields=["kind", "interaction"], name="spotlight_kind_idx")]

    def __str__(self):
        return self.label
