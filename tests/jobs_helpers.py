"""A kind of job for the jobs tests: its work is whatever the test puts in `WORK` (a function
of job and progress), and a job of it is seen by the person who started it only."""

from __future__ import annotations

from cradle.jobs import kinds
from cradle.jobs.compat import task
from cradle.jobs.running import run_job

KIND = "tests.scripted"
WORK: list = []


def _work(job, progress):
    return WORK[0](job, progress)


@task()
def scripted_task(job_id: str) -> None:
    run_job(job_id, _work)


kinds.register(kinds.JobKind(
    key=KIND, label="A scripted test job", task=scripted_task,
    can_see=lambda user, job: user.is_authenticated and job.started_by_id == user.pk))
