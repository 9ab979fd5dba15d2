"""Every URL in the project, opened by every persona, with the answer each must get.

The list of URLs is read from the URL configuration: a new URL without an entry
in MATRIX fails `test_every_url_has_an_entry`. Each persona gets a fresh world, so
state-changing requests of one persona never change what another sees.
"""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from autoqa.models import ItemRule, PhraseList
from qa import calibration, disputes, recordings, scoring_sessions, visits
from qa.evidence import store_evidence
from qa.models import Interaction, InteractionImport, SamplingRule
from reports import subscriptions
from reports.models import ExportJob, Subscription
from scorecards import services as scorecard_services
from tests import factories as f
from tests import plans_matrix
from tests.pool import matrix as pool_matrix
from tests.coaching import access_entries as coaching_access
from tests.conftest import PERSONAS
from tests.visits_helpers import image_bytes, local, make_assignment, visit_data

STAFF = {"admin", "lead", "reviewer"}
REPORTERS = STAFF | {"manager_a", "manager_b", "employee", "other_employee"}
SIGNED_IN = set(PERSONAS) - {"anonymous"}


def expect(allowed, ok=200, refused=403, anonymous=302, **special):
    """Status per persona: `ok` for the allowed, `refused` for the rest, `anonymous` when signed out."""
    result = {p: ok if p in allowed else refused for p in PERSONAS}
    result["anonymous"] = anonymous
    result.update(special)
    return result


def expect_scoped(allowed, ok=200, outsiders=404, **special):
    """Signed-in report readers outside the object's scope get 404; shoppers 403."""
    result = expect(allowed, ok=ok, refused=outsiders)
    result["shopper"] = result["other_shopper"] = 403
    result.update(special)
    return result


SHOPPER_ONLY = expect({"shopper"}, other_shopper=404)


def build(world, settings):
    """The objects the matrix needs, several of each where a request changes state."""
    settings.EXPORT_SYNC_LIMIT = 0
    o = {"world": world}
    o["released"] = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                                      employee=world.employee_a)
    o["offer"] = make_assignment(world, accepted=False)
    o["to_cancel"] = make_assignment(world, accepted=False, location=world.location_b)
    o["open"] = make_assignment(world)
    evidence = [store_evidence(o["open"], world.shopper, SimpleUploadedFile("p.png", image_bytes()), "photo", None)[0]
                for _ in range(2)]
    o["evidence"], o["evidence_to_delete"] = evidence
    reports = []
    for n in range(4):
        assignment = make_assignment(world, location=world.location_a if n % 2 else world.location_b)
        reports.append(visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), f"m{n}")[0])
    o["to_approve"], o["to_return"], o["to_reject"], o["to_correct"] = reports
    soon = timezone.localdate() + timedelta(days=3)
    o["to_decline"] = make_assignment(world, window_start=soon, window_end=soon)
    o["answer"] = o["to_correct"].evaluation.answers.first()
    o["draft"] = scorecard_services.start_new_version(world.version.scorecard)
    o["section"] = o["draft"].sections.first()
    o["item"] = o["section"].items.first()
    o["to_retire"] = f.make_scorecard("Retire me", user=world.admin)
    o["to_publish"] = scorecard_services.start_new_version(o["to_retire"].scorecard)
    client = Client()
    client.force_login(world.lead)
    client.get(reverse("reports:export", args=["dashboard", "xlsx"]))
    o["job"] = ExportJob.objects.get(requested_by=world.lead)
    o["subscription"] = Subscription.objects.create(user=world.manager_a, created_by=world.manager_a,
                                                    report="location", object_id=world.location_a.pk, title="Store A")
    interaction = Interaction.objects.create(channel="phone_call", location=world.location_a, employee=world.employee_a,
                                             occurred_at=timezone.now(), created_by=world.reviewer)
    o["to_acknowledge"] = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD,
                                            employee=world.employee_a)
    o["to_acknowledge"].released_at = timezone.now()
    o["to_acknowledge"].save()
    o["dispute"] = disputes.raise_dispute(o["to_acknowledge"], world.employee, {
        o["to_acknowledge"].answers.first().pk: "I did greet the customer."})
    o["rule"] = SamplingRule.objects.create(name="Calls", per_employee=2, created_by=world.lead)
    o["recording"] = recordings.store_recording(interaction, SimpleUploadedFile("c.wav", recordings.wav_bytes(0.5)),
                                                world.reviewer)
    o["calls"] = f.make_call_scorecard(world.admin)
    o["to_start"] = Interaction.objects.create(channel="phone_call", location=world.location_a,
                                               employee=world.employee_a, occurred_at=timezone.now(),
                                               created_by=world.reviewer)
    o["scoring"], _ = scoring_sessions.start_review(interaction, o["calls"], world.reviewer)
    o["pin"] = scoring_sessions.pin_comment(o["scoring"], at_seconds=0.2, text="Greeting here", item_id=None,
                                     by=world.reviewer)
    o["session"] = calibration.create_session(interaction=interaction, version=o["calls"], lead=world.lead,
                                              reviewers=[world.reviewer], threshold=34)
    blind, _ = scoring_sessions.start_review(interaction, o["calls"], world.reviewer, calibration=o["session"])
    o["blind"] = blind
    o["import"] = InteractionImport.objects.create(created_by=world.lead, sheet_name="calls.csv", status="done")
    o["failed_import"] = InteractionImport(created_by=world.lead, sheet_name="calls.csv", status="failed", total=1)
    o["failed_import"].sheet.save("calls.csv", SimpleUploadedFile(
        "calls.csv", f"channel,occurred_at,location_code,conversation\nemail,2026-11-02 10:00,{world.location_a.code},"
                     "Hello\n".encode()))
    o.update(plans_matrix.objects(world))
    o.update(pool_matrix.objects(world))
    coaching_access.build(o)
    greeted = o["calls"].sections.first().items.first()
    o["autoqa_item"] = greeted
    o["autoqa_rule"] = ItemRule.objects.create(scorecard=o["calls"].scorecard, question=greeted.question,
                                               phrases="thank you for calling")
    o["alert"] = PhraseList.objects.create(name="Matrix alert", phrases="refund now")
    from api import tokens
    from api.models import WebhookDelivery, WebhookSubscription

    o["token"] = tokens.create(owner=world.lead, name="Sync", access="read", created_by=world.lead,
                               expires_at=timezone.now() + timedelta(days=5))[0]
    o["webhook"] = WebhookSubscription.objects.create(owner=world.lead, url="https://hooks.example.com/",
                                                      events=["export.ready"], secret="s", active=False)
    o["delivery"] = WebhookDelivery.objects.create(subscription=o["webhook"], event="export.ready", object_id="1")
    return o


def matrix(o):
    """(url name, method, url, data, expected status per persona), in the order they are requested."""
    w = o["world"]
    deadline = local(timezone.now() + timedelta(days=2))
    job_owner = expect({"lead"}, refused=404, shopper=403, other_shopper=403)
    return [
        ("home", "get", reverse("home"), None, expect(SIGNED_IN)),
        ("health", "get", reverse("health"), None, expect(SIGNED_IN, anonymous=200)),
        ("service-worker", "get", reverse("service-worker"), None, expect(SIGNED_IN, anonymous=200)),
        ("offline-page", "get", reverse("offline-page"), None, expect(SIGNED_IN, anonymous=200)),
        # Shoppers read their reports on their own pages, without scores (qa.shopper_views).
        ("evaluation-list", "get", reverse("evaluation-list"), None,
         expect(SIGNED_IN, shopper=302, other_shopper=302)),
        ("evaluation-detail", "get", reverse("evaluation-detail", args=[o["released"].pk]), None,
         expect(STAFF | {"manager_a", "employee"}, refused=404)),
        ("evaluation-detail", "get", reverse("evaluation-detail", args=[o["to_approve"].evaluation_id]), None,
         expect(STAFF, refused=404, shopper=302)),
        ("shopper-reports", "get", reverse("shopper-reports"), None, expect({"shopper", "other_shopper"})),
        ("shopper-pay", "get", reverse("shopper-pay"), None, expect({"shopper", "other_shopper"})),
        ("shopper-report", "get", reverse("shopper-report", args=[o["to_approve"].assignment_id]), None, SHOPPER_ONLY),
        ("visit-decline", "get", reverse("visit-decline", args=[o["to_decline"].pk]), None, SHOPPER_ONLY),
        ("visit-decline", "post", reverse("visit-decline", args=[o["to_decline"].pk]), {"reason": "Away that day."},
         expect({"shopper"}, ok=302, other_shopper=404)),
        ("visit-accept", "post", reverse("visit-accept", args=[o["offer"].pk]), {}, expect({"shopper"}, ok=302, other_shopper=404)),
        ("visit-report", "get", reverse("visit-report", args=[o["open"].pk]), None, SHOPPER_ONLY),
        ("visit-draft", "get", reverse("visit-draft", args=[o["open"].pk]), None, SHOPPER_ONLY),
        ("evidence-upload", "post", reverse("evidence-upload", args=[o["open"].pk]), {}, expect({"shopper"}, ok=400, other_shopper=404)),
        ("evidence-file", "get", reverse("evidence-file", args=[o["evidence"].pk]), None,
         expect(STAFF | {"shopper"}, refused=404)),
        ("evidence-delete", "post", reverse("evidence-delete", args=[o["evidence_to_delete"].pk]), {},
         expect({"shopper"}, ok=302, other_shopper=404)),
        ("validation-queue", "get", reverse("validation-queue"), None, expect(STAFF)),
        ("validation-detail", "get", reverse("validation-detail", args=[o["to_approve"].pk]), None, expect(STAFF)),
        ("validation-correct", "post", reverse("validation-correct", args=[o["to_correct"].pk, o["answer"].pk]),
         {"value": "no", "reason": "Recording shows otherwise."}, expect(STAFF, ok=302)),
        ("validation-return", "post", reverse("validation-return", args=[o["to_return"].pk]),
         {"note": "Add the receipt.", "deadline": deadline}, expect(STAFF, ok=302)),
        ("validation-approve", "post", reverse("validation-approve", args=[o["to_approve"].pk]), {}, expect(STAFF, ok=302)),
        ("validation-reject", "post", reverse("validation-reject", args=[o["to_reject"].pk]), {"reason": "Wrong store."},
         expect(STAFF, ok=302)),
        ("assignment-list", "get", reverse("assignment-list"), None, expect(STAFF)),
        ("assignment-create", "get", reverse("assignment-create"), None, expect(STAFF)),
        ("assignment-bulk", "get", reverse("assignment-bulk"), None, expect(STAFF)),
        ("assignment-detail", "get", reverse("assignment-detail", args=[o["open"].pk]), None, expect(STAFF)),
        ("assignment-cancel", "post", reverse("assignment-cancel", args=[o["to_cancel"].pk]), {}, expect(STAFF, ok=302)),
        ("payments", "get", reverse("payments"), None, expect({"admin"})),
        ("account-time-zone", "get", reverse("account-time-zone"), None, expect(SIGNED_IN)),
        ("password_change", "get", reverse("password_change"), None, expect(SIGNED_IN)),
        ("password_change_done", "get", reverse("password_change_done"), None, expect(SIGNED_IN)),
        ("password_reset", "get", reverse("password_reset"), None, expect(SIGNED_IN, anonymous=200)),
        ("password_reset_done", "get", reverse("password_reset_done"), None, expect(SIGNED_IN, anonymous=200)),
        ("password_reset_confirm", "get", reverse("password_reset_confirm", args=["MQ", "bad-token"]), None,
         expect(SIGNED_IN, anonymous=200)),
        ("password_reset_complete", "get", reverse("password_reset_complete"), None, expect(SIGNED_IN, anonymous=200)),
        ("scorecards:list", "get", reverse("scorecards:list"), None, expect(STAFF)),
        ("scorecards:detail", "get", reverse("scorecards:detail", args=[w.version.scorecard_id]), None, expect(STAFF)),
        ("scorecards:version", "get", reverse("scorecards:version", args=[w.version.pk]), None, expect(STAFF)),
        ("scorecards:version-preview", "get", reverse("scorecards:version-preview", args=[w.version.pk]), None, expect(STAFF)),
        ("scorecards:create", "get", reverse("scorecards:create"), None, expect({"admin"})),
        ("scorecards:update", "get", reverse("scorecards:update", args=[w.version.scorecard_id]), None, expect({"admin"})),
        ("scorecards:section-create", "get", reverse("scorecards:section-create", args=[o["draft"].pk]), None, expect({"admin"})),
        ("scorecards:section-update", "get", reverse("scorecards:section-update", args=[o["section"].pk]), None, expect({"admin"})),
        ("scorecards:section-delete", "get", reverse("scorecards:section-delete", args=[o["section"].pk]), None, expect({"admin"})),
        ("scorecards:section-move", "post", reverse("scorecards:section-move", args=[o["section"].pk, "down"]), {},
         expect({"admin"}, ok=302)),
        ("scorecards:item-create", "get", reverse("scorecards:item-create", args=[o["section"].pk]), None, expect({"admin"})),
        ("scorecards:item-update", "get", reverse("scorecards:item-update", args=[o["item"].pk]), None, expect({"admin"})),
        ("scorecards:item-delete", "get", reverse("scorecards:item-delete", args=[o["item"].pk]), None, expect({"admin"})),
        ("scorecards:item-move", "post", reverse("scorecards:item-move", args=[o["item"].pk, "down"]), {}, expect({"admin"}, ok=302)),
        ("scorecards:new-version", "post", reverse("scorecards:new-version", args=[w.version.scorecard_id]), {},
         expect({"admin"}, ok=302)),
        ("scorecards:version-retire", "post", reverse("scorecards:version-retire", args=[o["to_retire"].pk]), {},
         expect({"admin"}, ok=302)),
        ("scorecards:version-publish", "post", reverse("scorecards:version-publish", args=[o["to_publish"].pk]),
         {"confirm": "1"},
         expect({"admin"}, ok=302)),
        ("reports:dashboard", "get", reverse("reports:dashboard"), None, expect(REPORTERS)),
        ("reports:location", "get", reverse("reports:location", args=[w.location_a.pk]), None,
         expect_scoped(STAFF | {"manager_a"})),
        ("reports:employee", "get", reverse("reports:employee", args=[w.employee_a.pk]), None,
         expect_scoped(STAFF | {"manager_a", "employee"})),
        ("reports:export", "get", reverse("reports:export", args=["dashboard", "csv"]), None, expect(REPORTERS)),
        ("reports:export-object", "get", reverse("reports:export-object", args=["location", w.location_a.pk, "csv"]), None,
         expect_scoped(STAFF | {"manager_a"})),
        ("reports:export-object", "get", reverse("reports:export-object", args=["employee", w.employee_b.pk, "csv"]), None,
         expect_scoped(STAFF | {"manager_b", "other_employee"})),
        ("reports:export-job", "get", reverse("reports:export-job", args=[o["job"].pk]), None, job_owner),
        ("reports:export-download", "get", reverse("reports:export-download", args=[o["job"].pk]), None, job_owner),
        ("reports:export-retry", "post", reverse("reports:export-retry", args=[o["job"].pk]), {},
         dict(job_owner, lead=302)),
        ("reports:subscriptions", "get", reverse("reports:subscriptions"), None, expect(REPORTERS)),
        ("reports:subscribe", "get", reverse("reports:subscribe", args=["dashboard"]), None, expect(REPORTERS)),
        ("reports:subscribe-object", "get", reverse("reports:subscribe-object", args=["location", w.location_a.pk]),
         None, expect_scoped(STAFF | {"manager_a"})),
        ("reports:subscribe-object", "get", reverse("reports:subscribe-object", args=["employee", w.employee_a.pk]),
         None, expect_scoped(STAFF | {"manager_a", "employee"})),
        # Someone's subscription: theirs, and every administrator's to manage; a 404 for everyone else.
        ("reports:subscription-edit", "get", reverse("reports:subscription-edit", args=[o["subscription"].pk]), None,
         expect_scoped({"manager_a", "admin"})),
        ("reports:subscription-pause", "post", reverse("reports:subscription-pause", args=[o["subscription"].pk]), {},
         expect_scoped({"manager_a", "admin"}, ok=302)),
        ("reports:subscription-delete", "get", reverse("reports:subscription-delete", args=[o["subscription"].pk]),
         None, expect_scoped({"manager_a", "admin"})),
        # The e-mail's link works signed out, for whoever holds it (the signed token is the credential).
        ("reports:unsubscribe", "get", reverse("reports:unsubscribe", args=[subscriptions.unsubscribe_token(
            o["subscription"])]), None, expect(SIGNED_IN, anonymous=200)),
        ("interaction-list", "get", reverse("interaction-list"), None, expect(STAFF)),
        ("interaction-create", "get", reverse("interaction-create"), None, expect(STAFF)),
        # Not yet scored: its employee sees nothing of it until an evaluation of it is released to them.
        ("interaction-detail", "get", reverse("interaction-detail", args=[o["recording"].interaction_id]), None,
         expect(STAFF | {"manager_a"}, refused=404)),
        ("recording-file", "get", reverse("recording-file", args=[o["recording"].pk]), None,
         expect(STAFF | {"manager_a"}, refused=404)),
        ("evaluation-acknowledge", "post", reverse("evaluation-acknowledge", args=[o["released"].pk]), {},
         expect({"employee"}, ok=302, refused=404, admin=403, lead=403, reviewer=403, manager_a=403)),
        ("dispute-create", "get", reverse("dispute-create", args=[o["released"].pk]), None,
         expect({"employee", "manager_a"}, refused=404, admin=403, lead=403, reviewer=403)),
        ("dispute-list", "get", reverse("dispute-list"), None, expect(STAFF)),
        ("dispute-decide", "get", reverse("dispute-decide", args=[o["dispute"].pk]), None, expect(STAFF)),
        ("sampling", "get", reverse("sampling"), None, expect({"admin", "lead"})),
        ("sampling-coverage", "get", reverse("sampling-coverage", args=[o["rule"].pk]), None, expect({"admin", "lead"})),
        ("sampling-draw", "post", reverse("sampling-draw", args=[o["rule"].pk]), {}, expect({"admin", "lead"}, ok=302)),
        ("sampling-edit", "get", reverse("sampling-edit", args=[o["rule"].pk]), None, expect({"admin", "lead"})),
        ("sampling-retire", "post", reverse("sampling-retire", args=[o["rule"].pk]), {"active": "1"},
         expect({"admin", "lead"}, ok=302)),
        ("autoqa:rules", "get", reverse("autoqa:rules"), None, expect({"admin", "lead"})),
        ("autoqa:rule-edit", "get", reverse("autoqa:rule-edit", args=[o["calls"].scorecard_id, o["autoqa_item"].pk]),
         None, expect({"admin", "lead"})),
        ("autoqa:rule-delete", "post", reverse("autoqa:rule-delete", args=[o["autoqa_rule"].pk]), {},
         expect({"admin", "lead"}, ok=302)),
        ("autoqa:trust", "get", reverse("autoqa:trust"), None, expect({"admin", "lead"})),
        ("autoqa:alerts", "get", reverse("autoqa:alerts"), None, expect({"admin", "lead"})),
        ("autoqa:alert-edit", "get", reverse("autoqa:alert-edit", args=[o["alert"].pk]), None, expect({"admin", "lead"})),
        # A waiting transcript panel's status (JSON): whoever reaches the call, as its page; 401 signed out.
        ("autoqa:transcript-status", "get", reverse("autoqa:transcript-status", args=[o["recording"].interaction_id]),
         None, expect(STAFF | {"manager_a"}, refused=404, anonymous=401)),
        ("my-queue", "get", reverse("my-queue"), None, expect(STAFF)),
        ("scoring-start", "post", reverse("scoring-start", args=[o["to_start"].pk]), {"version": o["calls"].pk},
         expect(STAFF, ok=302)),
        ("evaluation-score", "get", reverse("evaluation-score", args=[o["scoring"].pk]), None, expect(STAFF)),
        ("evaluation-autosave", "post", reverse("evaluation-autosave", args=[o["scoring"].pk]), {}, expect(STAFF)),
        ("pin-create", "post", reverse("pin-create", args=[o["scoring"].pk]), {"at_seconds": "0.1", "text": "Hold"},
         expect(STAFF, ok=302)),
        ("pin-delete", "post", reverse("pin-delete", args=[o["pin"].pk]), {}, expect(STAFF, ok=302)),
        # Blind: another reviewer's calibration score is hidden, even from the lead, while the session is open.
        ("evaluation-detail", "get", reverse("evaluation-detail", args=[o["blind"].pk]), None,
         expect({"reviewer"}, refused=404)),
        ("evaluation-score", "get", reverse("evaluation-score", args=[o["blind"].pk]), None,
         expect({"reviewer"}, lead=404, admin=404)),
        ("interaction-import", "get", reverse("interaction-import"), None, expect({"admin", "lead"})),
        ("interaction-import-template", "get", reverse("interaction-import-template"), None, expect({"admin", "lead"})),
        ("interaction-import-detail", "get", reverse("interaction-import-detail", args=[o["import"].pk]), None,
         expect({"admin", "lead"})),
        ("interaction-import-retry", "post", reverse("interaction-import-retry", args=[o["failed_import"].pk]), {},
         expect({"admin", "lead"}, ok=302)),
        ("calibration-list", "get", reverse("calibration-list"), None, expect(STAFF)),
        ("calibration-create", "get", reverse("calibration-create") + f"?interaction={o['to_start'].pk}", None,
         expect({"admin", "lead"})),
        ("calibration-create", "get", reverse("calibration-create"), None, expect({"admin", "lead"})),
        ("calibration-detail", "get", reverse("calibration-detail", args=[o["session"].pk]), None, expect(STAFF)),
        ("calibration-score", "post", reverse("calibration-score", args=[o["session"].pk]), {},
         expect({"lead", "reviewer"}, ok=302, admin=404)),
        ("calibration-close", "post", reverse("calibration-close", args=[o["session"].pk]), {},
         expect({"admin", "lead"}, ok=302)),
        *coaching_access.entries(o, expect),
        # The API's pages (its REST endpoints have their own matrix: tests/api/test_api_access_matrix.py).
        # Tokens and webhooks are for those with endpoints to call and events to hear (api.pages.may_integrate):
        # not mystery shoppers.
        ("api:tokens", "get", reverse("api:tokens"), None, expect(SIGNED_IN - {"shopper", "other_shopper"})),
        # A new token's or webhook's page shows its secret once (kept in the session by the form); asked again, it
        # sends its owner back to the list.
        ("api:token-created", "get", reverse("api:token-created", args=[o["token"].pk]), None,
         expect({"lead"}, ok=302, refused=404, shopper=403, other_shopper=403)),
        ("api:token-revoke", "post", reverse("api:token-revoke", args=[o["token"].pk]), {},
         expect({"lead"}, ok=302, refused=404, shopper=403, other_shopper=403)),
        ("api:webhooks", "get", reverse("api:webhooks"), None, expect(SIGNED_IN - {"shopper", "other_shopper"})),
        ("api:webhook-created", "get", reverse("api:webhook-created", args=[o["webhook"].pk]), None,
         expect({"lead"}, ok=302, refused=404, shopper=403, other_shopper=403)),
        ("api:webhook-detail", "get", reverse("api:webhook-detail", args=[o["webhook"].pk]), None,
         expect({"lead"}, refused=404, shopper=403, other_shopper=403)),
        ("api:delivery-resend", "post", reverse("api:delivery-resend", args=[o["delivery"].pk]), {},
         expect({"lead"}, ok=302, refused=404, shopper=403, other_shopper=403)),
        ("api:docs", "get", reverse("api:docs"), None, expect(SIGNED_IN)),
        ("api:schema", "get", reverse("api:schema"), None, expect(SIGNED_IN, anonymous=401)),
        ("admin:index", "get", reverse("admin:index"), None, expect({"admin"}, refused=302)),
        ("login", "get", reverse("login"), None, expect(set(), refused=302, anonymous=200)),
        *plans_matrix.entries(o, expect, expect_scoped, STAFF, REPORTERS),
        *pool_matrix.entries(o, expect, expect_scoped),
        ("logout", "post", reverse("logout"), {}, expect(SIGNED_IN, ok=302)),
    ]


def project_url_names():
    """Every named URL outside the Django admin, with its namespace."""
    names = set()

    def walk(patterns, namespace=""):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.app_name == "admin" or pattern.namespace == "v1":
                    continue  # the REST endpoints (api:v1:...) have their own matrix (tests/api/)
                walk(pattern.url_patterns, f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(namespace + pattern.name)

    walk(get_resolver().url_patterns)
    return names


@pytest.mark.django_db
def test_every_url_has_an_entry(world, settings, private_media):
    covered = {name for name, *_rest in matrix(build(world, settings))}
    missing = project_url_names() - covered
    assert not missing, f"add these URLs to the access matrix: {sorted(missing)}"


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_access_matrix(world, client, settings, private_media, persona):
    objects = build(world, settings)
    user = world.persona(persona)
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    wrong = []
    for name, method, url, data, expected in matrix(objects):
        response = client.post(url, data) if method == "post" else client.get(url)
        if response.status_code != expected[persona]:
            wrong.append(f"{name} {method.upper()} {url}: got {response.status_code}, expected {expected[persona]}")
        elif response.status_code == 302 and persona == "anonymous" and name not in ("logout",):
            assert "/login/" in response["Location"], (name, response["Location"])
    assert not wrong, "\n".join(wrong)
