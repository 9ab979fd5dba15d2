"""Coaching sessions (built from evaluations, confirmed by both sides), their templates and goals,
and the per-scorecard switch for employees' self-assessment.

Every model keeps its history (django-simple-history): who changed the agenda, notes, a goal or
the self-assessment switch, and when, is part of the record a coaching conversation leaves."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class SessionTemplate(models.Model):
    """A starting point for a common session (onboarding, a failed critical item, a team workshop):
    its agenda and suggested goals are copied into a new session, which is then edited freely."""

    class Kind(models.TextChoices):
        ONBOARDING = "onboarding", _("Onboarding")
        CRITICAL = "critical", _("A failed critical item")
        WORKSHOP = "workshop", _("Team workshop")
        REVIEW = "review", _("Performance review")
        OTHER = "other", _("Other")

    name = models.CharField(_("name"), max_length=120, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.OTHER)
    for_team = models.BooleanField(_("for a team"), default=False,
                                   help_text=_("A team session has several employees (a workshop)."))
    agenda = models.TextField(_("agenda"), blank=True)
    goals = models.TextField(_("suggested goals"), blank=True, help_text=_("One goal per line."))
    goal_days = models.PositiveSmallIntegerField(
        _("goals due after (days)"), default=30, help_text=_("Suggested goals are due this many days after the session."))
    active = models.BooleanField(_("offered for new sessions"), default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("session template")
        verbose_name_plural = _("session templates")

    def __str__(self):
        return self.name

    def goal_lines(self) -> list[str]:
        return [line.strip() for line in self.goals.splitlines() if line.strip()]


class CoachingSession(models.Model):
    title = models.CharField(_("title"), max_length=150)
    coach = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="coaching_given",
                              verbose_name=_("coach"))
    template = models.ForeignKey(SessionTemplate, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="sessions", verbose_name=_("template"))
    scheduled_at = models.DateTimeField(_("date and time"))
    agenda = models.TextField(_("agenda"), blank=True)
    notes = models.TextField(_("notes"), blank=True)
    evaluations = models.ManyToManyField("qa.Evaluation", related_name="coaching_sessions", blank=True,
                                         verbose_name=_("evaluations discussed"))
    coach_confirmed_at = models.DateTimeField(_("confirmed by the coach"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["created_at"])

    class Meta:
        ordering = ["-scheduled_at", "-pk"]
        verbose_name = _("coaching session")
        verbose_name_plural = _("coaching sessions")
        indexes = [models.Index(fields=["scheduled_at"], name="coaching_session_when_idx")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("coaching:detail", args=[self.pk])


class Attendance(models.Model):
    """One employee coached in a session, and their own confirmation that it took place as recorded."""

    session = models.ForeignKey(CoachingSession, on_delete=models.CASCADE, related_name="attendances")
    employee = models.ForeignKey("shops.Employee", on_delete=models.PROTECT, related_name="coaching_attendances",
                                 verbose_name=_("employee"))
    confirmed_at = models.DateTimeField(_("confirmed by the employee"), null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                     related_name="+")
    comment = models.TextField(_("employee's comment"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["employee__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "employee"], name="coaching_one_attendance")]
        verbose_name = _("attendance")
        verbose_name_plural = _("attendances")

    def __str__(self):
        return str(self.employee)


class Goal(models.Model):
    session = models.ForeignKey(CoachingSession, on_delete=models.CASCADE, related_name="goals")
    text = models.CharField(_("goal"), max_length=300)
    due_on = models.DateField(_("due on"))
    done = models.BooleanField(_("achieved"), default=False)
    history = HistoricalRecords()

    class Meta:
        ordering = ["due_on", "pk"]
        verbose_name = _("goal")
        verbose_name_plural = _("goals")

    def __str__(self):
        return self.text


class SelfAssessmentSetting(models.Model):
    """Whether employees may score their own interactions with a scorecard. Kept here, keyed by the
    scorecard rather than a version: versions are frozen once published, and switching
    self-assessment on or off is not a change to what is scored."""

    scorecard = models.OneToOneField("scorecards.Scorecard", on_delete=models.CASCADE, related_name="self_assessment",
                                     verbose_name=_("scorecard"))
    enabled = models.BooleanField(_("employees assess themselves"), default=False)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("self-assessment setting")
        verbose_name_plural = _("self-assessment settings")

    def __str__(self):
        return str(self.scorecard)
