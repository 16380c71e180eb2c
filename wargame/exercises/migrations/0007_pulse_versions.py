from django.db import migrations, models

# The pulse topics as they were when the versions moved to the exercise's row.
TOPICS = ("turn", "moves", "injects", "teams", "agreements", "messages", "people", "log")


def every_topic_at_the_version(apps, schema_editor) -> None:
    """An exercise under way keeps no record of which topic changed when: count every topic
    as changed at its current version, so that no region keeps a copy from before."""
    Exercise = apps.get_model("exercises", "Exercise")
    for exercise in Exercise.objects.only("pk", "version").iterator():
        topics = dict.fromkeys(TOPICS, exercise.version)
        Exercise.objects.filter(pk=exercise.pk).update(pulse={"topics": topics})


class Migration(migrations.Migration):
    dependencies = [
        ("exercises", "0006_heartbeat"),
    ]

    operations = [
        migrations.AddField(
            model_name="exercise",
            name="pulse",
            field=models.JSONField(
                blank=True, default=dict, editable=False, verbose_name="versions per topic"
            ),
        ),
        migrations.RunPython(every_topic_at_the_version, migrations.RunPython.noop),
    ]
