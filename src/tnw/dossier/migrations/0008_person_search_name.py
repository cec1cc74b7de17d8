"""The normalised search column of a person (tnw.dossier.searchkey), filled for the people
already stored, with a trigram index on PostgreSQL (pg_trgm) so that `LIKE '%word%'` on it
stays fast at a national scale. SQLite has no trigram index: the search scans the mutuality's
people there (the portable fallback)."""

from django.db import migrations, models

from tnw.dossier.searchkey import search_key


def fill(apps, schema_editor):
    Person = apps.get_model("dossier", "Person")
    batch = []
    for person in Person.objects.only("pk", "first_name", "last_name").iterator(chunk_size=2000):
        person.search_name = search_key(person.last_name, person.first_name)
        batch.append(person)
        if len(batch) >= 2000:
            Person.objects.bulk_update(batch, ["search_name"])
            batch = []
    Person.objects.bulk_update(batch, ["search_name"])


def trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS person_search_name_trgm ON dossier_person "
        "USING gin (search_name gin_trgm_ops)"
    )


def drop_trigram_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS person_search_name_trgm")


class Migration(migrations.Migration):
    dependencies = [
        ("dossier", "0007_merge_20261202_0214"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="search_name",
            field=models.CharField(
                blank=True, db_default="", default="", editable=False, max_length=420
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(trigram_index, drop_trigram_index),
    ]
