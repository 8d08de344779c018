"""Every write to a job, each in one transaction; starting, finishing, failing and retrying
are audited (progress is not: it changes no record a person made).

A job is created and its task enqueued in the same transaction: with the database backend the
queue is a table of the same database, so either both exist or neither does. The task is given
the job's id only; everything else it needs is in the job's `params`.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from cradle.audit import recorder
from cradle.audit.models import Action

from . import kinds
from .models import FINISHED, Job, JobState

MODEL_LABEL = "jobs.job"


class JobError(Exception):
    """A job cannot be started or retried: the message says why, in plain words."""


def _actor(job: Job):
    return job.started_by or recorder.SYSTEM


def _enqueue(job: Job) -> None:
    kind = kinds.get(job.kind)
    if kind is None:
        raise JobError("this kind of job no longer exists")
    result = kind.task.enqueue(str(job.pk))
    # With the immediate backend the task has already run and changed the row: update only
    # the result id, never save the stale copy over it.
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))
    job.refresh_from_db()


@transaction.atomic
def start_job(*, kind: str, by, subject_type: str, subject_id, subject_label: str,
              params: dict | None = None, total: int | None = None, phase: str = "") -> Job:
    """Record a job and enqueue its task; returns the job (already finished when the tasks
    backend runs tasks immediately). `by` is the user who started it, or None (public)."""
    if kinds.get(kind) is None:
        raise JobError(f"unknown kind of job: {kind}")
    job = Job.objects.create(
        kind=kind, started_by=by if by is not None and by.is_authenticated else None,
        subject_type=subject_type, subject_id=str(subject_id), subject_label=subject_label[:200],
        params=params or {}, total=total, phase=phase or "Waiting for a worker to start it",
        attempts=1)
    recorder.record(actor=_actor(job), action=Action.CREATE, model_label=MODEL_LABEL,
                    object_id=job.pk, fields=("kind", "subject_type", "subject_id"),
                    note=f"Started a background job: {job.kind}")
    _enqueue(job)
    return job


def mark_running(job: Job) -> Job:
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(state=JobState.RUNNING, started_at=now, error="",
                                         phase="Started", updated_at=now)
    job.refresh_from_db()
    return job


def report_progress(job: Job, *, done: int, total: int | None = None, phase: str = "") -> None:
    """Outside a transaction (so people see it at once): how far the job has got."""
    fields = {"done": done if total is None else min(done, total), "updated_at": timezone.now()}
    if total is not None:
        fields["total"] = total
    if phase:
        fields["phase"] = phase[:200]
    Job.objects.filter(pk=job.pk).update(**fields)


@transaction.atomic
def succeed(job: Job, *, summary: str, result: dict | None = None) -> Job:
    job.refresh_from_db()
    job.state, job.summary, job.error = JobState.SUCCEEDED, summary, ""
    job.result = result or {}
    job.phase, job.finished_at = "Finished", timezone.now()
    if job.total is not None:
        job.done = job.total
    job.save()
    recorder.record(actor=_actor(job), action=Action.CHANGE, model_label=MODEL_LABEL,
                    object_id=job.pk, fields=("state", "summary", "result"),
                    note="Background job finished")
    return job


@transaction.atomic
def fail(job: Job, *, error: str, result: dict | None = None) -> Job:
    job.refresh_from_db()
    job.state, job.error = JobState.FAILED, error or "The job failed."
    job.result = result or {}
    job.phase, job.finished_at = "Stopped", timezone.now()
    job.save()
    recorder.record(actor=_actor(job), action=Action.CHANGE, model_label=MODEL_LABEL,
                    object_id=job.pk, fields=("state", "error"), note="Background job failed")
    return job


def may_retry(user, job: Job) -> bool:
    return (job.state == JobState.FAILED and user.is_authenticated
            and job.started_by_id == user.pk and kinds.visible(user, job))


@transaction.atomic
def retry(*, job: Job, by) -> Job:
    """Run a failed job again, as it was started (its work left nothing half-written)."""
    job = Job.objects.select_for_update().get(pk=job.pk)
    if not may_retry(by, job):
        raise JobError("only a failed job can be tried again, by the person who started it")
    job.state, job.error, job.summary, job.result = JobState.QUEUED, "", "", {}
    job.done, job.phase, job.started_at, job.finished_at = 0, "Waiting for a worker", None, None
    job.attempts += 1
    job.save()
    recorder.record(actor=by, action=Action.CHANGE, model_label=MODEL_LABEL, object_id=job.pk,
                    fields=("state", "attempts"), note="Background job tried again")
    _enqueue(job)
    return job


def is_finished(job: Job) -> bool:
    return job.state in FINISHED
