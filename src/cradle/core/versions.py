"""The version of the data public pages show: it moves whenever any model behind one is written.

The whole-page cache (`cradle.core.public_cache`) keys every page by it, so a change to the
register, the reference data, FOI answers or the pooled figures' records is seen on the next
request, and nothing has to know which pages to purge.

Two parts, because neither alone catches every write:
- **the database's own maxima**: the newest primary key of every registered model, history
  tables (django-simple-history) included. Exact across processes and machines, and it moves on
  inserts made without signals (`bulk_create`, the reference-data load, the synthetic loader,
  another process with another cache). It misses an in-place update of a model without history.
- **a write token** in the shared cache, replaced (with a random value) after every committed
  save or delete of a registered model, so in-place updates and deletes count too. It is random
  rather than a counter, so a token lost to eviction or a restart can never come back as an
  old value and revive a page cached under it.

Other apps add their models with `register_app("label")` or `register_model("app.Model")`
(in their `AppConfig.ready`), before the first request. A model written often that no public
page reads (sessions, the audit log, background jobs' progress) must not be registered: every
write would empty the public pages' cache.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from django.apps import apps
from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections, transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

TOKEN_KEY = "cradle:public-data-write-token"

# What public pages read: the register and its history, the reference geography and its
# import log, FOI answers (area profiles), the pooled figures' records (public summary), and
# planning. Extended by register_app / register_model.
DEFAULT_APPS = ("directory", "geography", "foi", "outcomes", "planning", "pooled")
DEFAULT_MODELS = ("core.ImportLog",)

_app_labels: set[str] = set(DEFAULT_APPS)
_model_labels: set[str] = set(DEFAULT_MODELS)
_models: list | None = None  # resolved on first use, once the app registry is ready
_sql: str | None = None

# The page cache asks for the version on every request; each answer costs a round trip to the
# database and one to Redis, about what serving a whole static file costs. So a worker reuses
# its last answer for this long. A write in this process forgets it at once; one in another
# process (worker, command) is seen within this time, which is nothing beside the minute a
# browser or CDN may keep the page anyway (ADR 0021).
RECHECK_SECONDS = 1.0
_recent: tuple[float, str] | None = None  # (monotonic time asked, version)


def register_app(label: str) -> None:
    """Every model of the app (and its history tables) counts towards the public version."""
    _app_labels.add(label)
    _forget_resolved()


def register_model(label: str) -> None:
    """One model (`"app_label.ModelName"`) counts towards the public version."""
    _model_labels.add(label)
    _forget_resolved()


def _forget_resolved() -> None:
    global _models, _sql
    _models, _sql = None, None


def registered_models() -> list:
    global _models
    if _models is None:
        found = [model for model in apps.get_models()
                 if model._meta.app_label in _app_labels or model._meta.label in _model_labels]
        _models = sorted(found, key=lambda model: model._meta.label)
    return _models


def is_registered(model) -> bool:
    return model._meta.app_label in _app_labels or model._meta.label in _model_labels


def _maxima_sql() -> str:
    """One query for every maximum (a round trip per model would cost more than the page).
    Only table and column names from the models' own metadata go into it, quoted by the
    database backend; no value from a request ever does."""
    global _sql
    if _sql is None:
        quote = connections[DEFAULT_DB_ALIAS].ops.quote_name
        parts = [f"(SELECT MAX({quote(model._meta.pk.column)}) "
                 f"FROM {quote(model._meta.db_table)})" for model in registered_models()]
        _sql = "SELECT " + ", ".join(parts)
    return _sql


def database_maxima() -> tuple:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute(_maxima_sql())
        return tuple(cursor.fetchone())


def write_token() -> str:
    token = cache.get(TOKEN_KEY)
    if token is None:
        # The first reader after a restart or an eviction makes one; `add` so that two
        # workers racing agree on a single value.
        cache.add(TOKEN_KEY, secrets.token_hex(8), None)
        token = cache.get(TOKEN_KEY) or "none"
    return token


def public_data_version() -> str:
    """A short string that changes whenever any data a public page shows changes."""
    maxima = "-".join(str(value or 0) for value in database_maxima())
    digest = hashlib.sha256(f"{maxima}|{write_token()}".encode()).hexdigest()
    return digest[:20]


def recent_public_data_version() -> str:
    """`public_data_version()`, reused for up to RECHECK_SECONDS by this process."""
    global _recent
    now = time.monotonic()
    recent = _recent
    if recent is not None and now - recent[0] < RECHECK_SECONDS:
        return recent[1]
    version = public_data_version()
    _recent = (now, version)
    return version


def forget_recent() -> None:
    global _recent
    _recent = None


def bump() -> None:
    """A registered model was written and committed: pages cached before are stale."""
    cache.set(TOKEN_KEY, secrets.token_hex(8), None)
    forget_recent()


def _schedule_bump(using: str) -> None:
    connection = transaction.get_connection(using)
    if connection.in_atomic_block and any(
            callback is bump for _sids, callback, _robust in connection.run_on_commit):
        return  # one bump per transaction, however many rows it writes
    # After commit: a rolled-back write changes nothing, and a reader never sees the new
    # token before the new rows.
    transaction.on_commit(bump, using=using)


def _model_written(sender, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    if is_registered(sender):
        forget_recent()  # at once too: the database's maxima may already tell
        _schedule_bump(using or DEFAULT_DB_ALIAS)


def _relation_changed(sender, instance, action, using=DEFAULT_DB_ALIAS, **kwargs) -> None:
    if action.startswith("post_") and (is_registered(type(instance)) or is_registered(sender)):
        forget_recent()
        _schedule_bump(using or DEFAULT_DB_ALIAS)


def connect_signals() -> None:
    """Called once from `CoreConfig.ready`."""
    post_save.connect(_model_written, dispatch_uid="cradle.core.versions.saved")
    post_delete.connect(_model_written, dispatch_uid="cradle.core.versions.deleted")
    m2m_changed.connect(_relation_changed, dispatch_uid="cradle.core.versions.m2m")
