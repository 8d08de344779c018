"""Build the pooled summaries of the records a database already holds (ADR 0023).

The summaries are derived data, so this runs the application's own `rebuild` (with today's
code) rather than a frozen copy of it, and only when there are records to summarise: on a new
database there is nothing to do, and nothing of today's code runs. Reversing it empties them.
"""

from django.db import migrations


def build(apps, schema_editor):
    if not apps.get_model("outcomes", "Case").objects.exists() and not apps.get_model(
            "outcomes", "WorkforceActivity").objects.exists():
        return
    from cradle.pooled import summaries

    summaries.rebuild()


def empty(apps, schema_editor):
    for name in ("MonthlyFact", "MonthlyChange", "CaseMeasurePair", "SummaryLock"):
        apps.get_model("pooled", name).objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("pooled", "0001_initial"),
    ]

    operations = [migrations.RunPython(build, empty)]
