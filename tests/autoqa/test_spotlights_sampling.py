"""Spotlights (phrase alerts, the customer's sentiment) flag interactions, shown on the interaction list with
a filter; a sampling rule gives flagged interactions a share of the sample, recorded with its seed."""

from datetime import date, timedelta

from django.utils import timezone

from autoqa import evaluation as auto
from autoqa import spotlights
from autoqa.models import PhraseList, Spotlight
from qa import sampling
from qa.models import Interaction, SamplingRule
from scorecards.models import Channel
from tests.autoqa.helpers import GOOD_CALL, call

ANGRY = call(("agent", 0.5, "thank you for calling my name is sarah"),
             ("customer", 3.0, "this is terrible I am furious and I want to cancel my account"),
             ("customer", 9.0, "I want to speak to your manager or I will take legal action"))


def test_phrase_alerts_and_sentiment(defaults, make_call, make_text):
    angry = make_call(ANGRY)
    auto.evaluate_interaction(angry)
    flags = {(s.kind, s.label) for s in Spotlight.objects.filter(interaction=angry)}
    assert flags == {("phrase", "Cancellation"), ("phrase", "Asked for a manager"), ("phrase", "Legal threat"),
                     ("sentiment", "Negative customer sentiment")}
    cancel = Spotlight.objects.get(interaction=angry, label="Cancellation")
    assert cancel.at_seconds == 3.0 + 10 * 0.4 and "cancel my account" in cancel.detail
    mood = Spotlight.objects.get(interaction=angry, kind="sentiment")
    assert mood.score < -0.3 and mood.at_seconds is not None

    calm = make_call(GOOD_CALL)
    auto.evaluate_interaction(calm)
    assert not Spotlight.objects.filter(interaction=calm).exists()

    # The agent saying "cancel" is not the customer's alert; the lead's own list is used too, with the
    # alternatives a rule's phrases take (issue 14, fresh-eye walk: "a | b" was searched as one phrase).
    agent_says = make_text("Customer: Thanks, that is great.\nAgent: I can cancel my order for you if you like.")
    PhraseList.objects.create(name="Competitor", phrases="moving to rivalco | switching to rivalco", speaker="")
    mentions = make_text("Customer: I am happy, but I am switching to RivalCo next month.")
    auto.evaluate_interaction(agent_says)
    auto.evaluate_interaction(mentions)
    assert not Spotlight.objects.filter(interaction=agent_says).exists()
    assert list(Spotlight.objects.filter(interaction=mentions).values_list("label", flat=True)) == ["Competitor"]


def test_interaction_list_shows_and_filters_flags(defaults, make_call, world, client_for):
    angry, calm = make_call(ANGRY), make_call(GOOD_CALL)
    for interaction in (angry, calm):
        auto.evaluate_interaction(interaction)
    client = client_for(world.reviewer)
    everything = client.get("/interactions/")
    assert {i.pk for i in everything.context["interactions"]} == {angry.pk, calm.pk}
    assert "Legal threat" in everything.content.decode()
    flagged = client.get("/interactions/?spotlight=any")
    assert [i.pk for i in flagged.context["interactions"]] == [angry.pk]
    assert [i.pk for i in client.get("/interactions/?spotlight=sentiment").context["interactions"]] == [angry.pk]
    assert list(client.get("/interactions/?spotlight=phrase&channel=email").context["interactions"]) == []
    bad = client.get("/interactions/?spotlight=%F0%9F%92%A5&channel=x" * 1)
    assert bad.status_code == 200 and bad.context["filter_form"].errors
    assert {i.pk for i in bad.context["interactions"]} == {angry.pk, calm.pk}


def interactions(world, n, flagged):
    """n calls of employee A this week, the first `flagged` of them in the spotlight."""
    made = []
    start = timezone.now() - timedelta(days=timezone.localdate().weekday())
    for k in range(n):
        interaction = Interaction.objects.create(
            channel=Channel.PHONE_CALL, location=world.location_a, employee=world.employee_a,
            occurred_at=start.replace(hour=9) + timedelta(minutes=k), created_by=world.reviewer)
        if k < flagged:
            Spotlight.objects.create(interaction=interaction, kind="phrase", label="Cancellation")
        made.append(interaction)
    return made


def test_sampling_gives_flagged_a_share_with_its_seed(world):
    made = interactions(world, 20, flagged=3)
    flagged = {i.pk for i in made[:3]}
    rule = SamplingRule.objects.create(name="Calls", per_employee=4, channels=["phone_call"], flagged_share=50,
                                       created_by=world.lead)
    today = timezone.localdate()
    record = sampling.draw(rule, today, world.lead, seed=1234)
    picked = set(record.tasks.values_list("interaction_id", flat=True))
    assert (record.picked, record.flagged_picked, record.flagged_share, record.seed) == (4, 2, 50, 1234)
    assert len(picked & flagged) >= 2  # the share, plus any the random part draws
    # Recorded with its seed: the same seed over the same interactions draws the same sample.
    record.tasks.all().delete()
    again = sampling.draw(rule, today, world.lead, seed=1234)
    assert set(again.tasks.values_list("interaction_id", flat=True)) == picked


def test_share_zero_is_todays_random_draw_and_short_pools_fill_at_random(world):
    interactions(world, 10, flagged=1)
    rule = SamplingRule.objects.create(name="Calls", per_employee=4, flagged_share=100, created_by=world.lead)
    record = sampling.draw(rule, timezone.localdate(), world.lead, seed=7)
    assert (record.picked, record.flagged_picked) == (4, 1)  # one flagged, three random to fill the count
    assert sampling.flagged_quota(4, 25) == 1 and sampling.flagged_quota(3, 50) == 2 and sampling.flagged_quota(4, 0) == 0


def test_sampling_form_takes_the_share_and_refuses_over_100(world, client_for):
    client = client_for(world.lead)
    response = client.post("/sampling/", {"name": "Spotlit calls", "per_employee": "4", "period": "week",
                                          "channels": ["phone_call"], "flagged_share": "150"})
    assert response.status_code == 422 and "at most 100" in response.content.decode()
    assert "Spotlit calls" in response.content.decode()  # what was typed is kept
    response = client.post("/sampling/", {"name": "Spotlit calls", "per_employee": "4", "period": "week",
                                          "channels": ["phone_call"], "flagged_share": "25"})
    assert response.status_code == 302
    assert SamplingRule.objects.get(name="Spotlit calls").flagged_share == 25


def test_default_alerts_exist(db):
    assert {name for name, _phrases in spotlights.DEFAULT_LISTS} <= set(PhraseList.objects.values_list("name", flat=True))
