"""The kinds of job, registered by each domain's tasks module.

A kind says which task runs it, what it is called, who may see a job of it (the subject's own
permission check: a team's import is seen by those who edit that team's cases, an FOI batch by
those who manage FOI campaigns) and how its result is shown. The job pages know nothing of any
domain beyond this registry. A kind not registered (its code removed) is shown to nobody.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass

#: The modules that register kinds (imported when the app is ready). A new domain adds its own.
TASK_MODULES = ("cradle.outcomes.tasks", "cradle.foi.tasks", "cradle.planning.tasks")


@dataclass(frozen=True)
class JobKind:
    key: str
    #: What the job is, for people: "Check a spreadsheet for import".
    label: str
    #: The django-tasks Task that runs it; called with the job's id only.
    task: object
    #: May `user` see `job`? (The subject's check; the starter alone is not enough.)
    can_see: Callable[[object, object], bool]
    #: A template included on the job's page under its result, given `job`; "" for none.
    result_template: str = ""
    #: Where "back" goes from the job page: a function of the job returning a URL, or None.
    subject_url: Callable[[object], str] | None = None


_KINDS: dict[str, JobKind] = {}


def register(kind: JobKind) -> JobKind:
    existing = _KINDS.get(kind.key)
    if existing is not None and existing != kind:
        raise ValueError(f"job kind {kind.key!r} registered twice")
    _KINDS[kind.key] = kind
    return kind


def get(key: str) -> JobKind | None:
    return _KINDS.get(key)


def load_task_modules() -> None:
    for name in TASK_MODULES:
        importlib.import_module(name)


def visible(user, job) -> bool:
    kind = get(job.kind)
    return kind is not None and bool(kind.can_see(user, job))
