"""What the pool knows of a shopper beyond their login: home area (for distances), payment details (for
batches), whether a planner has barred them and why (kept in the history), and the locations where they are
known and so may not shop (the conflict list)."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ShopperProfile(models.Model):
    class PaymentMethod(models.TextChoices):
        BANK = "bank", _("Bank transfer")
        PAYPAL = "paypal", _("PayPal")

    shopper = models.OneToOneField("shops.Shopper", on_delete=models.CASCADE, related_name="profile",
                                   verbose_name=_("shopper"))
    home_area = models.CharField(_("home area"), max_length=100, blank=True,
                                 help_text=_("A town or postcode district, e.g. “Leeds LS6”."))
    home_latitude = models.DecimalField(_("home latitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                        validators=[MinValueValidator(-90), MaxValueValidator(90)])
    home_longitude = models.DecimalField(_("home longitude"), max_digits=9, decimal_places=6, null=True, blank=True,
                                         validators=[MinValueValidator(-180), MaxValueValidator(180)])
    travel_km = models.PositiveIntegerField(_("willing to travel (km)"), default=25,
                                            validators=[MinValueValidator(1), MaxValueValidator(1000)])
    payment_method = models.CharField(_("paid by"), max_length=10, choices=PaymentMethod.choices, blank=True)
    paypal_email = models.EmailField(_("PayPal e-mail"), blank=True)
    account_name = models.CharField(_("account holder's name"), max_length=70, blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)
    barred = models.BooleanField(_("barred"), default=False)
    barred_reason = models.TextField(_("why barred"), blank=True)
    changed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shopper profile")
        verbose_name_plural = _("shopper profiles")

    def __str__(self):
        return str(self.shopper)

    @property
    def has_home(self):
        return self.home_latitude is not None and self.home_longitude is not None


class Conflict(models.Model):
    """A location where this shopper is known (a relative works there, they used to): no visits there."""

    shopper = models.ForeignKey("shops.Shopper", on_delete=models.CASCADE, related_name="conflicts")
    location = models.ForeignKey("shops.Location", on_delete=models.CASCADE, related_name="+",
                                 verbose_name=_("location"))
    reason = models.CharField(_("reason"), max_length=200)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)
    history = HistoricalRecords()  # additions and removals: who, when (and why a removal), on the shopper's page

    class Meta:
        verbose_name = _("conflict")
        verbose_name_plural = _("conflicts")
        constraints = [models.UniqueConstraint(fields=["shopper", "location"], name="pool_conflict_once")]

    def __str__(self):
        return f"{self.shopper} / {self.location}"
