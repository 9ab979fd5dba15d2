"""Evaluation.section_score_1 ... _10: each section's score by its place in the version,
beside SectionScore, so reports add sections up over evaluation rows. Filled here from
SectionScore for evaluations scored before, one UPDATE per version."""

from django.db import migrations, models


def fill(apps, schema_editor):
    Evaluation = apps.get_model("qa", "Evaluation")
    SectionScore = apps.get_model("qa", "SectionScore")
    Section = apps.get_model("scorecards", "Section")
    order = {}
    for version_id, section_id in Section.objects.order_by("order", "pk").values_list("version_id", "pk"):
        order.setdefault(version_id, []).append(section_id)
    for version_id, section_ids in order.items():  # every place in one UPDATE: each row is written once
        Evaluation.objects.filter(version_id=version_id).update(**{
            f"section_score_{position}": models.Subquery(
                SectionScore.objects.filter(evaluation=models.OuterRef("pk"), section_id=section_id).values("score")[:1])
            for position, section_id in enumerate(section_ids[:10], start=1)
        })


class Migration(migrations.Migration):

    dependencies = [
        ('qa', '0011_evaluation_answer_values'),
    ]

    operations = [
        migrations.AddField(
            model_name='evaluation',
            name='section_score_1',
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, help_text='The score of section 1 of the version, copied from SectionScore.', max_digits=5, null=True),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='section_score_10',
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, help_text='The score of section 10 of the version, copied from SectionScore.', max_digits=5, null=True),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='section_score_2',
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, help_text='The score of section 2 of the version, copied from SectionScore.', max_digits=5, null=True),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='section_score_3',
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, help_text='The score of section 3 of the version, copied from SectionScore.', max_digits=5, null=True),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='section_score_4',
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, help_text='The score of section 4 of the version, copied from SectionScore.', max_digits=5, null=True),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='section_score_5',
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, help_text='The score of section 5 of the version, copied from SectionScore.', max_digits=5, null=True),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='section_score_6',
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, help_text='The score of section 6 of the version, copied from SectionScore.', max_digits=5, null=True),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='section_score_7',
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, help_text='The score of section 7 of the version, copied from SectionScore.', max_digits=5, null=True),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='section_score_8',
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, help_text='The score of section 8 of the version, copied from SectionScore.', max_digits=5, null=True),
        ),
        migrations.AddField(
            model_name='evaluation',
            name='section_score_9',
            field=models.DecimalField(blank=True, decimal_places=2, editable=False, help_text='The score of section 9 of the version, copied from SectionScore.', max_digits=5, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
