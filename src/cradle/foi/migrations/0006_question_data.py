# A campaign's questions and period as data (ADR 0030). Existing campaigns asked a preset by
# its key; each gets the preset's questions copied as data and the preset's period, so its
# letters read exactly as before.

import datetime

import django.db.models.deletion
from django.db import migrations, models

import cradle.foi.models
from cradle.foi.question_data import preset_data
from cradle.foi.questions import QUESTION_SETS

PRESET_PERIODS = {"camhs-2019": ("2018/19", datetime.date(2018, 4, 1),
                                 datetime.date(2019, 3, 31))}


def copy_presets(apps, schema_editor):
    Campaign = apps.get_model("foi", "Campaign")
    for campaign in Campaign.objects.all():
        preset = QUESTION_SETS.get(campaign.question_set)
        if preset is None:
            continue
        campaign.question_data = preset_data(preset)
        if campaign.question_set in PRESET_PERIODS:
            (campaign.period_label, campaign.period_starts_on,
             campaign.period_ends_on) = PRESET_PERIODS[campaign.question_set]
        campaign.save(update_fields=["question_data", "period_label", "period_starts_on",
                                     "period_ends_on"])


class Migration(migrations.Migration):

    dependencies = [
        ('foi', '0005_replies'),
    ]

    operations = [
        migrations.CreateModel(
            name='StructuredAnswer',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('received_on', models.DateField()),
                ('answers', models.JSONField(default=dict)),
                ('comment', models.TextField(blank=True, default='')),
                ('recorded_at', models.DateTimeField(auto_now_add=True)),
            ],
            options={
                'ordering': ['received_on', 'id'],
            },
        ),
        migrations.AddField(
            model_name='campaign',
            name='period_ends_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='campaign',
            name='period_label',
            field=models.CharField(blank=True, default='', help_text='The period asked about, for example 2025/26.', max_length=40),
        ),
        migrations.AddField(
            model_name='campaign',
            name='period_starts_on',
            field=models.DateField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='campaign',
            name='question_data',
            field=models.JSONField(default=dict, help_text="The campaign's typed questions, a versioned list (cradle/foi/question_data.py); frozen once the first request is sent.", validators=[cradle.foi.models.validate_question_data]),
        ),
        migrations.RunPython(copy_presets, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='campaign',
            name='question_set',
            field=models.CharField(blank=True, choices=[('', 'Questions built for this campaign'), ('camhs-2019', 'CAMHS referrals for children aged 2 and under (Rare Jewels, 2019)')], default='', max_length=40),
        ),
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.CheckConstraint(condition=models.Q(('period_starts_on__isnull', True), ('period_ends_on__isnull', True), ('period_starts_on__lte', models.F('period_ends_on')), _connector='OR'), name='campaign_period_in_order', violation_error_message='The period must end on or after the day it starts'),
        ),
        migrations.AddField(
            model_name='structuredanswer',
            name='campaign',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='structured_answers', to='foi.campaign'),
        ),
        migrations.AddField(
            model_name='structuredanswer',
            name='request',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='structured_answers', to='foi.foirequest'),
        ),
    ]
