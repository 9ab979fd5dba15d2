"""The scoring screen: automatic answers pre-filled and marked with their moments (buttons that seek the
player), the reviewer accepts or changes each, and what was changed is kept when they submit."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from autoqa import evaluation as auto
from autoqa.models import ItemReview, ItemRule
from qa.models import Evaluation
from qa.recordings import store_recording, wav_bytes
from scorecards.models import AnswerType, Item
from tests.autoqa.helpers import GOOD_CALL
from tests.autoqa.test_automatic_evaluation import CLOSING, GREETING


def started(client, interaction, version):
    response = client.post(reverse("scoring-start", args=[interaction.pk]), {"version": version.pk})
    assert response.status_code == 302
    return Evaluation.objects.get(interaction=interaction, source=Evaluation.Source.REVIEWER)


def complete_answers(version, changes):
    """POST data answering every item: the best answer, N/A where allowed for numbers, `changes` on top."""
    data = {}
    for item in Item.objects.filter(section__version=version):
        key = f"item_{item.pk}"
        if item.auto_answer:
            data[f"na_{item.pk}"] = "on"  # as the interaction's times computed it (no complaint)
        elif item.answer_type == AnswerType.NUMBER:
            if item.na_allowed:
                data[f"na_{item.pk}"] = "on"
            else:
                data[key] = "1"
        elif item.answer_type == AnswerType.SCALE_5:
            data[key] = "5"
        elif item.answer_type != AnswerType.TEXT:
            data[key] = "yes"
        if item.question in changes:
            data[key], data[f"comment_{item.pk}"] = changes[item.question]
    return data


def test_suggestions_prefilled_marked_and_changes_kept(defaults, make_call, world, client_for, private_media):
    interaction = make_call(GOOD_CALL)
    store_recording(interaction, SimpleUploadedFile("call.wav", wav_bytes(35)), world.reviewer)
    auto.evaluate_interaction(interaction)
    client = client_for(world.reviewer)
    draft = started(client, interaction, defaults["phone"])
    greeting = Item.objects.get(section__version=defaults["phone"], question=GREETING)
    assert draft.answers.get(item=greeting).value == "yes"  # pre-filled

    page = client.get(reverse("evaluation-score", args=[draft.pk]))
    html = page.content.decode()
    assert page.context["form"].initial[f"item_{greeting.pk}"] == "yes"
    assert "Suggested by the automatic checks:" in html
    assert 'data-seek="0.50"' in html and "“thank you for calling”" in html  # the moment, linked to the player
    # The badge says whether the answer on the page is the suggested one; static/js/score.js says it again live.
    assert "data-suggestion-state>as suggested</span>" in html and 'data-you-changed="you changed it"' in html

    data = complete_answers(defaults["phone"], {GREETING: ("no", "Opened with 'account number?', no name.")})
    data.update(action="submit", confirm="1", revision=str(page.context["form"].initial["revision"]))
    response = client.post(reverse("evaluation-score", args=[draft.pk]), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else response
    kept = {r.item.question: r for r in ItemReview.objects.filter(evaluation=draft).select_related("item")}
    assert (kept[GREETING].suggested_value, kept[GREETING].final_value, kept[GREETING].changed) == ("yes", "no", True)
    assert (kept[CLOSING].suggested_value, kept[CLOSING].final_value, kept[CLOSING].changed) == ("yes", "yes", False)
    assert kept[GREETING].evidence[0]["text"] == "thank you for calling"
    rule = ItemRule.objects.get(question=GREETING)
    assert (rule.trust_pairs, rule.trust_agreement) == (1, 0.0)


def test_untrusted_suggestion_is_shown_not_prefilled(defaults, make_call, world, client_for):
    ItemRule.objects.filter(question=GREETING).update(trusted=False)
    interaction = make_call(GOOD_CALL)
    auto.evaluate_interaction(interaction)
    client = client_for(world.reviewer)
    draft = started(client, interaction, defaults["phone"])
    assert not draft.answers.filter(item__question=GREETING).exists()
    assert draft.answers.filter(item__question=CLOSING, value="yes").exists()
    html = client.get(reverse("evaluation-score", args=[draft.pk])).content.decode()
    assert "Automatic check (not trusted, not pre-filled):" in html
    assert "evidence-moment" not in html  # no recording: the moments are quotes, not player links


def test_the_automatic_evaluation_does_not_block_scoring(defaults, make_call, world):
    """qa.scoring_sessions.released_review must not take the automatic evaluation for a reviewer's."""
    from qa import scoring_sessions

    interaction = make_call(GOOD_CALL)
    auto.evaluate_interaction(interaction)
    evaluation, created = scoring_sessions.start_review(interaction, defaults["phone"], world.reviewer)
    assert created and evaluation.source == Evaluation.Source.REVIEWER


def test_braces_in_evidence_stay_text(defaults, make_text, world, client_for):
    """crispy renders HTML() layout parts as templates: a customer's "{{ ... }}" must not be run."""
    from qa import extensions

    def braces(evaluation):
        item = evaluation.version.sections.first().items.first()
        return {item.pk: {"value": "", "na": False, "note": "{% now 'Y' %}", "trusted": True,
                          "evidence": [{"s": None, "e": None, "text": "{{ request.user }} hi", "why": ""}]}}

    email = make_text("Customer: hello\nAgent: hi")
    client = client_for(world.reviewer)
    extensions.answer_suggestions.register(braces)
    try:
        draft = started(client, email, defaults["text"])
        html = client.get(reverse("evaluation-score", args=[draft.pk])).content.decode()
    finally:
        extensions.answer_suggestions._items.remove(braces)
    assert "&#123;&#123; request.user &#125;&#125; hi" in html and "&#123;% now" in html


def test_nothing_suggested_in_blind_calibration(defaults, make_call, world):
    from qa import calibration, scoring_sessions

    interaction = make_call(GOOD_CALL)
    auto.evaluate_interaction(interaction)
    session = calibration.create_session(interaction=interaction, version=defaults["phone"], lead=world.lead,
                                         reviewers=[world.reviewer], threshold=34)
    blind, _ = scoring_sessions.start_review(interaction, defaults["phone"], world.reviewer, calibration=session)
    assert not blind.answers.filter(item__question=GREETING).exists()
    assert scoring_sessions.suggested_answers(blind) == {}


def test_a_call_scored_automatically_can_still_be_scored_by_a_reviewer(defaults, make_call, world, client_for):
    """The automatic evaluation is listed on the interaction's page, and the reviewer still gets the button
    that starts their own scoring (found by a fresh-eye walk: the queue led to a page without it)."""
    from autoqa import evaluation as auto

    interaction = make_call([{"s": 0.2, "e": 0.6, "w": "Thank", "sp": "agent"},
                             {"s": 0.6, "e": 0.9, "w": "you", "sp": "agent"}])
    assert auto.evaluate_interaction(interaction) is not None
    page = client_for(world.reviewer).get(f"/interactions/{interaction.pk}/")
    assert page.status_code == 200
    assert page.context["scored_by_people"] is False
    assert "Score this interaction" in page.content.decode()
