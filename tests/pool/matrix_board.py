"""The pool board pages' entries in the access matrix (see tests/pool/matrix.py)."""

from datetime import timedelta
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from pool.models import Application, Programme, ProgrammeScorecard
from shops import services as shop_services
from tests import factories as f

PLANNERS = {"admin", "lead", "reviewer"}
RUNNERS = {"admin", "lead"}
SHOPPERS = {"shopper", "other_shopper"}


def pool_visit(world, version, location):
    today = timezone.localdate()
    return shop_services.create_assignment(
        created_by=world.lead, location=location, version=version, shopper=None, brief="Ask about a kettle.",
        fee=Decimal("20.00"), window_start=today - timedelta(days=1), window_end=today + timedelta(days=5))


def objects(world) -> dict:
    # A scorecard of its own for the programme, so the programme's rules touch no other entry's visits.
    version = f.make_scorecard("Board matrix visit", user=world.admin)
    programme = Programme.objects.create(name="Board matrix", claim_rule=Programme.ClaimRule.PLANNER_CHOOSES)
    ProgrammeScorecard.objects.create(programme=programme, scorecard=version.scorecard)
    o = {"board_programme": programme}
    o["board_apply"] = pool_visit(world, version, world.location_a)
    o["board_chosen"] = pool_visit(world, version, world.location_b)
    o["board_claim"] = pool_visit(world, world.version, world.location_b)
    o["board_application"] = Application.objects.create(assignment=o["board_chosen"], shopper=world.shopper.shopper)
    return o


def entries(o, expect, expect_scoped) -> list:
    shoppers = expect(SHOPPERS)
    return [
        ("pool:profile", "get", reverse("pool:profile"), None, shoppers),
        ("pool:board", "get", reverse("pool:board"), None, shoppers),
        ("pool:claim", "post", reverse("pool:claim", args=[o["board_claim"].pk]), {}, expect(SHOPPERS, ok=302)),
        ("pool:apply", "post", reverse("pool:apply", args=[o["board_apply"].pk]), {"note": "Near me"},
         expect(SHOPPERS, ok=302)),
        # Someone else's application is not there for them.
        ("pool:withdraw", "post", reverse("pool:withdraw", args=[o["board_application"].pk]), {},
         expect({"shopper"}, ok=302, other_shopper=404)),
        ("pool:applicants", "get", reverse("pool:applicants", args=[o["board_chosen"].pk]), None, expect(PLANNERS)),
        ("pool:applicants", "post", reverse("pool:applicants", args=[o["board_chosen"].pk]),
         {"application": o["board_application"].pk}, expect(PLANNERS, ok=302)),
        ("pool:coverage", "get", reverse("pool:coverage"), None, expect(PLANNERS)),
        ("pool:coverage", "post", reverse("pool:coverage"), {"only": o["board_claim"].pk, "query": ""},
         expect(PLANNERS, ok=302)),
        ("pool:programmes", "get", reverse("pool:programmes"), None, expect(RUNNERS)),
        ("pool:programme-create", "get", reverse("pool:programme-create"), None, expect(RUNNERS)),
        ("pool:programme-update", "get", reverse("pool:programme-update", args=[o["board_programme"].pk]), None,
         expect(RUNNERS)),
    ]
