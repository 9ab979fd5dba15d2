"""The default checks' phrase lines within the form's 200 characters (issue 14, fresh-eye walk: seeded
checks failed their own form; a text's window without seconds is now accepted by the form itself), and the
default Cancellation alert with "cancel my contract" (alternatives on one line, as a rule's). Only rows
still as seeded are changed: a lead's edits are kept."""

from django.db import migrations

# (old, new) phrases of the default checks: the same alternatives, spread over lines of at most 200 characters.
PHRASES = [
    # EMPATHY
    ("I understand | I completely understand | that must be frustrating | I'm sorry to hear | I am sorry to hear | I apologise | I apologize | we hear you | we understand why this matters | I can imagine",
     "I understand | I completely understand | that must be frustrating | I'm sorry to hear | I am sorry to hear\nI apologise | I apologize | we hear you | we understand why this matters | I can imagine"),
    # FOLLOW_UP
    ("I will call you back | I'll call you back | we will get back to you | we'll get back to you | I'll email you | within 24 hours | within 48 hours | within two working days | within 3 working days | within three working days | within five working days | within 5 working days | by tomorrow | by the end of the day | by end of day | by friday | by monday",
     "I will call you back | I'll call you back | we will get back to you | we'll get back to you | I'll email you\nwithin 24 hours | within 48 hours | within two working days | within 3 working days | within three working days | within five working days | within 5 working days\nby tomorrow | by the end of the day | by end of day | by friday | by monday"),
    # THANKS_FOR_WRITING
    ('thank you for getting in touch | thanks for getting in touch | thank you for contacting us | thanks for contacting us | thank you for your email | thanks for your message | thank you for your message | thanks for reaching out',
     'thank you for getting in touch | thanks for getting in touch | thank you for contacting us | thanks for contacting us\nthank you for your email | thanks for your message | thank you for your message | thanks for reaching out'),
]
CANCELLATION = ('cancel my account\ncancel my order\ncancel the contract\nclose my account\nI want to leave\nswitch to another provider',
                'cancel my account | cancel my order | cancel my contract | cancel the contract\nclose my account\nI want to leave\nswitch to another provider')


def forwards(apps, schema_editor):
    ItemRule = apps.get_model("autoqa", "ItemRule")
    for old, new in PHRASES:
        ItemRule.objects.filter(phrases=old).update(phrases=new)
    PhraseList = apps.get_model("autoqa", "PhraseList")
    PhraseList.objects.filter(name="Cancellation", phrases=CANCELLATION[0]).update(phrases=CANCELLATION[1])


def backwards(apps, schema_editor):
    ItemRule = apps.get_model("autoqa", "ItemRule")
    for old, new in PHRASES:
        ItemRule.objects.filter(phrases=new).update(phrases=old)
    PhraseList = apps.get_model("autoqa", "PhraseList")
    PhraseList.objects.filter(name="Cancellation", phrases=CANCELLATION[1]).update(phrases=CANCELLATION[0])


class Migration(migrations.Migration):
    dependencies = [("autoqa", "0004_merge_20261201_0136")]

    operations = [migrations.RunPython(forwards, backwards)]
