"""The pool ratings pages' entries in the access matrix (see tests/pool/matrix.py): planners (admin, lead,
reviewer) read the shoppers and their ratings; QA leads and administrators bar and keep conflict lists; a
shopper reads only their own rating."""

from django.urls import reverse

from pool.models import Conflict
from shops.models import Shopper
from tests import factories as f

PLANNERS = {"admin", "lead", "reviewer"}
RUNNERS = {"admin", "lead"}


def objects(world) -> dict:
    barrable = Shopper.objects.get(user=f.make_shopper("matrix_barrable"))
    return {
        "ratings_shopper": Shopper.objects.get(user=world.shopper),
        "ratings_barrable": barrable,
        "ratings_conflict": Conflict.objects.create(shopper=barrable, location=world.location_a,
                                                    reason="Her brother works there", added_by=world.lead),
    }


def entries(o, expect, expect_scoped) -> list:
    w = o["world"]
    shopper, barrable, conflict = o["ratings_shopper"], o["ratings_barrable"], o["ratings_conflict"]
    return [
        ("pool:shoppers", "get", reverse("pool:shoppers"), None, expect(PLANNERS)),
        ("pool:shoppers", "get", reverse("pool:shoppers") + "?min_rating=4&sort=-rating&barred=no", None,
         expect(PLANNERS)),
        ("pool:shopper", "get", reverse("pool:shopper", args=[shopper.pk]), None, expect(PLANNERS)),
        ("pool:shopper", "get", reverse("pool:shopper", args=[999999]), None, expect(PLANNERS, ok=404)),
        ("pool:shopper-bar", "post", reverse("pool:shopper-bar", args=[barrable.pk]),
         {"bar-reason": "Reports for visits never made."}, expect(RUNNERS, ok=302)),
        ("pool:shopper-unbar", "post", reverse("pool:shopper-unbar", args=[barrable.pk]), {"unbar-reason": "Cleared."},
         expect(RUNNERS, ok=302)),
        ("pool:conflict-add", "post", reverse("pool:conflict-add", args=[barrable.pk]),
         {"conflict-location": w.location_b.pk, "conflict-reason": "Worked there until May"}, expect(RUNNERS, ok=302)),
        ("pool:conflict-remove", "get", reverse("pool:conflict-remove", args=[barrable.pk, conflict.pk]), None,
         expect(RUNNERS)),
        ("pool:conflict-remove", "post", reverse("pool:conflict-remove", args=[barrable.pk, conflict.pk]), {},
         expect(RUNNERS, ok=302)),
        # A conflict of another shopper is not found through this one.
        ("pool:conflict-remove", "post", reverse("pool:conflict-remove", args=[shopper.pk, conflict.pk]), {},
         expect(RUNNERS, ok=404)),
        ("pool:my-rating", "get", reverse("pool:my-rating"), None, expect({"shopper", "other_shopper"})),
    ]
