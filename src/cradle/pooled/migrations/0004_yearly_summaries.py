"""The yearly summaries (ADR 0023, "A yearly grain"), and the summaries of records already held.

Where the monthly summaries are there (0002 built them before it moved here), the yearly ones
are their sums, made here with the frozen models. Where records are held without any summaries
(a database whose records predate the pooled app), the application's own `rebuild` builds them
all, with today's code: so this must stay the last migration before any that adds a table of
summaries, and that migration must take the build over, as this one took it from 0002.
"""

import django.db.models.deletion
from django.db import migrations, models
from django.db.models import Sum
from django.db.models.functions import ExtractYear

#: The columns of the change sums as they stand in this migration; the four sums are decimal
#: text (too long for a database integer).
CHANGE_COLUMNS = ("with_baseline", "missing_discharge", "discharge_only", "pairs", "sum_before",
                  "sum_after", "sum_change", "sum_change_sq", "improved", "deteriorated",
                  "at_baseline", "significant")
TEXT_COLUMNS = ("sum_before", "sum_after", "sum_change", "sum_change_sq")


def sum_facts_by_year(monthly, yearly, team_id):
    yearly.objects.bulk_create(
        (yearly(team_id=team_id, year=row["year"], name=row["name"], key=row["key"],
                n=row["total"])
         for row in monthly.objects.filter(team_id=team_id).order_by()
         .annotate(year=ExtractYear("month")).values("year", "name", "key")
         .annotate(total=Sum("n")) if row["total"]), batch_size=2000)


def sum_change_by_year(monthly, yearly, team_id):
    sums: dict = {}
    for month, instrument, *values in monthly.objects.filter(team_id=team_id).order_by(
            ).values_list("month", "instrument", *CHANGE_COLUMNS):
        key = (month.year, instrument)
        kept = sums.get(key, [0] * len(CHANGE_COLUMNS))
        sums[key] = [total + int(value) for total, value in zip(kept, values, strict=True)]
    yearly.objects.bulk_create(
        (yearly(team_id=team_id, year=year, instrument=instrument,
                **{name: str(value) if name in TEXT_COLUMNS else value
                   for name, value in zip(CHANGE_COLUMNS, values, strict=True)})
         for (year, instrument), values in sorted(sums.items()) if any(values)),
        batch_size=500)


def build(apps, schema_editor):
    def model(name):
        return apps.get_model("pooled", name)

    if model("MonthlyFact").objects.exists() or model("MonthlyChange").objects.exists():
        for team_id in apps.get_model("directory", "Service").objects.order_by(
                "pk").values_list("pk", flat=True):
            sum_facts_by_year(model("MonthlyFact"), model("YearlyFact"), team_id)
            sum_change_by_year(model("MonthlyChange"), model("YearlyChange"), team_id)
        return
    if not apps.get_model("outcomes", "Case").objects.exists() and not apps.get_model(
            "outcomes", "WorkforceActivity").objects.exists():
        return
    from cradle.pooled import summaries

    summaries.rebuild()


def empty(apps, schema_editor):
    for name in ("YearlyFact", "YearlyChange"):
        apps.get_model("pooled", name).objects.all().delete()


class Migration(migrations.Migration):

    dependencies = [
        ('directory', '0005_paused_status'),
        ('pooled', '0003_fact_indexes'),
    ]

    operations = [
        migrations.CreateModel(
            name='YearlyFact',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('year', models.IntegerField()),
                ('name', models.CharField(help_text='What is counted (facts.FACTS).', max_length=40)),
                ('key', models.CharField(blank=True, help_text="The breakdown's value (facts.key_of); empty for none.", max_length=60)),
                ('n', models.BigIntegerField()),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='directory.service')),
            ],
            options={
                'indexes': [models.Index(fields=['team', 'year', 'name', 'key', 'n'], name='pooled_yearly_covering'), models.Index(fields=['name', 'team', 'year'], name='pooled_yearly_by_name')],
                'constraints': [models.UniqueConstraint(fields=('team', 'year', 'name', 'key'), name='pooled_yearly_one_per_key')],
            },
        ),
        migrations.CreateModel(
            name='YearlyChange',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('with_baseline', models.BigIntegerField()),
                ('missing_discharge', models.BigIntegerField()),
                ('discharge_only', models.BigIntegerField()),
                ('pairs', models.BigIntegerField()),
                ('sum_before', models.TextField()),
                ('sum_after', models.TextField()),
                ('sum_change', models.TextField()),
                ('sum_change_sq', models.TextField()),
                ('improved', models.BigIntegerField()),
                ('deteriorated', models.BigIntegerField()),
                ('at_baseline', models.BigIntegerField()),
                ('significant', models.BigIntegerField()),
                ('year', models.IntegerField()),
                ('instrument', models.CharField(max_length=12)),
                ('team', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='+', to='directory.service')),
            ],
            options={
                'constraints': [models.UniqueConstraint(fields=('team', 'year', 'instrument'), name='pooled_change_one_per_year')],
            },
        ),
        # The years are read from the yearly facts now (queries.years_with_referrals).
        migrations.RemoveIndex(model_name='monthlyfact', name='pooled_fact_by_name'),
        migrations.RunPython(build, empty),
    ]
