"""Qualifications a shopper holds: passed a certification quiz, or sent a document an administrator checked
(identity, background check). Either may expire. A programme lists those its visits require."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from qa import formats
from qa.models.files import private_storage


def document_path(instance, filename):
    """Never trust the uploaded name: a random name in a folder per shopper; the extension is the checked type's."""
    import os
    import uuid

    return f"pool/documents/{instance.shopper_id}/{uuid.uuid4().hex}{os.path.splitext(filename)[1].lower()}"


class Qualification(models.Model):
    class Kind(models.TextChoices):
        QUIZ = "quiz", _("Certification quiz")
        DOCUMENT = "document", _("Document checked by an administrator")

    name = models.CharField(_("name"), max_length=100, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    description = models.TextField(_("what it asks"), blank=True)
    valid_months = models.PositiveIntegerField(
        _("valid for (months)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Leave empty if it never expires."))
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("qualification")
        verbose_name_plural = _("qualifications")

    def __str__(self):
        return self.name


class Quiz(models.Model):
    qualification = models.OneToOneField(Qualification, on_delete=models.CASCADE, related_name="quiz")
    instructions = models.TextField(_("instructions"), blank=True)
    pass_percent = models.PositiveIntegerField(_("pass mark (%)"), default=80,
                                               validators=[MinValueValidator(1), MaxValueValidator(100)])
    max_attempts = models.PositiveIntegerField(_("attempts allowed"), default=3,
                                               validators=[MinValueValidator(1), MaxValueValidator(20)])
    cooling_off_days = models.PositiveIntegerField(_("days to wait after a failed attempt"), default=7,
                                                   validators=[MaxValueValidator(365)])

    class Meta:
        verbose_name = _("quiz")
        verbose_name_plural = _("quizzes")

    def __str__(self):
        return str(self.qualification)


class Question(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="questions")
    text = models.TextField(_("question"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.text[:60]


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("answer"), max_length=300)
    correct = models.BooleanField(_("right answer"), default=False)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("answer")
        verbose_name_plural = _("answers")

    def __str__(self):
        return self.text[:60]


class QuizAttempt(models.Model):
    quiz = models.ForeignKey(Quiz, on_delete=models.CASCADE, related_name="attempts")
    shopper = models.ForeignKey("shops.Shopper", on_delete=models.CASCADE, related_name="quiz_attempts")
    finished_at = models.DateTimeField(_("taken at"), default=timezone.now)
    answers = models.JSONField(default=dict)  # {question id: [choice ids]}
    wrong = models.JSONField(default=list)  # [question ids answered wrongly], shown after the attempt
    score_percent = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=1)
    passed = models.BooleanField(_("passed"))

    class Meta:
        ordering = ["-finished_at", "-pk"]
        verbose_name = _("quiz attempt")
        verbose_name_plural = _("quiz attempts")

    def __str__(self):
        return f"{self.shopper} / {self.quiz}: {self.score_figure}%"

    @property
    def score_figure(self) -> str:
        """The score as people read it before its "%": "100", "0", "66.7" (the decimal only where there is one),
        rounded as every figure is (qa.formats.figure)."""
        text = formats.figure(self.score_percent, 1)
        return text[:-2] if text.endswith(".0") else text


class Credential(models.Model):
    """A qualification as one shopper holds it: granted by a passed quiz, or a document waiting for,
    passing or failing an administrator's check. Held while approved and not expired."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a check")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Not accepted")

    shopper = models.ForeignKey("shops.Shopper", on_delete=models.CASCADE, related_name="credentials")
    qualification = models.ForeignKey(Qualification, on_delete=models.CASCADE, related_name="credentials")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    document = models.FileField(_("document"), storage=private_storage, upload_to=document_path, max_length=200,
                                blank=True)
    submitted_at = models.DateTimeField(_("sent at"), default=timezone.now)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")

    def __str__(self):
        return f"{self.shopper} / {self.qualification}"

    def is_held(self, today=None) -> bool:
        today = today or timezone.localdate()
        return self.status == self.Status.APPROVED and (self.expires_on is None or self.expires_on >= today)
