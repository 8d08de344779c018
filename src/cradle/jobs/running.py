"""What a task calls to run a job's work: `run_job(job_id, work)`.

`work(job, progress)` does the job and returns `(summary, result)`: a sentence in plain words
for the person and a small JSON dict for the result page. For a failure the person can act on
it raises `JobFailed("plain words")`; any other exception is reported as a fault on Cradle's
side, and only its class is logged (an exception's message can quote the data). Either way the
work must leave nothing half-written: it runs in one transaction, or is idempotent by design
(each kind says which), so that the job can be retried.

Progress: `progress(done, total, phase)` is written to the job's row when no transaction is
open, so the job page sees it at once. Inside the work's transaction a write to the row would
not be seen until the commit (and on SQLite another connection cannot write at all while it is
open), so it goes to a small file under the var directory instead, which the job page reads
while the job runs. That file is seen by web processes on the same machine only; elsewhere the
bar stands at the last step written outside the transaction (ADR 0020).
"""

from __future__ import annotations

import json
import logging
import os
import time
from pathlib import Path
from uuid import UUID

from django.conf import settings
from django.db import connection

from . import actions
from .models import Job, JobState

logger = logging.getLogger(__name__)

#: Seconds between progress writes (the page polls every two seconds).
PROGRESS_EVERY = 0.5
FAULT = ("Something went wrong on Cradle's side and the job stopped: nothing it was doing "
         "was saved. Try again; if it fails again, tell your network coordinator, quoting "
         "job {id}.")


class JobStopped(Exception):
    """Raised to the tasks framework after a job's failure is recorded, so that its task is
    marked failed too; says only which job and the class of the error."""


class JobFailed(Exception):
    """The job cannot be done, for a reason the person can act on (said in plain words)."""

    def __init__(self, message: str, result: dict | None = None):
        super().__init__(message)
        self.result = result or {}


def progress_dir() -> Path:
    return Path(settings.VAR_DIR) / "job-progress"


def _progress_path(job_id) -> Path:
    return progress_dir() / f"{UUID(str(job_id))}.json"


def read_progress_file(job: Job) -> dict | None:
    """Progress written inside the work's transaction, if newer than the row's."""
    try:
        path = _progress_path(job.pk)
        if path.stat().st_mtime < job.updated_at.timestamp():
            return None
        return json.loads(path.read_text())
    except (FileNotFoundError, ValueError, OSError):
        return None


def _forget_progress_file(job_id) -> None:
    try:
        _progress_path(job_id).unlink(missing_ok=True)
    except OSError:
        pass


class Progress:
    """Called by the work as it goes: progress(done, total=None, phase="")."""

    def __init__(self, job: Job, clock=time.monotonic):
        self.job, self.clock = job, clock
        self.last = float("-inf")
        self.done, self.total, self.phase = 0, job.total, ""

    def __call__(self, done: int, total: int | None = None, phase: str = "", *,
                 force: bool = False) -> None:
        self.done = done
        if total is not None:
            self.total = total
        changed_phase = bool(phase) and phase != self.phase
        if phase:
            self.phase = phase
        now = self.clock()
        if not (force or changed_phase or now - self.last >= PROGRESS_EVERY):
            return
        self.last = now
        if connection.in_atomic_block:
            self._write_file()
        else:
            actions.report_progress(self.job, done=done, total=self.total, phase=self.phase)

    def _write_file(self) -> None:
        folder = progress_dir()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        path = _progress_path(self.job.pk)
        temporary = path.with_suffix(".tmp")
        temporary.write_text(json.dumps({"done": self.done, "total": self.total,
                                         "phase": self.phase}))
        os.replace(temporary, path)


def run_job(job_id: str, work) -> None:
    job = Job.objects.filter(pk=job_id).first()
    if job is None or job.state != JobState.QUEUED:
        # Deleted, or already run by another worker (a task can be delivered twice).
        return
    job = actions.mark_running(job)
    try:
        summary, result = work(job, Progress(job))
    except JobFailed as failure:
        actions.fail(job, error=str(failure), result=failure.result)
        raise JobStopped(f"job {job.pk} ({job.kind}) failed") from None
    except Exception as error:
        logger.error("Job %s (%s) failed: %s", job.pk, job.kind, type(error).__name__)
        actions.fail(job, error=FAULT.format(id=job.pk))
        # The task is marked failed too, but with neither the message nor the traceback of
        # the error (django-tasks logs and stores both), which can quote the data.
        raise JobStopped(f"job {job.pk} ({job.kind}) failed: {type(error).__name__}") from None
    else:
        actions.succeed(job, summary=summary, result=result)
    finally:
        _forget_progress_file(job.pk)
