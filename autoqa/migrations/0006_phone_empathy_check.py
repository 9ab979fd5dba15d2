"""The default phone scorecard's empathy check (issue 14, item 4: "apology and empathy"): the phone card
had only the wait's apology. Its "Tone: calm, warm and professional" item (Policy template IV.A:
Professionalism, Empathy) gets a check for empathy phrases. Created only where the default "Phone call"
scorecard exists and its tone item has no check yet: a lead's own check is kept."""

from django.db import migrations

PHONE = "Phone call"
TONE = "Tone: calm, warm and professional"
PHRASES = ("I understand how frustrating | I completely understand | that must be frustrating | I can see why\n"
           "I'm sorry to hear | I am sorry to hear | I'm so sorry about | I can imagine how")


def forwards(apps, schema_editor):
    ItemRule = apps.get_model("autoqa", "ItemRule")
    Scorecard = apps.get_model("scorecards", "Scorecard")
    for scorecard in Scorecard.objects.filter(name=PHONE):
        ItemRule.objects.get_or_create(scorecard=scorecard, question=TONE, defaults={
            "kind": "find", "phrases": PHRASES, "speaker": "agent", "pass_value": "4", "fail_value": ""})


def backwards(apps, schema_editor):
    ItemRule = apps.get_model("autoqa", "ItemRule")
    ItemRule.objects.filter(scorecard__name=PHONE, question=TONE, phrases=PHRASES, pass_value="4", fail_value="",
                            revision=1).delete()


class Migration(migrations.Migration):
    dependencies = [("autoqa", "0005_default_phrases_within_the_form")]

    operations = [migrations.RunPython(forwards, backwards)]
