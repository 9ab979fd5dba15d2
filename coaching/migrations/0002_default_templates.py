"""The three templates the policy names (onboarding, a failed critical item, a team workshop), so a
new installation has them; the QA lead edits or retires them on the templates page."""

from django.db import migrations

DEFAULTS = [
    {"name": "Onboarding", "kind": "onboarding", "for_team": False, "goal_days": 30,
     "agenda": "Welcome and what quality means here\nThe scorecard, item by item\nListen to the pinned moments together\n"
               "Know your products and return policy\nQuestions",
     "goals": "Score at least 85% in your next five evaluations\nExplain the return policy in every call that needs it"},
    {"name": "Failed critical item", "kind": "critical", "for_team": False, "goal_days": 14,
     "agenda": "What happened: listen to the moment together\nWhy the item is critical (the policy clause)\n"
               "What to do next time\nAgree a goal and when we check it",
     "goals": "No critical failure in the next ten evaluations"},
    {"name": "Team workshop", "kind": "workshop", "for_team": True, "goal_days": 30,
     "agenda": "The team's most failed items this period\nScenario: play the customer and the employee\n"
               "Good examples from our own calls\nWhat each of us will do differently",
     "goals": "Practise the scenario with a colleague this week\nBring one good example to the next workshop"},
]


def create(apps, schema_editor):
    SessionTemplate = apps.get_model("coaching", "SessionTemplate")
    for values in DEFAULTS:
        SessionTemplate.objects.get_or_create(name=values["name"], defaults=values)


class Migration(migrations.Migration):
    dependencies = [("coaching", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
