"""The audit log: append-only entries, chained by hash (chain.py), written through recorder.py.

Entries hold text snapshots only (who, what, when, from where), never foreign keys, so they
outlive the users and records they describe; and the names of fields changed, never values.
"""

import datetime

from django.db import models

from . import chain


class Action(models.TextChoices):
    CREATE = "create", "Create"
    CHANGE = "change", "Change"
    DELETE = "delete", "Delete"
    VIEW = "view", "View"
    EXPORT = "export", "Export"
    LOAD = "load", "Load"
    REFUSED = "refused", "Refused"  # a read of a record outside the user's scope (a 404)


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit entry."""


class AuditEntryQuerySet(models.QuerySet):
    def in_order(self):
        return self.order_by("sequence")

    def newest_first(self):
        return self.order_by("-sequence")

    def search(self, *, actor: str = "", model_label: str = "", object_id: str = "",
               action: str = "", start: datetime.datetime | None = None,
               end: datetime.datetime | None = None):
        """Entries matching every filter given: actor (part of the name or email, or the exact
        actor id), model label, object id and action (exact), recorded in [start, end)."""
        entries = self
        if actor:
            entries = entries.filter(models.Q(actor__icontains=actor) | models.Q(actor_id=actor))
        if model_label:
            entries = entries.filter(model_label=model_label.lower())
        if object_id:
            entries = entries.filter(object_id=object_id)
        if action:
            entries = entries.filter(action=action)
        if start:
            entries = entries.filter(recorded_at__gte=start)
        if end:
            entries = entries.filter(recorded_at__lt=end)
        return entries


class AuditEntry(models.Model):
    sequence = models.PositiveBigIntegerField(unique=True, editable=False)
    recorded_at = models.DateTimeField(editable=False)
    actor_id = models.CharField(
        max_length=64, blank=True, default="", editable=False,
        help_text="The user's id when they were known, as text (not a foreign key).")
    actor = models.CharField(max_length=254, editable=False,
                             help_text="The user's email address, a name, or “system”.")
    action = models.CharField(max_length=10, choices=Action.choices, editable=False)
    model_label = models.CharField(max_length=100, editable=False,
                                   help_text="app_label.modelname of what was touched.")
    object_id = models.CharField(max_length=64, blank=True, default="", editable=False)
    fields = models.JSONField(default=list, blank=True, editable=False,
                              help_text="Names of the fields changed; never their values.")
    ip_address = models.CharField(max_length=45, blank=True, default="", editable=False)
    note = models.TextField(blank=True, default="", editable=False)
    previous_hash = models.CharField(max_length=64, editable=False)
    entry_hash = models.CharField(max_length=64, editable=False)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        ordering = ["-sequence"]
        verbose_name_plural = "audit entries"
        constraints = [
            models.CheckConstraint(condition=models.Q(action__in=Action.values),
                                   name="audit_action_known"),
        ]
        indexes = [
            models.Index(fields=["model_label", "object_id"], name="audit_object"),
            models.Index(fields=["recorded_at"], name="audit_recorded_at"),
        ]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.actor} {self.action} {self.model_label} {self.object_id}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("audit entries cannot be changed")
        # New entries are appended by cradle.audit.recorder (bulk_create, under the chain's
        # lock); one saved on its own would have no place in the chain.
        raise AppendOnlyError("audit entries are written by cradle.audit.recorder.record")

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("audit entries cannot be deleted")

    def as_chain_dict(self) -> dict:
        return entry_dict(self.__dict__)


def format_time(value: datetime.datetime) -> str:
    """The one text form of a timestamp in the hash: UTC, to the microsecond."""
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


CHAIN_VALUES = ("id", *chain.HASHED_FIELDS, "entry_hash")


def entry_dict(values) -> dict:
    """An entry's values (a model's __dict__ or a .values() row) as chain.py takes them."""
    entry = {name: values[name] for name in CHAIN_VALUES if name in values}
    entry["recorded_at"] = format_time(values["recorded_at"])
    entry["fields"] = list(values["fields"])
    return entry


class ChainHead(models.Model):
    """One row (pk 1): the newest entry's sequence and hash, the first keyed sequence, and a
    MAC over all three (chain.head_mac) under the audit key.

    Appending locks this row first (an UPDATE, inside the caller's transaction), so writers
    take turns on PostgreSQL (row lock) and SQLite (the database write lock); and `verify`
    compares it with the newest entry, so deleting entries at the end is noticed too. The row
    is made with the log (migrations, and after a flush of an empty log); it is never rebuilt
    from the entries, as that would bless a log cut back together with its head.
    """

    sequence = models.PositiveBigIntegerField(default=0)
    entry_hash = models.CharField(max_length=64, default=chain.GENESIS_HASH)
    keyed_from = models.PositiveBigIntegerField(
        default=1, help_text="Entries from this sequence on are hashed with the audit key.")
    mac = models.CharField(max_length=64, blank=True, default="")

    class Meta:
        constraints = [models.CheckConstraint(condition=models.Q(id=1), name="audit_one_head")]

    def __str__(self) -> str:
        return f"audit chain head: {self.sequence}"
