"""The default automatic checks on the default phone and email/chat scorecards (if installed) and the
default phrase alerts (cancel, complaint, manager, legal threats). Later installs of the default
scorecards get their checks from autoqa.receivers.scorecard_created."""

from django.db import migrations


def install(apps, schema_editor):
    from autoqa.defaults import install_default_rules
    from autoqa.spotlights import DEFAULT_LISTS

    install_default_rules(apps.get_model("autoqa", "ItemRule"), apps.get_model("scorecards", "Scorecard"))
    PhraseList = apps.get_model("autoqa", "PhraseList")
    for name, phrases in DEFAULT_LISTS:
        PhraseList.objects.get_or_create(name=name, defaults={"phrases": "\n".join(phrases)})


class Migration(migrations.Migration):
    dependencies = [("autoqa", "0002_rules_suggestions_spotlights"), ("scorecards", "0003_item_auto_answer")]

    operations = [migrations.RunPython(install, migrations.RunPython.noop)]
