"""Background jobs (cradle.jobs, ADR 0020): a job's progress is seen while it runs, its failure
is said in plain words, leaves nothing written and can be retried by who started it; a job is
seen only by who may see its subject; the list shows the user's own recent jobs."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cradle.audit.models import AuditEntry
from cradle.directory.models import Service
from cradle.jobs import actions
from cradle.jobs.models import Job, JobState
from cradle.jobs.running import FAULT, JobFailed
from tests import jobs_helpers
from tests.accounts_helpers import make_user, sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def progress_files(settings, tmp_path):
    settings.VAR_DIR = tmp_path


@pytest.fixture
def script():
    jobs_helpers.WORK.clear()
    yield jobs_helpers.WORK
    jobs_helpers.WORK.clear()


def start(user, **params):
    return actions.start_job(kind=jobs_helpers.KIND, by=user, subject_type="test",
                             subject_id="1", subject_label="Test subject", params=params)


def test_progress_is_seen_on_the_job_page_while_the_job_runs(client, script):
    user = make_user("runner@example.org")
    sign_in(client, user)
    seen = []

    def work(job, progress):
        progress(0, 10, "Counting the rows")
        progress(4, 10, "Counting the rows", force=True)
        seen.append(client.get(reverse("jobs:status", args=[job.pk])).json())
        seen.append(client.get(reverse("jobs:detail", args=[job.pk])).content.decode())
        return "Counted 10 rows.", {"rows": 10}

    script.append(work)
    job = start(user)
    status, page = seen
    assert status["state"] == "running" and status["done"] == 4 and status["total"] == 10
    assert status["percent"] == 40 and status["progress_text"] == (
        "Counting the rows: 4 of 10 (40%)")
    # The bar, its words as a live region, the script, and a refresh for no script.
    assert '<progress id="job-progress-bar" class="cradle-progress" max="100" value="40">' in page
    assert 'role="status" aria-live="polite">Counting the rows: 4 of 10 (40%)' in page
    assert "js/job-progress.js" in page and '<meta http-equiv="refresh"' in page
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.summary == "Counted 10 rows."
    assert job.result == {"rows": 10} and job.finished_at is not None
    done = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Counted 10 rows." in done and "job-progress.js" not in done
    assert 'http-equiv="refresh"' not in done
    assert "no-store" in client.get(reverse("jobs:status", args=[job.pk]))["Cache-Control"]


def test_a_failure_says_why_writes_nothing_and_can_be_retried(client, script):
    user = make_user("runner@example.org")
    sign_in(client, user)
    attempts = []

    def work(job, progress):
        attempts.append(job.attempts)
        if len(attempts) == 1:
            Service.objects.create(name="Half-written", kind="team", nation="england")
            raise JobFailed("The file has 3 problems: nothing has been imported.")
        return "Done at last.", {}

    def in_one_transaction(job, progress):
        from django.db import transaction

        with transaction.atomic():
            return work(job, progress)

    script.append(in_one_transaction)
    job = start(user)
    job.refresh_from_db()
    assert job.state == JobState.FAILED
    assert job.error == "The file has 3 problems: nothing has been imported."
    assert not Service.objects.filter(name="Half-written").exists()
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "The job did not finish" in page and "nothing has been imported" in page
    assert "Try again" in page
    response = client.post(reverse("jobs:retry", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED and job.attempts == 2 and job.error == ""
    assert attempts == [1, 2]
    notes = list(AuditEntry.objects.filter(model_label="jobs.job", object_id=str(job.pk))
                 .order_by("sequence").values_list("note", flat=True))
    assert notes == ["Started a background job: tests.scripted", "Background job failed",
                     "Background job tried again", "Background job finished"]


def test_an_unexpected_error_is_a_plain_fault_without_its_message(client, script, caplog):
    user = make_user("runner@example.org")
    sign_in(client, user)

    def work(job, progress):
        raise ValueError("row 7: NHS number 9434765919 is another case's")

    script.append(work)
    job = start(user)
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.error == FAULT.format(id=job.pk)
    page = client.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "9434765919" not in page and "9434765919" not in caplog.text
    assert "ValueError" in caplog.text


def test_only_who_started_a_failed_job_may_retry_it(client, script):
    owner, other = make_user("owner@example.org"), make_user("other@example.org")

    def work(job, progress):
        raise JobFailed("Not today.")

    script.append(work)
    job = start(owner)
    sign_in(client, other)
    # The scripted kind is seen by its starter only: to anyone else it does not exist.
    assert client.post(reverse("jobs:retry", args=[job.pk])).status_code == 404
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    job.refresh_from_db()
    assert job.state == JobState.FAILED and job.attempts == 1
    with pytest.raises(actions.JobError):
        actions.retry(job=job, by=other)


def test_the_list_shows_your_own_recent_jobs_only(client, script):
    me, someone = make_user("me@example.org"), make_user("someone@example.org")
    script.append(lambda job, progress: ("Fine.", {}))
    mine = start(me)
    theirs = start(someone)
    sign_in(client, me)
    page = client.get(reverse("jobs:list")).content.decode()
    assert f'data-job="{mine.pk}"' in page and f'data-job="{theirs.pk}"' not in page
    assert "A scripted test job" in page


def test_a_job_of_an_unknown_kind_is_seen_by_nobody(client):
    user = make_user("me@example.org")
    job = Job.objects.create(kind="removed.kind", started_by=user, subject_type="x",
                             subject_id="1", subject_label="Gone")
    sign_in(client, user)
    assert client.get(reverse("jobs:detail", args=[job.pk])).status_code == 404
    assert f'data-job="{job.pk}"' not in client.get(reverse("jobs:list")).content.decode()
