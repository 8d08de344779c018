"""The chain is keyed from here on (CRADLE_AUDIT_KEY), and a refused read is an action.

Entries already written keep their plain SHA-256 hashes: the head records `keyed_from`, the
first sequence hashed with the key (the next one to be written), and is sealed with a MAC over
its sequence, hash and `keyed_from`, so that point cannot later be moved to pass re-hashed
entries off as old ones. Running this migration therefore needs the key in the environment.
"""

from django.db import migrations, models

from cradle.audit import chain
from cradle.audit.key import audit_key


def key_the_chain(apps, schema_editor):
    ChainHead = apps.get_model("audit", "ChainHead")
    head = ChainHead.objects.using(schema_editor.connection.alias).filter(pk=1).first()
    if head is None:
        return
    head.keyed_from = head.sequence + 1
    head.mac = chain.head_mac(audit_key(), sequence=head.sequence, entry_hash=head.entry_hash,
                              keyed_from=head.keyed_from)
    head.save(update_fields=["keyed_from", "mac"])


ACTIONS = [('create', 'Create'), ('change', 'Change'), ('delete', 'Delete'), ('view', 'View'),
           ('export', 'Export'), ('load', 'Load'), ('refused', 'Refused')]


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='chainhead',
            name='keyed_from',
            field=models.PositiveBigIntegerField(default=1, help_text='Entries from this sequence on are hashed with the audit key.'),
        ),
        migrations.AddField(
            model_name='chainhead',
            name='mac',
            field=models.CharField(blank=True, default='', max_length=64),
        ),
        migrations.AlterField(
            model_name='auditentry',
            name='action',
            field=models.CharField(choices=ACTIONS, editable=False, max_length=10),
        ),
        migrations.RemoveConstraint(
            model_name='auditentry',
            name='audit_action_known',
        ),
        migrations.AddConstraint(
            model_name='auditentry',
            constraint=models.CheckConstraint(condition=models.Q(('action__in', [value for value, _ in ACTIONS])), name='audit_action_known'),
        ),
        migrations.RunPython(key_the_chain, migrations.RunPython.noop),
    ]
