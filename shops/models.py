"""The organisation being evaluated: regions, their locations, the employees who
serve customers there, and the mystery shoppers who visit them."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


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

    class Meta:
        ordering = ["name"]
        verbose_name = _("location")
        verbose_name_plural = _("locations")

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

    class Meta:
        ordering = ["name"]
        verbose_name = _("employee")
        verbose_name_plural = _("employees")

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

    class Meta:
        ordering = ["user__last_name", "user__first_name", "user__username"]
        verbose_name = _("shopper")
        verbose_name_plural = _("shoppers")

    def __str__(self):
        return self.user.get_full_name() or self.user.username

    def get_absolute_url(self):
        return reverse("admin:shops_shopper_change", args=[self.pk])
