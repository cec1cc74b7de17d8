# The employer's size (CODEX 2026, KB 17-12-2025: 20 or more workers must request a
# trajectory within 6 months), a fact of the rules contract (`employer_workers`, issue 9).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossier", "0011_obligation_late_on_arrival"),
    ]

    operations = [
        migrations.AddField(
            model_name="episode",
            name="employer_workers",
            field=models.PositiveIntegerField(
                blank=True, null=True, verbose_name="number of workers of the employer"
            ),
        ),
    ]
