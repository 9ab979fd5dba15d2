"""Benchmark `autoqa_per_minute`: interactions auto-evaluated per minute once transcribed (target >= 1,000).

Each interaction is a stereo call of about 45 seconds (some 130 words, greeting, complaint, apology,
promise, closing question) with its transcript stored; the figure is the wall time of
autoqa.backlog.run (what the worker and `manage.py evaluate_automatically` do) over all of them: the
default phone scorecard's checks, the phrase alerts and sentiment, the engine's score and every row
written. Run by bench/run.py (`make bench BENCH_ARGS=--only=autoqa`)."""

import random
import time
from datetime import timedelta

CALLS = 400


def script(rng):
    agent_name = rng.choice(["sarah", "tom", "priya", "li"])
    parts = [
        ("agent", 0.5, f"thank you for calling acme my name is {agent_name} how can I help you today"),
        ("customer", 5.5, rng.choice([
            "hi I was charged twice for my kettle order and I would like the money back please",
            "my delivery did not arrive and I am really annoyed I want to cancel my order",
            "hello I just want to check the warranty on the toaster I bought last month"])),
        ("agent", 12.0, rng.choice(["I completely understand how frustrating that is I am sorry",
                                    "let me look into that for you one moment please"])),
        ("agent", 18.0, "sorry to keep you waiting I can see the order here on my screen now"),
        ("agent", 24.0, "I will refund the second charge within three working days and email you a confirmation"),
        ("customer", 31.0, "ok thank you that is great"),
        ("agent", 34.0, "you're welcome is there anything else I can help you with today"),
        ("customer", 39.0, "no that is all thanks"),
        ("agent", 41.0, "it's been a pleasure helping you have a lovely day goodbye"),
    ]
    words = []
    for speaker, start, text in parts:
        for n, word in enumerate(text.split()):
            words.append({"s": round(start + n * 0.32, 2), "e": round(start + n * 0.32 + 0.28, 2), "w": word,
                          "sp": speaker})
    return sorted(words, key=lambda w: w["s"])


def build(count=CALLS):
    from django.db import transaction
    from django.utils import timezone

    from autoqa.models import Transcript
    from qa.models import Evaluation, Interaction, User
    from scorecards.defaults import install_default_scorecards
    from scorecards.models import Channel
    from shops.models import Employee, Location, Region

    install_default_scorecards()
    region, _ = Region.objects.get_or_create(code="aqbench", defaults={"name": "AutoQA bench"})
    location, _ = Location.objects.get_or_create(code="AQ01", defaults={"name": "AutoQA bench centre", "region": region})
    employee, _ = Employee.objects.get_or_create(employee_code="AQ01-01",
                                                 defaults={"name": "Bench Agent", "location": location})
    user, _ = User.objects.get_or_create(username="autoqa-bench")
    old = Interaction.objects.filter(location=location)
    Evaluation.objects.filter(interaction__in=old).delete()
    old.delete()
    rng = random.Random(14)
    now = timezone.now()
    with transaction.atomic():
        made = Interaction.objects.bulk_create(
            Interaction(channel=Channel.PHONE_CALL, location=location, employee=employee, created_by=user,
                        occurred_at=now - timedelta(minutes=n)) for n in range(count))
        transcripts = []
        for interaction in made:
            words = script(rng)
            transcripts.append(Transcript(interaction=interaction, status="done", stereo=True, words=words,
                                          text=" ".join(w["w"] for w in words), duration_seconds=words[-1]["e"]))
        Transcript.objects.bulk_create(transcripts)
    return Interaction.objects.filter(location=location)


def bench_autoqa(say):
    from autoqa import backlog
    from qa.models import Evaluation

    interactions = build()
    from autoqa.evaluation import evaluate_interaction

    evaluate_interaction(interactions.select_related("transcript", "employee", "location").first())  # warm caches
    start, cpu = time.perf_counter(), time.process_time()
    done = backlog.run(interactions)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    checked = Evaluation.objects.filter(interaction__in=interactions, source=Evaluation.Source.AUTOMATIC).count()
    assert checked == done, (checked, done)
    say("autoqa_per_minute", f"{done / elapsed * 60:.0f}", f"interactions/min ({done} calls of ~45 s in "
                                                            f"{elapsed:.1f} s; target >= 1000)")
    # On a shared machine the wall time includes waiting for a core; this one's own CPU time does not.
    say("autoqa_per_cpu_minute", f"{done / cpu * 60:.0f}", f"interactions per minute of this process's CPU time "
                                                           f"({cpu:.1f} s; SQLite works inside this process and is counted, a PostgreSQL server is not)")
