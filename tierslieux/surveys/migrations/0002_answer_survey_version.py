"""Answers carry their response's survey and version (copied), and one index in the results'
group order: the results walk it with no join."""

import django.db.models.deletion
from django.db import migrations, models


def copy_from_responses(apps, schema_editor):
    Answer = apps.get_model("surveys", "Answer")
    Response = apps.get_model("surveys", "Response")
    for response in Response.objects.only("pk", "survey_id", "version_id").iterator():
        Answer.objects.filter(response_id=response.pk).update(
            survey_id=response.survey_id, version_id=response.version_id
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_surveys")]

    operations = [
        migrations.AddField(
            model_name="answer",
            name="survey",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="surveys.survey",
            ),
        ),
        migrations.AddField(
            model_name="answer",
            name="version",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="surveys.surveyversion",
            ),
        ),
        migrations.RunPython(copy_from_responses, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="answer",
            name="survey",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="+",
                to="surveys.survey",
            ),
        ),
        migrations.AlterField(
            model_name="answer",
            name="version",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="surveys.surveyversion",
            ),
        ),
        migrations.RemoveIndex(model_name="answer", name="survey_answer_choice"),
        migrations.AddIndex(
            model_name="answer",
            index=models.Index(
                fields=["survey", "question", "choice", "number", "date", "commune", "rank"],
                name="survey_answer_results",
            ),
        ),
    ]
