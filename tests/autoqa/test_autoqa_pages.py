"""The QA lead's pages of automatic QA: the checks of each item, trust, phrase alerts. Bad input gets a
4xx with its message and keeps what was typed; items that cannot carry a check are 404."""

import pytest

from autoqa.models import ItemRule, PhraseList
from scorecards.models import Item, Scorecard
from tests.autoqa.test_automatic_evaluation import GREETING


def edit_url(item):
    return f"/autoqa/rules/{item.section.version.scorecard_id}/items/{item.pk}/"


def test_rules_page_lists_items_with_their_checks(defaults, world, client_for):
    page = client_for(world.lead).get("/autoqa/rules/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Phone call" in html and "Email and chat" in html and "Store visit" not in html
    assert "Edit check" in html and "Add a check" in html and "Numbers and free text are answered by people" in html


def test_edit_a_check_and_bad_input(defaults, world, client_for):
    client = client_for(world.lead)
    item = Item.objects.get(section__version=defaults["phone"], question=GREETING)
    form = client.get(edit_url(item))
    assert form.status_code == 200 and "thank you for calling" in form.content.decode()
    good = {"kind": "find", "phrases": "hello", "min_similarity": "85", "speaker": "agent", "window": "",
            "pass_value": "yes", "fail_value": "no", "active": "on"}
    for bad, field in [({"phrases": ""}, "Give at least one phrase"),
                       ({"window": "start", "window_seconds": ""}, "how many seconds"),
                       ({"window": "start", "window_seconds": "99999999999999"}, "Ensure this value"),
                       ({"min_similarity": "١٠٠٠"}, "less than or equal to 100"),
                       ({"fail_value": "yes"}, "another answer"),
                       ({"pass_value": "maybe"}, "Select a valid choice"),
                       ({"kind": "silence"}, "longest silence"),
                       ({"kind": "talk_ratio", "ratio_min": "80", "ratio_max": "20"}, "cannot be below"),
                       ({"phrases": "x" * 300}, "at most 200 characters")]:
        response = client.post(edit_url(item), {**good, **bad})
        assert response.status_code == 422, bad
        html = response.content.decode()
        assert field in html, (bad, field)
    assert ItemRule.objects.get(question=GREETING).phrases.startswith("thank you for calling")  # unchanged
    response = client.post(edit_url(item), good)
    assert response.status_code == 302
    assert ItemRule.objects.get(question=GREETING).phrases == "hello"


def test_add_and_remove_a_check(defaults, world, client_for):
    client = client_for(world.lead)
    # The tone item has its default empathy check (autoqa.defaults); "Explained clearly" has none.
    clearly = Item.objects.get(section__version=defaults["phone"], question="Explained clearly, without jargon")
    response = client.post(edit_url(clearly), {"kind": "avoid", "phrases": "whatever | shut up", "min_similarity": "90",
                                               "pass_value": "yes", "fail_value": "partial", "active": "on"})
    assert response.status_code == 302
    rule = ItemRule.objects.get(question=clearly.question)
    assert (rule.kind, rule.pass_value, rule.fail_value, rule.updated_by) == ("avoid", "yes", "partial", world.lead)
    assert "Automatic check added" in client.get(response.url).content.decode()
    assert client.post(f"/autoqa/rules/{rule.pk}/delete/").status_code == 302
    assert not ItemRule.objects.filter(pk=rule.pk).exists()


def test_items_that_cannot_carry_a_check(defaults, world, client_for):
    client = client_for(world.lead)
    rings = Item.objects.get(section__version=defaults["phone"], question="Rings before a person answered")
    store = Item.objects.filter(section__version__scorecard__name="Store visit").first()
    other = Item.objects.filter(section__version=defaults["text"]).exclude(answer_type="number").first()
    phone_id = defaults["phone"].scorecard_id
    assert client.get(edit_url(rings)).status_code == 404
    assert client.get(edit_url(store)).status_code == 404
    assert client.get(f"/autoqa/rules/{phone_id}/items/{other.pk}/").status_code == 404  # another scorecard's item
    assert client.get(f"/autoqa/rules/{phone_id}/items/999999/").status_code == 404
    assert client.post("/autoqa/rules/999999/delete/").status_code == 404


def test_trust_page_empty_and_bad_filter(world, client_for):
    client = client_for(world.lead)
    page = client.get("/autoqa/trust/")
    assert "No automatic checks yet" in page.content.decode()
    bad = client.get("/autoqa/trust/?scorecard=%D9%A1%F0%9F")
    assert bad.status_code == 200 and "That scorecard does not exist" in bad.content.decode()


def test_trust_page_lists_each_check(defaults, world, client_for):
    phone = Scorecard.objects.get(name="Phone call")
    page = client_for(world.lead).get(f"/autoqa/trust/?scorecard={phone.pk}")
    assert {row["rule"].scorecard_id for row in page.context["rows"]} == {phone.pk}
    html = page.content.decode()
    assert "Not measured yet" in html and "0 pairs of the 30 needed" in html  # issue 14: how many, how many needed
    assert "Alpha is agreement corrected for chance" in html


def test_phrase_alerts(world, client_for):
    client = client_for(world.lead)
    assert "Cancellation" in client.get("/autoqa/alerts/").content.decode()
    refused = client.post("/autoqa/alerts/", {"name": "Refunds", "phrases": "  \n ", "speaker": "customer",
                                              "min_similarity": "88"})
    assert refused.status_code == 422 and "Give at least one phrase" in refused.content.decode()
    assert 'value="Refunds"' in refused.content.decode()
    assert client.post("/autoqa/alerts/", {"name": "Refunds", "phrases": "money back\nrefund", "speaker": "customer",
                                           "min_similarity": "88", "active": "on"}).status_code == 302
    alert = PhraseList.objects.get(name="Refunds")
    assert alert.phrase_list == ["money back", "refund"] and alert.created_by == world.lead
    duplicate = client.post(f"/autoqa/alerts/{alert.pk}/", {"name": "Cancellation", "phrases": "x",
                                                             "min_similarity": "88"})
    assert duplicate.status_code == 422
    assert client.post(f"/autoqa/alerts/{alert.pk}/", {"name": "Refunds", "phrases": "refund", "speaker": "",
                                                        "min_similarity": "95"}).status_code == 302
    alert.refresh_from_db()
    assert (alert.min_similarity, alert.active) == (95, False)
    assert client.get("/autoqa/alerts/999999/").status_code == 404


@pytest.mark.parametrize("phrases", ["|", " | | ", "refund\n  |  "])
def test_a_phrase_alert_of_bare_separators_is_refused_with_its_input_kept(world, client_for, phrases):
    """Only spaces and "|" listen for nothing: refused with a message naming the line, never saved."""
    client = client_for(world.lead)
    refused = client.post("/autoqa/alerts/", {"name": "Refunds", "phrases": phrases, "speaker": "customer",
                                              "min_similarity": "88", "active": "on"})
    html = refused.content.decode()
    assert refused.status_code == 422 and "has no phrase, only “|”" in html
    assert refused.context["form"].errors["phrases"] and 'value="Refunds"' in html
    assert refused.context["form"]["phrases"].value() == phrases, "what was typed is kept"
    assert not PhraseList.objects.filter(name="Refunds").exists()
    line = "Line 2" if "refund" in phrases else "Line 1"
    assert line in html


def test_several_lines_without_a_phrase_are_named_together(world, client_for):
    html = client_for(world.lead).post("/autoqa/alerts/", {
        "name": "Refunds", "phrases": "|\nrefund\n | \n||", "speaker": "customer", "min_similarity": "88",
        "active": "on"}).content.decode()
    assert "Lines 1, 3 and 4 have no phrase" in html


def test_reviewer_cannot_edit_checks(defaults, world, client_for):
    client = client_for(world.reviewer)
    item = Item.objects.get(section__version=defaults["phone"], question=GREETING)
    assert client.post(edit_url(item), {"kind": "find", "phrases": "x"}).status_code == 403
    assert client.post("/autoqa/alerts/", {"name": "x", "phrases": "x"}).status_code == 403


def test_every_default_check_passes_its_own_form(defaults, world):
    """Issue 14 (fresh-eye walk): seeded checks the lead could not save unchanged (a line of phrases
    over 200 characters; a window without seconds on a text scorecard's item)."""
    from django.forms.models import model_to_dict

    from autoqa.forms import ItemRuleForm

    rules = list(ItemRule.objects.select_related("scorecard"))
    assert len(rules) >= 10
    refused = []
    for rule in rules:
        item = Item.objects.get(section__version__scorecard=rule.scorecard, question=rule.question,
                                section__version=rule.scorecard.published_version)
        data = {k: ("" if v is None else v) for k, v in model_to_dict(rule, fields=ItemRuleForm.Meta.fields).items()}
        data = {k: v for k, v in data.items() if v is not False}  # an unticked box is absent from a POST
        form = ItemRuleForm(data, instance=rule, item=item)
        if not form.is_valid():
            refused.append((rule.scorecard.name, rule.question, form.errors.get_json_data()))
    assert refused == []


def test_the_editor_marks_each_setting_with_the_kinds_that_read_it(defaults, world, client_for):
    """Issue 14 (fresh-eye walk): every setting showed whatever the check's kind. Each field names its
    kinds for static/js/rule-form.js; a text scorecard's item has no window in seconds."""
    client = client_for(world.lead)
    phone = client.get(edit_url(Item.objects.get(section__version=defaults["phone"], question=GREETING)))
    html = phone.content.decode()
    assert 'js/rule-form.js' in html and 'id="rule-form"' in html
    assert 'data-kinds="silence"' in html and 'data-kinds="talk_ratio"' in html and 'data-with-window="1"' in html
    text_item = ItemRule.objects.get(scorecard__name="Email and chat", window="end")
    item = Item.objects.get(section__version=defaults["text"], question=text_item.question)
    assert 'name="window_seconds"' not in client.get(edit_url(item)).content.decode()


def test_a_text_scorecards_check_offers_only_the_phrase_kinds(defaults, world, client_for):
    """Issue 14: an email or chat check was offered silence, talk share and interruptions, which need a
    call's times. The form offers only phrases; a time check sent anyway is refused with the reason."""
    client = client_for(world.lead)
    rule = ItemRule.objects.get(scorecard__name="Email and chat", window="end")
    item = Item.objects.get(section__version=defaults["text"], question=rule.question)
    form = client.get(edit_url(item)).context["form"]
    assert [value for value, _label in form.fields["kind"].choices] == ["find", "avoid"]
    for kind in ("silence", "talk_ratio", "interruptions"):
        response = client.post(edit_url(item), {"kind": kind, "phrases": "x", "min_similarity": "85",
                                                "limit_seconds": "10", "pass_value": "yes", "fail_value": "no"})
        assert response.status_code == 422
        assert "need a call's times" in response.context["form"].errors["kind"][0]
        assert "need a call&#x27;s times" in response.content.decode()  # said on the page, at its field
    assert ItemRule.objects.get(pk=rule.pk).kind == "find"
    phone = Item.objects.get(section__version=defaults["phone"], question=GREETING)
    kinds = [value for value, _label in client.get(edit_url(phone)).context["form"].fields["kind"].choices]
    assert kinds == ["find", "avoid", "silence", "talk_ratio", "interruptions"]


def test_automatic_qa_pages_hold_no_inline_style_or_script():
    """Issue 14 (fresh-eye walk): style= attributes on these pages broke the site's Content Security Policy."""
    import re
    from pathlib import Path

    from django.conf import settings

    templates = Path(settings.BASE_DIR) / "templates"
    pages = [*sorted((templates / "autoqa").glob("*.html")),
             *(templates / "qa" / name for name in ("score.html", "_player.html", "_pins.html", "_running_score.html"))]
    for page in pages:
        text = page.read_text()
        assert not re.search(r"\sstyle\s*=", text), page.name
        assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", text), page.name
