"""Helpers for tests of the shopper's visit reports."""

import io
from datetime import timedelta
from decimal import Decimal

from django.utils import timezone
from PIL import Image

from qa import services, visits
from scorecards.models import Item
from shops import services as shop_services
from shops.models import Shopper

FORMAT = "%Y-%m-%dT%H:%M"


def local(dt):
    return timezone.localtime(dt).strftime(FORMAT)


def make_assignment(world, *, accepted=True, shopper=None, **fields):
    shopper_user = shopper or world.shopper
    fields.setdefault("window_start", timezone.localdate() - timedelta(days=1))
    fields.setdefault("window_end", timezone.localdate() + timedelta(days=3))
    assignment = shop_services.create_assignment(
        created_by=world.lead, location=fields.pop("location", world.location_a), version=world.version,
        shopper=None if fields.pop("pool", False) else Shopper.objects.get(user=shopper_user),
        brief="Ask to return a faulty kettle without a receipt.", fee=Decimal("25.00"), **fields,
    )
    if accepted:
        shop_services.accept(assignment, Shopper.objects.get(user=shopper_user))
        assignment.refresh_from_db()
    return assignment


def payload(assignment, key="key-1", **overrides):
    now = timezone.now()
    data = {
        "arrived_at": local(now - timedelta(minutes=40)),
        "departed_at": local(now - timedelta(minutes=20)),
        "employee": str(assignment.location.employees.first().pk),
        "employee_description": "",
        "narrative": "Asked about returning a kettle; the policy was explained clearly.",
        "submission_key": key,
    }
    for item in Item.objects.filter(section__version=assignment.version):
        data[f"item_{item.pk}"] = "yes"
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


def item_named(assignment, question):
    return Item.objects.get(section__version=assignment.version, question=question)


def visit_data(assignment, minutes_ago=40, duration=20, **answers_override):
    now = timezone.now()
    answers = {
        item.pk: services.AnswerData(value=answers_override.get(item.question, "yes"))
        for item in Item.objects.filter(section__version=assignment.version)
    }
    return visits.VisitData(
        arrived_at=now - timedelta(minutes=minutes_ago),
        departed_at=now - timedelta(minutes=minutes_ago - duration),
        narrative="A visit.", answers=answers, employee=assignment.location.employees.first(),
    )


def image_bytes(fmt="PNG", size=(800, 600), exif_gps=False):
    image = Image.new("RGB", size, (200, 30, 30))
    out = io.BytesIO()
    kwargs = {}
    if exif_gps:
        exif = Image.Exif()
        exif[0x010F] = "PhoneMaker"  # Make
        exif[0x8825] = {1: "N", 2: (53.0, 47.0, 52.0), 3: "W", 4: (1.0, 32.0, 34.0)}  # GPS IFD
        kwargs["exif"] = exif
    image.save(out, format=fmt, **kwargs)
    return out.getvalue()
