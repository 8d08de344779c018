"""A file too large for a web request is checked and imported by a background job (ADR 0020):
the upload becomes a job page with a progress bar, the result shows the counts and the confirm
button, the confirmation is a second job, all or nothing, written once; the job pages hide
another team's import (404); and through the real `db_worker`, the queue is the database."""

from __future__ import annotations

import datetime

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from cradle.directory.models import Service
from cradle.jobs.models import Job, JobState
from cradle.outcomes import tasks
from cradle.outcomes.bulk import limits, staging
from cradle.outcomes.models import Case, Referral, StagedImport
from tests.accounts_helpers import make_user, sign_in
from tests.outcomes_helpers import upload_import

pytestmark = pytest.mark.django_db

DAY = (datetime.date.today() - datetime.timedelta(days=30)).isoformat()
ROWS = limits.IN_REQUEST_ROWS + 500


@pytest.fixture(autouse=True)
def private_dirs(settings, tmp_path):
    settings.CRADLE_IMPORT_STAGING_DIR = tmp_path / "staging"
    settings.VAR_DIR = tmp_path


def referrals_csv(rows: int, prefix: str = "BIG", bad_at: int | None = None) -> bytes:
    lines = ["team_reference,referred_on,referrer_type"] + [
        f"{prefix}-{i},{'soon' if i == bad_at else DAY},gp" for i in range(rows)]
    return ("\n".join(lines) + "\n").encode()


def job_of(response) -> Job:
    assert response.status_code == 302, response.content.decode()[:500]
    assert response["Location"].startswith("/jobs/")
    return Job.objects.get(pk=response["Location"].split("/")[2])


def token_on(page: str) -> str:
    return page.split('name="token" value="')[1].split('"')[0]


def test_a_large_file_is_checked_then_imported_in_the_background(signed_in, team):
    job = job_of(upload_import(signed_in, team, "big.csv", referrals_csv(ROWS),
                               holds="referrals"))
    assert job.kind == tasks.CHECK and job.state == JobState.SUCCEEDED, job.error
    # The uploaded file (NHS numbers and all) waited encrypted, and is gone once checked.
    assert not list((staging.staging_dir()).glob("*.upload"))
    page = signed_in.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert f"Every one of the {ROWS:,} rows passed the checks" in page
    assert f'data-count="referrals">{ROWS},' in page and "Import these records" in page
    assert not Referral.objects.filter(case__team=team).exists()
    confirm = job_of(signed_in.post(reverse("outcomes:team-import-confirm", args=[team.pk]),
                                    {"token": token_on(page)}))
    assert confirm.kind == tasks.CONFIRM and confirm.state == JobState.SUCCEEDED, confirm.error
    assert confirm.summary == f"Imported {ROWS} referrals; {ROWS} new cases."
    assert Referral.objects.filter(case__team=team).count() == ROWS
    # Confirming again imports nothing twice (ADR 0010 holds for background imports).
    again = job_of(signed_in.post(reverse("outcomes:team-import-confirm", args=[team.pk]),
                                  {"token": token_on(page)}))
    assert again.state == JobState.SUCCEEDED and "already been imported" in again.summary
    assert Referral.objects.filter(case__team=team).count() == ROWS


def test_a_small_file_is_still_checked_in_the_request(signed_in, team):
    response = upload_import(signed_in, team, "small.csv", referrals_csv(20), holds="referrals")
    assert response.status_code == 200 and "Every one of the 20 rows passed" in (
        response.content.decode())
    assert not Job.objects.exists()


def test_a_large_file_with_problems_fails_its_check_and_names_them(signed_in, team):
    job = job_of(upload_import(signed_in, team, "big.csv", referrals_csv(ROWS, bad_at=77),
                               holds="referrals"))
    assert job.state == JobState.FAILED
    assert job.error.startswith("1 problem in 1 row: nothing has been imported")
    page = signed_in.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert 'data-problem-row="79"' in page  # row 79 of the sheet: the header is row 1
    assert not StagedImport.objects.exists() and not Case.objects.filter(
        team_reference__startswith="BIG-").exists()


def test_a_file_over_the_row_cap_is_refused_before_its_rows_are_checked(
        signed_in, team, monkeypatch):
    checked = []
    monkeypatch.setattr(tasks, "check_sheets", lambda *a, **k: checked.append(1))
    monkeypatch.setattr(limits, "MAX_ROWS", ROWS - 1)
    monkeypatch.setattr(tasks, "Budget", lambda **kw: limits.Budget(max_rows=ROWS - 1, **kw))
    job = job_of(upload_import(signed_in, team, "big.csv", referrals_csv(ROWS),
                               holds="referrals"))
    assert job.state == JobState.FAILED and checked == []
    assert f"more than {ROWS - 1:,} rows of records: split it" in job.error


def test_another_teams_import_job_is_not_found(signed_in, team):
    job = job_of(upload_import(signed_in, team, "big.csv", referrals_csv(ROWS),
                               holds="referrals"))
    other = Service.objects.get(register_ref="T16")
    client = sign_in(Client(), make_user("bradford@example.org", team=other))
    for name in ("jobs:detail", "jobs:status"):
        response = client.get(reverse(name, args=[job.pk]))
        assert response.status_code == 404
        assert "BIG-" not in response.content.decode()
    assert f'data-job="{job.pk}"' not in client.get(reverse("jobs:list")).content.decode()
    own = signed_in.get(reverse("jobs:detail", args=[job.pk]))
    assert own.status_code == 200 and "Check a spreadsheet for import" in own.content.decode()
    assert f'data-job="{job.pk}"' in signed_in.get(reverse("jobs:list")).content.decode()


@pytest.mark.django_db(transaction=True)
def test_a_large_import_completes_through_the_real_worker(settings, tmp_path):
    """The database backend and `cradle db_worker`: the upload only queues the check (the
    request returns at once), the worker runs it, then the import."""
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend",
                                  "QUEUES": ["default"]}}
    team = Service.objects.create(name="Worker test team", kind="team", nation="england")
    browser = sign_in(Client(), make_user("worker@example.org", team=team))
    job = job_of(upload_import(browser, team, "big.csv", referrals_csv(ROWS),
                               holds="referrals"))
    assert job.state == JobState.QUEUED and job.task_result_id
    queued = browser.get(reverse("jobs:detail", args=[job.pk])).content.decode()
    assert "Waiting to start" in queued and '<meta http-equiv="refresh"' in queued

    def work_the_queue():
        call_command("db_worker", batch=True, reload=False, startup_delay=False, verbosity=0)

    work_the_queue()
    job.refresh_from_db()
    assert job.state == JobState.SUCCEEDED, job.error
    confirm = job_of(browser.post(reverse("outcomes:team-import-confirm", args=[team.pk]),
                                  {"token": job.result["token"]}))
    assert confirm.state == JobState.QUEUED
    work_the_queue()
    confirm.refresh_from_db()
    assert confirm.state == JobState.SUCCEEDED, confirm.error
    assert Referral.objects.filter(case__team=team).count() == ROWS
    from django_tasks_db.models import DBTaskResult

    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
