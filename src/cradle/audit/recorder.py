"""Writing the audit log. Actions call `record` (or `record_changes`, `record_many`) inside
their own transaction, so an action that rolls back leaves no entry.

What is written: who (the actor's id and email as text), what (model label, object id, the
action, the *names* of the fields changed, a short note), when, and from where (the client's
IP address when there is a request). Never field values or request bodies: `fields` must be
names, and notes are fixed text written by the action, never what a user typed.

Appending takes a lock first: an UPDATE of the single `ChainHead` row, inside the caller's
transaction. On PostgreSQL that is a row lock held until the transaction ends, so concurrent
writers take turns and each reads the head the one before it committed; on SQLite the UPDATE
takes the database's write lock, which is held until commit too. (Locking the newest entry
with SELECT ... FOR UPDATE would not do: there is nothing to lock in an empty log, and a
waiting writer would go on to read the same, no longer newest, entry.) The unique `sequence`
is a second guard: a writer that somehow read a stale head fails instead of forking the chain.

The head must be there and carry a valid MAC before anything is appended (`ChainHeadInvalid`
otherwise): appending to a head that was deleted or moved back would seal the damage with a
fresh, valid MAC. Entries are hashed with HMAC under the audit key (key.py, chain.py).
"""

from __future__ import annotations

import functools
import hmac
import ipaddress
import operator
import re
from collections.abc import Iterable, Sequence
from typing import Any, NamedTuple

from django.db import connections, models, router, transaction
from django.db.models import F
from django.utils import timezone

from . import chain
from .key import audit_key
from .models import CHAIN_VALUES, Action, AuditEntry, ChainHead, entry_dict, format_time

SYSTEM = "system"
HEAD_PK = 1
# Field names only: a value smuggled in as a "field name" (spaces, @, digits first...) is refused.
FIELD_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*")
MAX_ACTOR = AuditEntry._meta.get_field("actor").max_length


class ChainHeadInvalid(Exception):
    """The chain's head row is missing or fails its MAC: nothing more is appended until it is
    restored (`cradle audit verify` says what is wrong)."""


class Event(NamedTuple):
    """One thing to record, for `record_many`."""

    action: str
    model_label: str
    object_id: Any = ""
    fields: Sequence[str] = ()
    note: str = ""


def event_for(obj: models.Model, action: str, fields: Iterable[str] = (),
              note: str = "") -> Event:
    return Event(action, obj._meta.label_lower, obj.pk, tuple(fields), note)


def created(obj: models.Model, *extra: str) -> Event:
    """The event of `obj` created: every concrete field but the key, then `extra` (such as a
    many-to-many set in the same action)."""
    fields = tuple(f.name for f in obj._meta.concrete_fields if not f.primary_key)
    return event_for(obj, Action.CREATE, (*fields, *extra))


def record(*, actor, action: str, model_label: str, object_id, fields: Iterable[str] = (),
           request=None, note: str = "") -> AuditEntry:
    """Append one entry and return it.

    `actor` is a user, a name or email as text (FOI actions' `by`), or None: then the signed-in
    user of the request being served, if there is one, and otherwise "system" (imports run
    from the command line). `request` defaults to the request being served, if any (through
    django-simple-history's middleware, which keeps it for the current thread).
    """
    return record_many(actor, [Event(action, model_label, object_id, tuple(fields), note)],
                       request=request)[0]


def record_changes(actor, obj: models.Model, changed_fields: Iterable[str], action: str, *,
                   request=None, note: str = "") -> AuditEntry:
    """Record `action` on a model instance, naming the fields that changed."""
    return record_many(actor, [event_for(obj, action, changed_fields, note)],
                       request=request)[0]


def record_many(actor, events: Iterable[Event], *, request=None) -> list[AuditEntry]:
    """Append several entries by the same actor under one lock, and return them as stored.

    Written by `append_many`, then read back in one query (the callers that record a handful
    of entries want them, ids included); a bulk import that writes thousands calls
    `append_many` itself and skips the read."""
    written = append_many(actor, events, request=request)
    if not written.count:
        return []
    return list(AuditEntry.objects.filter(sequence__range=(written.first, written.last))
                .in_order())


class Appended(NamedTuple):
    """What `append_many` wrote: sequences `first` to `last` (none if `count` is 0), and the
    chain's new head hash."""

    first: int
    last: int
    head_hash: str

    @property
    def count(self) -> int:
        return self.last - self.first + 1 if self.last else 0


def append_many(actor, events: Iterable[Event], *, request=None) -> Appended:
    """Append one entry per event, by the same actor, in the caller's transaction.

    Everything is built in memory first (each entry's chain hash from the one before it, as
    `chain.entry_hash` defines it, under the head's lock), then written with a few multi-row
    INSERTs instead of one model instance per entry: a bulk import's 70,000 entries cost
    seconds less (ADR 0022). The entries and their hashes are exactly those the ORM would have
    written; `cradle audit verify` checks them the same way."""
    request = request if request is not None else current_request()
    actor_id, actor_text = resolve_actor(actor, request)
    ip = client_ip(request)
    rows = [_row(event, actor_id, actor_text, ip) for event in events]
    if not rows:
        return Appended(0, 0, "")
    key = audit_key()
    with transaction.atomic(savepoint=False):
        head = _lock_head(key)
        recorded_at = timezone.now()
        stamp = format_time(recorded_at)  # the timestamp's one text form in the hash
        sequence, previous = head.sequence, head.entry_hash
        first = sequence + 1
        chained = []
        for row in rows:
            sequence += 1
            entry_hash = chain.entry_hash(
                {**row, "sequence": sequence, "recorded_at": stamp, "fields": list(row["fields"])},
                previous, key)
            chained.append((sequence, row, previous, entry_hash))
            previous = entry_hash
        _insert(chained, recorded_at)
        ChainHead.objects.filter(pk=HEAD_PK).update(
            sequence=sequence, entry_hash=previous,
            mac=chain.head_mac(key, sequence=sequence, entry_hash=previous,
                               keyed_from=head.keyed_from))
    return Appended(first, sequence, previous)


#: The columns `_insert` writes: every stored field but the database's own id.
_COLUMNS = tuple(field for field in AuditEntry._meta.concrete_fields if not field.primary_key)
#: Rows per INSERT: as bulk_create batches them (and within SQLite's bound parameters).
INSERT_BATCH = 500


def _insert(chained: list[tuple[int, dict, str, str]], recorded_at) -> None:
    """Write the chained entries: COPY on PostgreSQL, multi-row INSERTs on SQLite.

    Values are prepared by each field's own `get_db_prep_save`, as bulk_create would, but once
    for the timestamp (the entries share it) and once per distinct list of field names (a few
    per import), not once per value of each of thousands of instances, which is where the ORM
    spent its time. On PostgreSQL a multi-row INSERT of 500 entries is a 6,000-parameter
    statement that psycopg parses afresh every time (too long for its cache); COPY sends the
    rows as data. COPY is an INSERT for the database: the same privilege, constraints (the
    unique sequence) and triggers, in the same transaction."""
    connection = connections[router.db_for_write(AuditEntry)]
    prepared: dict[str, dict] = {name: {} for name in ("recorded_at", "fields")}
    by_name = {field.name: field for field in _COLUMNS}

    def prep(name: str, value, cache_key):
        cache = prepared[name]
        if cache_key not in cache:
            cache[cache_key] = by_name[name].get_db_prep_save(value, connection)
        return cache[cache_key]

    stamp = prep("recorded_at", recorded_at, None)
    in_column_order = operator.itemgetter(*(field.name for field in _COLUMNS))

    def values():
        for sequence, row, previous_hash, entry_hash in chained:
            yield in_column_order({
                **row, "sequence": sequence, "recorded_at": stamp,
                "fields": prep("fields", list(row["fields"]), row["fields"]),
                "previous_hash": previous_hash, "entry_hash": entry_hash})

    table = connection.ops.quote_name(AuditEntry._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in _COLUMNS)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in values():
                    copy.write_row(row)
            return
        batch = max(1, min(INSERT_BATCH, connection.ops.bulk_batch_size(list(_COLUMNS), chained)))
        one_row = "(" + ", ".join(["%s"] * len(_COLUMNS)) + ")"
        rows = list(values())
        for start in range(0, len(rows), batch):
            part = rows[start:start + batch]
            cursor.execute(f"INSERT INTO {table} ({columns}) VALUES "
                           + ", ".join([one_row] * len(part)),
                           [value for row in part for value in row])


@functools.lru_cache(maxsize=1024)
def _checked_fields(fields: tuple) -> tuple[str, ...]:
    """The field names, once each is known to be an identifier (an import names the same few
    lists tens of thousands of times)."""
    for name in fields:
        if not isinstance(name, str) or not FIELD_NAME.fullmatch(name):
            raise ValueError(f"audit field names must be identifiers, not {name!r}")
    return fields


#: The known actions, by value (an Action member is found by its value, being a str).
_ACTIONS = {action.value: action.value for action in Action}


def _row(event: Event, actor_id: str, actor: str, ip: str) -> dict:
    try:
        action = _ACTIONS[event.action]
    except (KeyError, TypeError):
        raise ValueError(f"{event.action!r} is not a valid Action") from None
    try:
        fields = _checked_fields(tuple(event.fields))
    except TypeError:  # an unhashable "name": refused as the loop above would
        raise ValueError(f"audit field names must be identifiers, not {event.fields!r}") from None
    if not event.model_label or "." not in event.model_label:
        raise ValueError(f"model label must be app_label.model, not {event.model_label!r}")
    object_id = "" if event.object_id is None else str(event.object_id)
    return {"actor_id": actor_id, "actor": actor, "action": action,
            "model_label": event.model_label.lower(), "object_id": object_id,
            "fields": fields, "ip_address": ip, "note": event.note}


def _lock_head(key: bytes) -> ChainHead:
    """Lock the chain's head row for this transaction and return it, once its MAC checks."""
    if not ChainHead.objects.filter(pk=HEAD_PK).update(sequence=F("sequence")):
        raise ChainHeadInvalid("the audit chain's head is missing: nothing more is recorded "
                               "until it is restored (run `cradle audit verify`)")
    head = ChainHead.objects.get(pk=HEAD_PK)
    if not head_is_sealed(head, key):
        raise ChainHeadInvalid("the audit chain's head fails its check (edited, or the key "
                               "changed): nothing more is recorded (run `cradle audit verify`)")
    return head


def head_is_sealed(head: ChainHead, key: bytes) -> bool:
    expected = chain.head_mac(key, sequence=head.sequence, entry_hash=head.entry_hash,
                              keyed_from=head.keyed_from)
    return hmac.compare_digest(expected, head.mac)


def start_chain(using: str = "default") -> bool:
    """Make the head of an empty log (a new database, or one just flushed by the tests);
    True if one was made. Never over a log that has entries: a lost head stays lost."""
    if ChainHead.objects.using(using).exists() or AuditEntry.objects.using(using).exists():
        return False
    key = audit_key()
    ChainHead.objects.using(using).bulk_create([ChainHead(
        pk=HEAD_PK, sequence=0, entry_hash=chain.GENESIS_HASH, keyed_from=1,
        mac=chain.head_mac(key, sequence=0, entry_hash=chain.GENESIS_HASH, keyed_from=1))],
        ignore_conflicts=True)
    return True


def current_request():
    """The request this thread is serving, if any (kept by simple_history's middleware)."""
    try:
        from simple_history.models import HistoricalRecords
    except ImportError:  # pragma: no cover - simple_history is a dependency
        return None
    return getattr(HistoricalRecords.context, "request", None)


def _signed_in(request):
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def resolve_actor(actor, request=None) -> tuple[str, str]:
    """(actor id, actor text) snapshots."""
    user = _signed_in(request)
    if actor is None:
        if user is None:
            return "", SYSTEM
        actor = user
    if isinstance(actor, str):
        text = actor.strip()[:MAX_ACTOR] or SYSTEM
        # The FOI actions name the user by email (their `by`); keep the id when it is them.
        if user is not None and user.get_username() == text:
            return str(user.pk), text
        return "", text
    if not getattr(actor, "is_authenticated", False):
        return "", "anonymous"
    return str(actor.pk), actor.get_username()[:MAX_ACTOR]


def client_ip(request) -> str:
    """REMOTE_ADDR, the address that connected. X-Forwarded-For is not trusted: anyone can
    send it, and no proxy is configured to set it."""
    if request is None:
        return ""
    value = request.META.get("REMOTE_ADDR", "")
    try:
        return ipaddress.ip_address(value).compressed
    except ValueError:
        return ""


def head() -> tuple[int, str] | None:
    """The stored head (sequence, hash) of the chain, or None if there is none."""
    row = ChainHead.objects.filter(pk=HEAD_PK).values_list("sequence", "entry_hash").first()
    return tuple(row) if row else None


def verify_log(anchor: tuple[int | None, str] | None = None) -> tuple[int, list[chain.Problem]]:
    """Check the whole stored chain, in sequence order, against its stored head (which must
    be there, sealed with the key) and, if given, an anchor kept outside the database."""
    key = audit_key()
    count = 0
    problems: list[chain.Problem] = []
    stored = ChainHead.objects.filter(pk=HEAD_PK).first()
    if stored is None:
        problems.append(chain.Problem("-", "-", "the chain's head is missing (its row was "
                                      "deleted): entries at the end may be missing with it"))
        expected_head, keyed_from = None, None
    else:
        if not head_is_sealed(stored, key):
            problems.append(chain.Problem("-", stored.sequence, "the chain's head fails its "
                                          "MAC: it was edited (or the audit key changed)"))
        expected_head, keyed_from = (stored.sequence, stored.entry_hash), stored.keyed_from

    def entries():
        nonlocal count
        rows = AuditEntry.objects.in_order().values(*CHAIN_VALUES).iterator(chunk_size=2000)
        for row in rows:
            count += 1
            yield entry_dict(row)

    problems += chain.verify(entries(), head=expected_head, key=key, keyed_from=keyed_from,
                             anchor=anchor)
    return count, problems
