"""Built the pooled summaries of the records a database already held (ADR 0023).

The build ran the application's own `rebuild`, with today's code, which writes tables that
later migrations create (0004's yearly facts), so it has moved to the last of them
(0004_yearly_summaries.build); this step now does nothing. Reversing it still empties them.
"""

from django.db import migrations


def empty(apps, schema_editor):
    for name in ("MonthlyFact", "MonthlyChange", "CaseMeasurePair", "SummaryLock"):
        apps.get_model("pooled", name).objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ("pooled", "0001_initial"),
    ]

    operations = [migrations.RunPython(migrations.RunPython.noop, empty)]
