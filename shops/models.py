"""The organisation being evaluated: regions, their locations, the employees who
serve customers there, the mystery shoppers who visit them, and the assignments
(visits or calls) those shoppers are given, with every change of their status."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.formats import date_format
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from scorecards.models import SHOPPING_CHANNELS, Channel


class Region(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    code = models.SlugField(_("code"), max_length=20, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    def __str__(self):
        return self.name


class Location(models.Model):
    class Kind(models.TextChoices):
        STORE = "store", _("Store")
        BRANCH = "branch", _("Branch")
        CALL_CENTRE = "call_centre", _("Call centre")
        ONLINE = "online", _("Online channel")

    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="locations", verbose_name=_("region"))
    code = models.CharField(_("code"), max_length=20, unique=True)
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.STORE)
    address = models.TextField(_("address"), blank=True)
    latitude = models.DecimalField(
        _("latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    active = models.BooleanField(_("active"), default=True)
    external_id = models.CharField(
        _("external id"), max_length=100, blank=True, default="",
        help_text=_("The id another system (HR, workforce management) knows it by; kept in step through the API."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")
        constraints = [models.UniqueConstraint(fields=["external_id"], condition=~models.Q(external_id=""),
                                               name="location_external_id_unique")]

    def __str__(self):
        return f"{self.name} ({self.code})"

    @property
    def has_coordinates(self):
        return self.latitude is not None and self.longitude is not None


class Employee(models.Model):
    """A member of staff whose service is evaluated. Most employees never sign in;
    those who do are linked through `user` and see only their own results."""

    location = models.ForeignKey(
        Location, on_delete=models.PROTECT, related_name="employees", verbose_name=_("location")
    )
    name = models.CharField(_("name"), max_length=150)
    employee_code = models.CharField(_("employee code"), max_length=30, unique=True)
    job_title = models.CharField(_("job title"), max_length=100, blank=True)
    active = models.BooleanField(_("active"), default=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="employee", verbose_name=_("login"),
    )
    external_id = models.CharField(
        _("external id"), max_length=100, blank=True, default="",
        help_text=_("The id another system (HR, workforce management) knows it by; kept in step through the API."))

    class Meta:
        ordering = ["name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")
        constraints = [models.UniqueConstraint(fields=["external_id"], condition=~models.Q(external_id=""),
                                               name="employee_external_id_unique")]

    def __str__(self):
        return f"{self.name} ({self.employee_code})"


class Shopper(models.Model):
    """A mystery shopper: always a login, since they file reports themselves.
    Their identity is never shown to the locations they visit."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shopper", verbose_name=_("login")
    )
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    home_region = models.ForeignKey(
        Region, on_delete=models.SET_NULL, null=True, blank=True, related_name="shoppers",
        verbose_name=_("home region"),
    )
    active = models.BooleanField(_("active"), default=True)
    notes = models.TextField(_("notes"), blank=True)
    external_id = models.CharField(
        _("external id"), max_length=100, blank=True, default="",
        help_text=_("The id another system (HR, workforce management) knows it by; kept in step through the API."))

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        verbose_name = _("shopper")
        verbose_name_plural = _("shoppers")
        constraints = [models.UniqueConstraint(fields=["external_id"], condition=~models.Q(external_id=""),
                                               name="shopper_external_id_unique")]

    def __str__(self):
        return self.user.get_full_name() or self.user.username

    def get_absolute_url(self):
        return reverse("admin:shops_shopper_change", args=[self.pk])


class Assignment(models.Model):
    """A visit (or a call) that a mystery shopper makes to a location, scored
    against a published scorecard version. Offered to one shopper or, with no
    shopper, to the whole pool; every status change is kept as an AssignmentEvent."""

    class Status(models.TextChoices):
        OFFERED = "offered", _("Offered")
        ACCEPTED = "accepted", _("Accepted")
        SUBMITTED = "submitted", _("Submitted")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        CANCELLED = "cancelled", _("Cancelled")

    # A mystery shopper's call is to the location itself, and the assignment says so.
    CHANNEL_CHOICES = Channel.choices_of(SHOPPING_CHANNELS, labels={Channel.PHONE_CALL: _("Phone call to the location")})

    location = models.ForeignKey(Location, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("location"))
    version = models.ForeignKey(
        "scorecards.ScorecardVersion", on_delete=models.PROTECT, related_name="assignments",
        verbose_name=_("scorecard version"),
    )
    shopper = models.ForeignKey(
        Shopper, on_delete=models.PROTECT, null=True, blank=True, related_name="assignments",
        verbose_name=_("shopper"), help_text=_("Leave empty to offer the visit to every shopper."),
    )
    channel = models.CharField(_("channel"), max_length=20, choices=CHANNEL_CHOICES, default=Channel.STORE_VISIT)
    window_start = models.DateField(_("first day"))
    window_end = models.DateField(_("last day"))
    time_of_day = models.CharField(_("time of day"), max_length=60, blank=True, help_text=_("Optional, e.g. “after 5 pm” or “Saturday morning”."))
    brief = models.TextField(_("scenario brief"), help_text=_("What to ask or do, e.g. “Ask to return a faulty kettle without a receipt.”"))
    fee = models.DecimalField(_("fee"), max_digits=8, decimal_places=2, default=0)
    report_due_hours = models.PositiveIntegerField(_("report due within (hours after the visit)"), default=24)
    receipt_required = models.BooleanField(_("receipt photo required"), default=False)
    photo_required = models.BooleanField(_("photo required"), default=False)
    bar_days = models.PositiveIntegerField(
        _("bar shoppers who visited in the last (days)"), default=0,
        help_text=_("0 allows repeat visits. Otherwise a shopper who visited this location in that many days cannot take it."),
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.OFFERED)
    review_note = models.TextField(_("reviewer's note"), blank=True)
    revision_deadline = models.DateTimeField(_("revise by"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    paid_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["window_start", "pk"]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        permissions = [("manage_payments", _("Can see and mark shopper fees as paid"))]
        indexes = [models.Index(fields=["status", "window_start"], name="assignment_status_idx")]
        constraints = [
            models.CheckConstraint(condition=models.Q(window_end__gte=models.F("window_start")), name="assignment_window_order"),
        ]

    def __str__(self):
        return _("%(location)s, %(start)s to %(end)s") % {
            # The language's date format (en-gb: "10 Dec 2026", the same as qa.formats.DATE), never ISO.
            "location": self.location.name, "start": date_format(self.window_start), "end": date_format(self.window_end),
        }

    @property
    def is_open_for_report(self):
        return self.status in (self.Status.ACCEPTED, self.Status.RETURNED)

    @property
    def fee_payable(self):
        return self.status == self.Status.APPROVED and self.paid_at is None


class AssignmentEvent(models.Model):
    """One status change of an assignment: who, when, from what to what, and why."""

    assignment = models.ForeignKey(Assignment, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=10, choices=Assignment.Status.choices, blank=True)
    to_status = models.CharField(max_length=10, choices=Assignment.Status.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("assignment event")
        verbose_name_plural = _("assignment events")

    def __str__(self):
        return f"{self.assignment_id}: {self.from_status or '-'} -> {self.to_status}"

    @staticmethod
    def declines() -> models.Q:
        """A shopper's decline is the one event that goes from offered or accepted back to offered
        (shops.services.decline); planners read it in the history, offers leave the decliner's list."""
        return models.Q(to_status=Assignment.Status.OFFERED,
                        from_status__in=[Assignment.Status.OFFERED, Assignment.Status.ACCEPTED])

    @property
    def is_decline(self) -> bool:
        return self.to_status == Assignment.Status.OFFERED and self.from_status in (
            Assignment.Status.OFFERED, Assignment.Status.ACCEPTED)
