"""People who sign in, and the record of changes to their roles and regions."""

import zoneinfo

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


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
