"""Automatic evaluations: every rule run over a transcript or a text, the answers scored by the one
engine, evidence kept per answer, untrusted rules left out, and people's figures left alone."""

from autoqa import evaluation as auto
from autoqa.models import ItemRule, Suggestion
from autoqa.signals import transcript_ready
from qa import scoping, services
from qa.models import Evaluation
from reports import services as reports
from scorecards import scoring
from scorecards.models import Channel
from scorecards.services import spec_for
from tests import factories as f
from tests.autoqa.helpers import GOOD_CALL, call

GREETING = "Greeted the caller as if happy to hear from them, with their name and the company’s"
CLOSING = "Closed by checking everything was resolved to the caller’s satisfaction"
COURTEOUS = "Used courteous phrases (“Thanks for calling”, “You’re welcome”, “It’s been a pleasure helping you”)"
WAIT = "Apologised for the wait (“Sorry to keep you waiting”) after a hold"


def answers_by_question(evaluation):
    return {a.item.question: (a.value, a.na) for a in evaluation.answers.select_related("item")}


def test_transcript_ready_checks_the_call_on_the_worker(defaults, make_call, django_capture_on_commit_callbacks):
    interaction = make_call(GOOD_CALL)
    with django_capture_on_commit_callbacks(execute=True):
        transcript_ready.send(sender=type(interaction.transcript), transcript=interaction.transcript)
    evaluation = Evaluation.objects.get(interaction=interaction, source=Evaluation.Source.AUTOMATIC)
    assert evaluation.version == defaults["phone"]
    assert evaluation.status == Evaluation.Status.RELEASED and evaluation.evaluator.username == auto.AUTOMATIC_USERNAME
    assert not evaluation.evaluator.is_active and not evaluation.evaluator.has_usable_password()
    answers = answers_by_question(evaluation)
    assert answers[GREETING] == ("yes", False)
    assert answers[CLOSING] == ("yes", False)
    assert answers[COURTEOUS] == ("yes", False)
    assert WAIT not in answers  # not found, and its rule leaves that to the reviewer (no hold, no apology)
    greeting = Suggestion.objects.get(evaluation=evaluation, item__question=GREETING)
    assert [(m["s"], m["text"]) for m in greeting.evidence] == [
        (0.5, "thank you for calling"), (2.5, "my name is")]


def test_phone_empathy_suggests_a_warm_tone_and_is_migrated_as_seeded(defaults, make_call):
    """Item 4's "apology and empathy" on the phone card: empathy heard gives the tone item 4 of 5 with the
    moment; not heard, the tone is left to the reviewer. The data migration creates the same check."""
    import importlib

    from autoqa import defaults as default_rules

    migration = importlib.import_module("autoqa.migrations.0006_phone_empathy_check")
    assert migration.PHRASES == default_rules.PHONE_EMPATHY and migration.TONE == default_rules.TONE
    answers = answers_by_question(auto.evaluate_interaction(make_call(GOOD_CALL)))
    assert answers[default_rules.TONE] == ("4", False)
    plain = call(("agent", 0.5, "thank you for calling acme my name is sarah"), ("customer", 4.0, "I need a refund"),
                 ("agent", 8.0, "I understand your account number is one two three"))
    assert default_rules.TONE not in answers_by_question(auto.evaluate_interaction(make_call(plain)))


def test_scored_by_the_engine(defaults, make_call):
    no_greeting = call(("agent", 0.5, "account number"), ("customer", 3.0, "it is one two three"),
                       ("agent", 8.0, "you're welcome is there anything else"))
    evaluation = auto.evaluate_interaction(make_call(no_greeting))
    evaluation.refresh_from_db()
    stored = services.stored_answers(evaluation)
    expected = scoring.score(spec_for(evaluation.version), services.engine_answers(stored))
    assert evaluation.overall_score == expected.overall
    assert answers_by_question(evaluation)[GREETING] == ("no", False)
    assert evaluation.overall_score < 100
    assert evaluation.answers.get(item__question=GREETING).score == 0


def test_rewritten_in_place_when_checked_again(defaults, make_call):
    interaction = make_call(GOOD_CALL)
    first = auto.evaluate_interaction(interaction)
    second = auto.evaluate_interaction(interaction)
    assert first.pk == second.pk
    assert Evaluation.objects.filter(interaction=interaction).count() == 1
    assert Suggestion.objects.filter(evaluation=first, item__question=GREETING).count() == 1


def test_untrusted_rule_is_left_out_of_the_score(defaults, make_call):
    interaction = make_call(GOOD_CALL)
    ItemRule.objects.filter(question=GREETING).update(trusted=False)
    evaluation = auto.evaluate_interaction(interaction)
    assert GREETING not in answers_by_question(evaluation)
    suggestion = Suggestion.objects.get(evaluation=evaluation, item__question=GREETING)
    assert (suggestion.value, suggestion.used) == ("yes", False)  # still kept, to keep measuring it


def test_kept_out_of_peoples_figures(defaults, make_call, world):
    people = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)
    automatic = auto.evaluate_interaction(make_call(GOOD_CALL))
    assert list(Evaluation.objects.counted()) == [people]
    dashboard = reports.build(world.lead, {}, "Dashboard")
    assert dashboard.summary["count"] == 1
    only_automatic = reports.build(world.lead, {"source": "automatic"}, "Dashboard")
    assert only_automatic.summary["count"] == 1
    assert list(only_automatic.evaluations) == [automatic]
    # Managers and employees never see an automatic evaluation, nor reach the call through it.
    assert automatic not in scoping.evaluations_for(world.manager_a)
    assert reports.build(world.manager_a, {"source": "automatic"}, "Dashboard").summary["count"] == 0
    assert not scoping.evaluations_for(world.employee).filter(pk=automatic.pk).exists()
    assert not scoping.interactions_for(world.employee).filter(pk=automatic.interaction_id).exists()
    assert automatic in scoping.evaluations_for(world.reviewer)


def test_dashboard_shows_coverage_and_the_automatic_source(defaults, make_call, world, client_for):
    auto.evaluate_interaction(make_call(GOOD_CALL))
    make_call(GOOD_CALL)  # transcribed but not checked yet
    page = client_for(world.lead).get("/reports/")
    assert page.context["coverage"] == {"total": 2, "auto": 1, "people": 0, "both": 0, "auto_share": 50.0,
                                        "people_share": 0.0, "both_share": 0.0}
    assert "scored automatically (1 of 2 interactions)" in page.content.decode()
    assert page.context["data"].summary["count"] == 0
    automatic = client_for(world.lead).get("/reports/?source=automatic")
    assert automatic.context["data"].summary["count"] == 1
    assert "Automatic evaluations only" in automatic.content.decode()
    manager = client_for(world.manager_a).get("/reports/")
    assert manager.context["coverage"] is None
    assert "automatic" not in dict(manager.context["filter"].form.fields["source"].choices)


def test_dashboard_exports_carry_the_pages_coverage(defaults, make_call, world, client_for, private_media):
    """The PDF and Excel exports of the dashboard hold the coverage block with the page's figures
    (reports.coverage.figures), under the same filters; managers' exports have none."""
    import io

    from openpyxl import load_workbook
    from pypdf import PdfReader

    auto.evaluate_interaction(make_call(GOOD_CALL))
    make_call(GOOD_CALL)
    make_call(GOOD_CALL, employee=world.employee_b)  # another place: filtered out below
    client = client_for(world.lead)
    params = {"location": world.location_a.pk}
    page = client.get("/reports/", params).context["coverage"]
    assert (page["total"], page["auto"], page["auto_share"]) == (2, 1, 50.0)
    sheet = load_workbook(io.BytesIO(client.get("/reports/export/dashboard.xlsx", params).content))[
        "Coverage of interactions"]
    rows = {row[0]: row[1:] for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows == {"Scored automatically": (page["auto"], page["total"], page["auto_share"]),
                    "Scored by reviewers": (page["people"], page["total"], page["people_share"]),
                    "Scored both ways": (page["both"], page["total"], page["both_share"])}
    pdf = client.get("/reports/export/dashboard.pdf", params).content
    text = " ".join("\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages).split())
    assert "Coverage of interactions" in text
    assert f"Scored automatically {page['auto']} {page['total']} {page['auto_share']:.1f}" in text
    manager = load_workbook(io.BytesIO(client_for(world.manager_a).get("/reports/export/dashboard.xlsx").content))
    assert "Coverage of interactions" not in manager.sheetnames


def test_written_interactions_are_checked_when_saved(defaults, make_text, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        email = make_text("Customer: My kettle arrived broken and I'm really upset.\n"
                          "Agent: Thank you for getting in touch. I completely understand, that must be frustrating. "
                          "We will send a new kettle within 3 working days.\n"
                          "Agent: Is there anything else I can help with?")
    evaluation = Evaluation.objects.get(interaction=email, source=Evaluation.Source.AUTOMATIC)
    assert evaluation.version == defaults["text"]
    answers = answers_by_question(evaluation)
    assert answers["Addressed the customer by name and thanked them for getting in touch"] == ("yes", False)
    assert answers["Stated next steps and a realistic time for resolution"] == ("yes", False)
    assert answers["Closed by asking whether anything else was needed"] == ("yes", False)
    evidence = Suggestion.objects.get(evaluation=evaluation, item__question__startswith="Acknowledged").evidence
    assert evidence[0]["s"] is None and "understand" in evidence[0]["text"].lower()


def test_chat_uses_the_written_scorecard_and_a_curt_reply_fails(defaults, make_text):
    chat = make_text("Customer: where is my order\nAgent: it's in transit", channel=Channel.CHAT)
    evaluation = auto.evaluate_interaction(chat)
    assert evaluation.version == defaults["text"]
    answers = answers_by_question(evaluation)
    assert answers["Closed by asking whether anything else was needed"] == ("no", False)
    assert "Stated next steps and a realistic time for resolution" not in answers  # left for the reviewer


def test_nothing_to_check(defaults, make_text, make_call, world):
    assert auto.evaluate_interaction(make_call([])) is None
    assert auto.evaluate_interaction(make_text("")) is None


def test_imported_written_interactions_are_checked_once_revealed(defaults, world, client_for, private_media,
                                                                  django_capture_on_commit_callbacks):
    from django.urls import reverse

    from qa.models import Interaction
    from tests.test_imports import rows, sheet_csv

    written = [row for row in rows(world) if row["channel"] != "phone_call"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.lead).post(reverse("interaction-import"), {"sheet": sheet_csv(written)})
    assert response.status_code == 302
    for reference in ("C-2", "C-3"):
        interaction = Interaction.objects.get(customer_reference=reference)
        assert Evaluation.objects.filter(interaction=interaction, source=Evaluation.Source.AUTOMATIC).exists()


def test_automatic_evaluation_page_for_staff_only(defaults, make_call, world, client_for):
    automatic = auto.evaluate_interaction(make_call(GOOD_CALL))
    assert client_for(world.lead).get(automatic.get_absolute_url()).status_code == 200
    assert client_for(world.manager_a).get(automatic.get_absolute_url()).status_code == 404
    assert client_for(world.employee).get(automatic.get_absolute_url()).status_code == 404


def test_evaluation_list_shows_automatic_ones_when_asked(defaults, make_call, world, client_for):
    people = f.make_evaluation(world.version, world.location_a, world.reviewer, f.ALL_GOOD, employee=world.employee_a)
    automatic = auto.evaluate_interaction(make_call(GOOD_CALL))
    client = client_for(world.lead)
    assert list(client.get("/evaluations/").context["object_list"]) == [people]
    assert list(client.get("/evaluations/?source=automatic").context["object_list"]) == [automatic]
