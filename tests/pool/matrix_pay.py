"""The pool pay pages' entries in the access matrix (see tests/pool/matrix.py): whoever may pay shoppers
(administrators) runs the batches; each shopper reads only their own payments and statements."""

import zoneinfo
from datetime import date, datetime
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from pool import pay
from pool.models import ShopperProfile
from shops.models import Assignment, Shopper

DAY = date(2026, 10, 14)


def objects(world) -> dict:
    tz = zoneinfo.ZoneInfo("Europe/London")
    shopper = Shopper.objects.get(user=world.shopper)
    profile, _ = ShopperProfile.objects.get_or_create(shopper=shopper)
    profile.payment_method, profile.paypal_email = "paypal", "shopper@example.com"
    profile.save()
    o = {}
    for key, day in (("pay_exported", DAY), ("pay_new", date(2026, 10, 15))):
        Assignment.objects.create(
            location=world.location_a, version=world.version, shopper=shopper, window_start=day, window_end=day,
            brief="Ask about a kettle.", fee=Decimal("20.00"), status=Assignment.Status.APPROVED,
            created_by=world.lead, approved_at=timezone.make_aware(datetime.combine(day, datetime.min.time()), tz)
            + timezone.timedelta(hours=12))
        o[key], _plan = pay.create_batch(method="paypal", date_from=day, date_to=day, by=world.admin, tz=tz)
    pay.export(o["pay_exported"], world.admin)
    # A visit each shopper was paid this year (outside a batch), so that each has a statement to download.
    for user in (world.shopper, world.other_shopper):
        day = date(2026, 9, 1)
        Assignment.objects.create(
            location=world.location_a, version=world.version, shopper=Shopper.objects.get(user=user), window_start=day,
            window_end=day, brief="Ask about a kettle.", fee=Decimal("20.00"), status=Assignment.Status.APPROVED,
            created_by=world.lead, approved_at=timezone.make_aware(datetime(2026, 9, 1, 12), tz),
            paid_at=timezone.now(), paid_by=world.admin)
    return o


def entries(o, expect, expect_scoped) -> list:
    payer = {"admin"}
    shoppers = {"shopper", "other_shopper"}
    new, exported = o["pay_new"].pk, o["pay_exported"].pk
    make = {"method": "paypal", "date_from": "2026-10-01", "date_to": "2026-10-31", "action": "preview"}
    year = timezone.localdate().year
    return [
        ("pool:pay-batches", "get", reverse("pool:pay-batches"), None, expect(payer)),
        ("pool:pay-batch-create", "get", reverse("pool:pay-batch-create"), None, expect(payer)),
        ("pool:pay-batch-create", "post", reverse("pool:pay-batch-create"), make, expect(payer)),
        ("pool:pay-batch", "get", reverse("pool:pay-batch", args=[new]), None, expect(payer)),
        ("pool:pay-batch-file", "get", reverse("pool:pay-batch-file", args=[exported]), None, expect(payer)),
        ("pool:pay-batch-paid", "get", reverse("pool:pay-batch-paid", args=[exported]), None, expect(payer)),
        ("pool:pay-batch-paid", "post", reverse("pool:pay-batch-paid", args=[exported]), {}, expect(payer, ok=302)),
        ("pool:pay-batch-delete", "get", reverse("pool:pay-batch-delete", args=[new]), None, expect(payer)),
        ("pool:pay-batch-delete", "post", reverse("pool:pay-batch-delete", args=[new]), {}, expect(payer, ok=302)),
        ("pool:pay-batch-export", "post", reverse("pool:pay-batch-export", args=[exported]), {},
         expect(payer, ok=302)),
        ("pool:pay-mine", "get", reverse("pool:pay-mine"), None, expect(shoppers)),
        ("pool:pay-statement", "get", reverse("pool:pay-statement", args=[year]), None, expect(shoppers)),
    ]
