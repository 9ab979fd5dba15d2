"""Pay in batches: an administrator gathers approved, unpaid visits of a date range and one payment method into
a batch (one payment per shopper), exports the file the bank or PayPal takes, and marks it paid; each visit is
in at most one batch."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class PaymentBatch(models.Model):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        EXPORTED = "exported", _("Exported, waiting for payment")
        PAID = "paid", _("Paid")

    method = models.CharField(_("method"), max_length=10, choices=[("bank", _("Bank transfer")),
                                                                     ("paypal", _("PayPal"))])
    approved_from = models.DateField(_("visits approved from"))
    approved_to = models.DateField(_("visits approved to"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.NEW)
    currency = models.CharField(_("currency"), max_length=3)
    reference = models.CharField(_("payment reference"), max_length=18, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    exported_at = models.DateTimeField(_("exported at"), null=True, blank=True)
    paid_at = models.DateTimeField(_("paid at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("payment batch")
        verbose_name_plural = _("payment batches")
        constraints = [models.CheckConstraint(condition=models.Q(approved_to__gte=models.F("approved_from")),
                                              name="pool_batch_range_order")]

    def __str__(self):
        return _("Batch %(n)s") % {"n": self.pk}


class BatchPayment(models.Model):
    """One shopper's payment in a batch, with the payee details as they were when the batch was made."""

    batch = models.ForeignKey(PaymentBatch, on_delete=models.CASCADE, related_name="payments")
    shopper = models.ForeignKey("shops.Shopper", on_delete=models.PROTECT, related_name="batch_payments")
    amount = models.DecimalField(_("amount"), max_digits=10, decimal_places=2)
    payee_name = models.CharField(_("payee"), max_length=150)
    paypal_email = models.EmailField(_("PayPal e-mail"), blank=True)
    iban = models.CharField(_("IBAN"), max_length=34, blank=True)
    bic = models.CharField(_("BIC"), max_length=11, blank=True)

    class Meta:
        ordering = ["payee_name", "pk"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.UniqueConstraint(fields=["batch", "shopper"], name="pool_one_payment_per_shopper")]

    def __str__(self):
        return f"{self.payee_name}: {self.amount}"


class BatchVisit(models.Model):
    payment = models.ForeignKey(BatchPayment, on_delete=models.CASCADE, related_name="visits")
    assignment = models.OneToOneField("shops.Assignment", on_delete=models.PROTECT, related_name="batch_visit")

    class Meta:
        verbose_name = _("paid visit")
        verbose_name_plural = _("paid visits")

    def __str__(self):
        return f"{self.payment_id}: {self.assignment_id}"
