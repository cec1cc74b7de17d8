# Issue 17 point 9: an obligation that opened after its legal due date because an earlier step
# came late keeps that due date and is marked, with the step and a working target.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossier", "0010_appointment"),
    ]

    operations = [
        migrations.AddField(
            model_name="obligation",
            name="late_on_arrival",
            field=models.BooleanField(db_default=False, default=False),
        ),
        migrations.AddField(
            model_name="obligation",
            name="late_cause",
            field=models.CharField(
                blank=True, db_default="", default="", help_text="the late earlier step",
                max_length=60,
            ),
        ),
        migrations.AddField(
            model_name="obligation",
            name="target",
            field=models.DateField(
                blank=True, help_text="working target when late on arrival (no legal term)",
                null=True,
            ),
        ),
    ]
