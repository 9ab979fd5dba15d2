"""The pool conversation pages' entries in the access matrix (see tests/pool/matrix.py)."""

from django.urls import reverse

from pool import conversation as talk
from tests.pool.conversation_helpers import rejected_report, submitted_report

STAFF = {"admin", "lead", "reviewer"}


def objects(world) -> dict:
    o = {}
    o["talk_report"] = submitted_report(world, key="talk-1")
    o["talk_rejected"] = rejected_report(world, key="talk-2", by=world.lead)
    o["talk_appealed"] = rejected_report(world, key="talk-3", by=world.lead)
    o["talk_appeal"] = talk.appeal(o["talk_appealed"].assignment, world.shopper, "The sign is in photo 2.")
    return o


def entries(o, expect, expect_scoped) -> list:
    talkers = STAFF | {"shopper"}
    messages = reverse("pool:messages", args=[o["talk_report"].assignment_id])
    appeal_create = reverse("pool:appeal-create", args=[o["talk_rejected"].assignment_id])
    appeal = reverse("pool:appeal", args=[o["talk_appeal"].pk])
    decision = {"decision": "upheld", "decision_reason": "Photo 2 shows the neighbour's sign."}
    return [
        ("pool:messages", "get", messages, None, expect(talkers, other_shopper=404)),
        ("pool:messages", "post", messages, {"body": "Which till?"}, expect(talkers, ok=302, other_shopper=404)),
        ("pool:appeal-create", "get", appeal_create, None, expect({"shopper"}, other_shopper=404)),
        ("pool:appeal-create", "post", appeal_create, {"reason": "The sign is in photo 2."},
         expect({"shopper"}, ok=302, other_shopper=404)),
        ("pool:appeals", "get", reverse("pool:appeals"), None, expect(STAFF)),
        ("pool:appeal", "get", appeal, None, expect(STAFF)),
        # The lead rejected the report: another reviewer decides, the lead is told so (422).
        ("pool:appeal", "post", appeal, decision, expect(STAFF, ok=302, lead=422)),
    ]
