"""The malformed inputs the security probe found answering 500, one test each: every one now gets
a 4xx or the page again with a message, and changes nothing. tests/test_fuzz.py finds the
general case; these name each finding so that it cannot come back unnoticed."""

import logging
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from qa import recordings
from qa.models import Evidence, Interaction, ReportDraft, SamplingRule, VisitReport
from scorecards import services as scorecard_services
from scorecards.models import Item, Section
from shops.models import Assignment, Shopper
from tests import factories as f
from tests.test_fuzz import DRAFT_BODIES, xlsx_with_truncated_worksheet, xlsx_without_worksheet
from tests.visits_helpers import image_bytes, make_assignment

pytestmark = pytest.mark.django_db


def in_zone(user, zone):
    user.time_zone = zone
    user.save(update_fields=["time_zone"])
    return user


# --- far and impossible dates ------------------------------------------------------------------------------------

@pytest.mark.parametrize("zone, query", [
    ("UTC", "date_to=9999-12-31"),
    ("Asia/Tokyo", "date_from=0001-01-01"),
    ("Pacific/Pago_Pago", "date_from=9999-12-31"),
])
def test_far_dates_on_the_evaluation_list_and_reports_are_refused_with_a_message(scored, client_for, zone, query):
    client = client_for(in_zone(scored.lead, zone))
    for url in [reverse("evaluation-list"), reverse("reports:dashboard"),
                reverse("reports:location", args=[scored.location_a.pk]),
                reverse("reports:employee", args=[scored.employee_a.pk])]:
        response = client.get(f"{url}?{query}")
        # A report refuses to show figures for filters it did not apply (400); the list shows its panel (200).
        assert response.status_code == (200 if url == reverse("evaluation-list") else 400), url
        assert "Enter a date between 1900 and 2999." in response.content.decode(), url


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_an_export_with_a_far_date_is_refused_before_any_byte_is_sent(scored, client_for, fmt):
    client = client_for(in_zone(scored.lead, "Asia/Tokyo"))
    response = client.get(reverse("reports:export", args=["dashboard", fmt]) + "?date_to=9999-12-31")
    assert response.status_code == 400 and not response.streaming
    page = response.content.decode()
    assert "Export not made" in page and "Enter a date between 1900 and 2999." in page


def test_a_date_inside_the_range_still_filters(scored, client_for):
    client = client_for(in_zone(scored.lead, "Asia/Tokyo"))
    response = client.get(reverse("reports:export", args=["dashboard", "csv"]) + "?date_from=1900-01-01")
    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).decode("utf-8-sig").strip().splitlines()) == 1 + 8


# --- ids and revisions in other scripts' digits ------------------------------------------------------------------

@pytest.mark.parametrize("value, expected", [
    ("12", 12), ("²", None), ("٣", None), ("-1", None), ("1.0", None), ("", None), (None, None),
    ("9" * 30, None), (str(2**63 - 1), 2**63 - 1), (7, 7),
])
def test_parse_id_takes_ascii_digits_only(value, expected):
    from qa.http import parse_id
    assert parse_id(value) == expected


def test_a_superscript_interaction_id_asks_for_an_interaction_again(world, client_for):
    """An id in other digits names no interaction: the lead is asked to choose one (4xx, a clear
    message), as when none was given; never a 500 from int("²")."""
    client = client_for(world.lead)
    for value in ["²", "٣", "9" * 30]:
        response = client.get(reverse("calibration-create") + f"?interaction={value}")
        assert response.status_code == 400
        assert "form" in response.context and response.context["form"].errors
        assert client.post(reverse("calibration-create"), {"interaction": value}).status_code in (400, 404)


def test_a_superscript_revision_counts_as_none(world, client_for):
    from qa import visits
    from tests.visits_helpers import visit_data
    assignment = make_assignment(world)
    report = visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "k")[0]
    answer = report.evaluation.answers.first()
    response = client_for(world.reviewer).post(
        reverse("validation-correct", args=[report.pk, answer.pk]),
        {"value": "no", "reason": "Recording shows otherwise.", "revision": "²"})
    assert response.status_code == 302


# --- payments ----------------------------------------------------------------------------------------------------

def test_a_non_numeric_shopper_on_the_payments_form_is_refused_and_nothing_is_paid(world, client_for):
    assignment = make_assignment(world)
    Assignment.objects.filter(pk=assignment.pk).update(status=Assignment.Status.APPROVED, approved_at=timezone.now(),
                                                        fee=Decimal("25"))
    client = client_for(world.admin)
    for value in ["abc", "²", "", "9" * 30]:
        response = client.post(reverse("payments"), {"shopper": value, "date_from": "2026-01-01"})
        assert response.status_code == 400
        assert "shopper" in response.content.decode().lower()
    assert not Assignment.objects.filter(paid_at__isnull=False).exists()
    shopper = Shopper.objects.get(user=world.shopper)
    response = client.post(reverse("payments"), {"shopper": shopper.pk, "confirm": "yes"})
    assert response.status_code == 302 and Assignment.objects.filter(paid_at__isnull=False).count() == 1


# --- the report draft --------------------------------------------------------------------------------------------

@pytest.mark.parametrize("body", DRAFT_BODIES[:9] + DRAFT_BODIES[9:15], ids=lambda b: repr(b[:40]))
def test_a_draft_the_database_cannot_hold_is_refused_and_the_saved_one_kept(world, client_for, body):
    assignment = make_assignment(world)
    ReportDraft.objects.create(assignment=assignment, data={"narrative": "typed"}, client_saved_at=4)
    response = client_for(world.shopper).post(reverse("visit-draft", args=[assignment.pk]), body,
                                              content_type="application/json")
    assert response.status_code == 400, response.content
    assert response.json()["message"] == "The draft could not be read."
    draft = ReportDraft.objects.get()
    assert (draft.data, draft.client_saved_at) == ({"narrative": "typed"}, 4)


def test_an_ordinary_draft_is_still_saved(world, client_for):
    assignment = make_assignment(world)
    response = client_for(world.shopper).post(
        reverse("visit-draft", args=[assignment.pk]),
        {"data": {"narrative": "Ça va — 会話", "items": {"3": "yes"}}, "client_saved_at": 1764547200000},
        content_type="application/json")
    assert response.status_code == 200
    assert ReportDraft.objects.get().client_saved_at == 1764547200000


# --- evidence ----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("key", ["k" * 65, "a\tb", "x" * 5000])
def test_an_evidence_key_that_did_not_come_from_the_page_is_refused(world, client_for, key):
    assignment = make_assignment(world)
    response = client_for(world.shopper).post(reverse("evidence-upload", args=[assignment.pk]), {
        "file": SimpleUploadedFile("p.png", image_bytes(), content_type="image/png"), "client_key": key})
    assert response.status_code == 400
    assert "invalid key" in response.json()["error"]
    assert not Evidence.objects.exists()


# --- imports -----------------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name, content", [
    ("calls.xlsx", xlsx_with_truncated_worksheet()),
    ("calls.xlsx", xlsx_without_worksheet()),
    ("calls.csv", bytes(range(256)) * 8),
])
def test_a_damaged_sheet_is_refused_at_upload_with_a_message(world, client_for, private_media, name, content):
    response = client_for(world.lead).post(reverse("interaction-import"), {"sheet": SimpleUploadedFile(name, content)})
    assert response.status_code == 422
    page = response.content.decode()
    assert "cannot be read" in page or "neither a CSV nor an Excel" in page
    assert not Interaction.objects.exists()


# --- files missing from storage ----------------------------------------------------------------------------------

def test_a_recording_whose_file_is_missing_answers_404_with_a_message_and_is_logged(world, client_for, caplog):
    interaction = Interaction.objects.create(channel="phone_call", location=world.location_a,
                                             employee=world.employee_a, occurred_at=timezone.now(),
                                             created_by=world.reviewer)
    recording = recordings.store_recording(interaction, SimpleUploadedFile("c.wav", recordings.wav_bytes(0.2)),
                                           world.reviewer)
    recording.file.storage.delete(recording.file.name)
    with caplog.at_level(logging.ERROR, logger="qa.media"):
        response = client_for(world.reviewer).get(reverse("recording-file", args=[recording.pk]))
    assert response.status_code == 404
    assert "missing from the server" in response.content.decode()
    assert f"Recording {recording.pk}" in caplog.text


def test_a_photo_whose_file_is_missing_answers_404_with_a_message_and_is_logged(world, client_for, caplog):
    from qa.evidence import store_evidence
    assignment = make_assignment(world)
    item = store_evidence(assignment, world.shopper, SimpleUploadedFile("p.png", image_bytes()), "photo", None)[0]
    item.file.storage.delete(item.file.name)
    with caplog.at_level(logging.ERROR, logger="qa.media"):
        response = client_for(world.reviewer).get(reverse("evidence-file", args=[item.pk]))
    assert response.status_code == 404
    assert "missing from the server" in response.content.decode()
    assert f"Evidence {item.pk}" in caplog.text


# --- NUL characters in form fields -------------------------------------------------------------------------------

def test_a_nul_character_in_a_dispute_reason_is_dropped(world, client_for):
    evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer,
                                   dict(f.ALL_GOOD, **{"Greeted the customer": "no"}), employee=world.employee_a)
    evaluation.released_at = timezone.now()
    evaluation.save()
    answer = evaluation.answers.get(item__question="Greeted the customer")
    response = client_for(world.employee).post(reverse("dispute-create", args=[evaluation.pk]),
                                               {f"reason_{answer.pk}": "I greeted\x00 her at the door."})
    assert response.status_code == 302
    assert evaluation.disputes.get().items.get().reason == "I greeted her at the door."


# --- the admin ---------------------------------------------------------------------------------------------------

@pytest.fixture
def root(world, client):
    user = f.make_user("root", is_superuser=True, is_staff=True)
    client.force_login(user)
    return client


def admin_form(client, url):
    """The admin form's fields as the page shows them, ready to post back."""
    from tests.test_fuzz import forms_in
    response = client.get(url)
    assert response.status_code == 200
    [(_method, _action, fields)] = [form for form in forms_in(response, url) if form[0] == "post" and form[2]]
    return {name: value for name, kind, value in fields if kind != "file"}


def test_a_published_scorecards_items_and_sections_are_read_only_in_the_admin(world, root):
    item = Item.objects.filter(section__version=world.version).first()
    section = item.section
    for model, obj in (("item", item), ("section", section)):
        url = reverse(f"admin:scorecards_{model}_change", args=[obj.pk])
        page = root.get(url).content.decode()
        assert "cannot be changed" in page and 'name="_save"' not in page
        assert root.post(url, {"question": "Changed", "name": "Changed"}).status_code == 403
        assert root.post(reverse(f"admin:scorecards_{model}_delete", args=[obj.pk]), {"post": "yes"}).status_code == 403
    item.refresh_from_db()
    assert item.question != "Changed"
    # New sections and items can only go into a draft.
    draft = scorecard_services.start_new_version(world.version.scorecard)
    add = root.post(reverse("admin:scorecards_section_add"), {"version": world.version.pk, "name": "New",
                                                              "weight": "1", "order": "0"})
    assert add.status_code == 200 and "Select a valid choice" in add.content.decode()
    assert root.post(reverse("admin:scorecards_section_add"), {"version": draft.pk, "name": "New", "weight": "1",
                                                               "order": "0"}).status_code == 302
    assert Section.objects.filter(version=draft, name="New").exists()


def test_a_draft_item_is_still_saved_from_the_admin(world, root):
    draft = scorecard_services.start_new_version(world.version.scorecard)
    item = Item.objects.filter(section__version=draft).first()
    url = reverse("admin:scorecards_item_change", args=[item.pk])
    data = dict(admin_form(root, url), question="Greeted the customer warmly")
    assert root.post(url, data).status_code == 302
    item.refresh_from_db()
    assert item.question == "Greeted the customer warmly"


@pytest.mark.parametrize("model", ["qa_rolechange", "qa_sampledraw", "reports_exportjob", "qa_interactionimport"])
def test_records_made_by_the_app_cannot_be_added_in_the_admin(root, model):
    assert root.get(reverse(f"admin:{model}_add")).status_code == 403
    assert root.post(reverse(f"admin:{model}_add"), {}).status_code == 403


def test_an_empty_json_field_in_the_admin_saves_its_default(world, root):
    rule = SamplingRule.objects.create(name="Calls", per_employee=2, channels=["phone_call"], created_by=world.lead)
    url = reverse("admin:qa_samplingrule_change", args=[rule.pk])
    assert root.post(url, dict(admin_form(root, url), channels="")).status_code == 302
    rule.refresh_from_db()
    assert rule.channels == []
    assignment = make_assignment(world)
    from qa import visits
    from tests.visits_helpers import visit_data
    report = visits.submit_visit_report(assignment, world.shopper, visit_data(assignment), "k")[0]
    url = reverse("admin:qa_visitreport_change", args=[report.pk])
    assert root.post(url, dict(admin_form(root, url), flags="")).status_code == 302
    assert VisitReport.objects.get(pk=report.pk).flags == []


@pytest.mark.parametrize("initial", ["-1", "0", "99999999999"])
@pytest.mark.parametrize("page", ["scorecard", "evaluation"])
def test_a_tampered_inline_form_count_in_the_admin_is_refused_with_a_message(world, root, initial, page):
    if page == "scorecard":
        url = reverse("admin:scorecards_scorecard_change", args=[world.version.scorecard_id])
    else:
        evaluation = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD)
        url = reverse("admin:qa_evaluation_change", args=[evaluation.pk])
    data = admin_form(root, url)
    for name in [name for name in data if name.endswith("-INITIAL_FORMS")]:
        response = root.post(url, dict(data, **{name: initial}))
        assert response.status_code == 200
        assert "This page is out of date" in response.content.decode()


def test_an_id_beyond_any_column_in_a_many_to_many_field_is_an_invalid_choice(world, root):
    url = reverse("admin:qa_user_change", args=[world.reviewer.pk])
    response = root.post(url, dict(admin_form(root, url), groups="99999999999999999999"))
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()


@pytest.mark.parametrize("model", ["shops_shopper", "shops_employee"])
def test_a_non_numeric_user_in_the_shops_admin_is_an_invalid_choice(world, root, model):
    response = root.post(reverse(f"admin:{model}_add"), {"user": "²", "location": "²", "name": "X"})
    assert response.status_code == 200


@pytest.mark.parametrize("zone, query", [("Pacific/Pago_Pago", "interaction_at__year=9999"),
                                         ("UTC", "interaction_at__year=9999&interaction_at__month=12"),
                                         ("Asia/Tokyo", "interaction_at__year=1")])
def test_a_far_year_in_the_admin_date_hierarchy_is_a_bad_filter(world, client, zone, query):
    root = f.make_user("root", is_superuser=True, is_staff=True, time_zone=zone)
    client.force_login(root)
    response = client.get(reverse("admin:qa_evaluation_changelist") + "?" + query, follow=True)
    assert response.status_code == 200


def test_a_far_year_in_a_third_party_admin_date_hierarchy_is_a_bad_filter(world, root):
    response = root.get(reverse("admin:axes_accessattempt_changelist") + "?attempt_time__year=9999", follow=True)
    assert response.status_code == 200


def test_a_username_longer_than_any_account_is_refused_at_sign_in(world, client):
    from axes.models import AccessAttempt
    response = client.post(reverse("login"), {"username": "x" * 3000, "password": "wrong"})
    assert response.status_code == 200
    assert "at most 150 characters" in response.content.decode()
    assert not AccessAttempt.objects.filter(username__startswith="xxx").exists()
