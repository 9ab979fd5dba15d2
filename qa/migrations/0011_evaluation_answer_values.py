"""Evaluation.answer_values: every scored answer in one column, for exports. Filled here
for evaluations scored before it existed, in the order qa.services.score_and_store writes."""

from django.db import migrations, models

SEPARATOR = "\x1f"


def fill(apps, schema_editor):
    Evaluation = apps.get_model("qa", "Evaluation")
    Answer = apps.get_model("qa", "Answer")
    Item = apps.get_model("scorecards", "Item")
    order = {}
    for version_id, item_id in Item.objects.order_by("section__order", "section__pk", "order", "pk").values_list(
            "section__version_id", "pk"):
        order.setdefault(version_id, []).append(item_id)
    scored = Evaluation.objects.filter(models.Q(scored_at__isnull=False) | models.Q(status="released")).order_by("pk")
    last = 0
    while True:
        batch = list(scored.filter(pk__gt=last).only("pk", "version_id")[:2000])
        if not batch:
            break
        answers = {}
        for evaluation_id, item_id, value, na in Answer.objects.filter(evaluation__in=batch).values_list(
                "evaluation_id", "item_id", "value", "na"):
            answers.setdefault(evaluation_id, {})[item_id] = "N/A" if na else value.replace(SEPARATOR, " ")
        for evaluation in batch:
            given = answers.get(evaluation.pk, {})
            evaluation.answer_values = SEPARATOR.join(given.get(i, "") for i in order.get(evaluation.version_id, []))
        Evaluation.objects.bulk_update(batch, ["answer_values"])
        last = batch[-1].pk


class Migration(migrations.Migration):
    dependencies = [("qa", "0010_answer_report_indexes"), ("scorecards", "0003_item_auto_answer")]

    operations = [
        migrations.AddField(
            model_name="evaluation", name="answer_values",
            field=models.TextField(blank=True, editable=False, help_text="Every answer as scored, in the version's item order, joined by qa.services.ANSWER_SEPARATOR: written by score_and_store so exports read one column instead of 25 answer rows."),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
