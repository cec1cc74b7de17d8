"""The regional employment and training services the circular names (II 2.2.1): reference
data in NL/FR/DE. No contact details are invented here: the administrator adds them."""

from django.db import migrations

SERVICES = [
    ("VDAB (Vlaamse Dienst voor Arbeidsbemiddeling en Beroepsopleiding)",
     "VDAB (Office flamand de l'emploi et de la formation professionnelle)",
     "VDAB (Flämisches Amt für Arbeitsvermittlung und Berufsausbildung)", "flanders"),
    ("Le Forem (Waalse dienst voor beroepsopleiding en arbeidsbemiddeling)",
     "Le Forem (Office wallon de la formation professionnelle et de l'emploi)",
     "Le Forem (Wallonisches Amt für Berufsausbildung und Beschäftigung)", "wallonia"),
    ("Actiris (Brusselse gewestelijke dienst voor arbeidsbemiddeling)",
     "Actiris (Office régional bruxellois de l'emploi)",
     "Actiris (Regionalamt für Beschäftigung der Region Brüssel-Hauptstadt)", "brussels"),
    ("Bruxelles Formation (Franstalige Brusselse dienst voor beroepsopleiding)",
     "Bruxelles Formation (Institut bruxellois francophone pour la formation professionnelle)",
     "Bruxelles Formation (Französischsprachiges Brüsseler Institut für Berufsausbildung)",
     "brussels"),
    ("ADG (Arbeidsbemiddelingsdienst van de Duitstalige Gemeenschap)",
     "ADG (Office de l'emploi de la Communauté germanophone)",
     "ADG (Arbeitsamt der Deutschsprachigen Gemeinschaft)", "german_speaking"),
]  # fmt: skip


def add(apps, schema_editor):
    Party = apps.get_model("thirdparties", "Party")
    for nl, fr, de, region in SERVICES:
        Party.objects.get_or_create(
            kind="regional_service", name=nl,
            defaults={"name_fr": fr, "name_de": de, "region": region},
        )  # fmt: skip


def remove(apps, schema_editor):
    apps.get_model("thirdparties", "Party").objects.filter(
        kind="regional_service", name__in=[s[0] for s in SERVICES]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [("thirdparties", "0001_initial")]
    operations = [migrations.RunPython(add, remove)]
