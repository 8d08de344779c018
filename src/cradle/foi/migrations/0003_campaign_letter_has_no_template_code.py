# Template code can never be stored in a letter, however the row is written (after 0002 has
# converted every stored template).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('foi', '0002_letter_placeholders'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='campaign',
            constraint=models.CheckConstraint(condition=models.Q(models.Q(('letter_template__contains', '{{'), _negated=True), models.Q(('letter_template__contains', '{%'), _negated=True), models.Q(('letter_template__contains', '{#'), _negated=True)), name='campaign_letter_has_no_template_code', violation_error_message='The letter contains template code'),
        ),
    ]
