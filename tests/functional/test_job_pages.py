"""A background job's page (cradle.jobs) at 390 px, under the strict CSP: the progress bar
moves as the job runs (job-progress.js polls its status), the page shows the result when the
job ends, and it passes axe while running and when finished; so does the list of jobs."""

from __future__ import annotations

import pytest
from django.test import Client
from playwright.sync_api import expect

from cradle.jobs.models import Job, JobState
from tests import jobs_helpers
from tests.accounts_helpers import make_user, sign_in
from tests.functional.accessibility import assert_accessible
from tests.functional.test_phone_width import PHONE, width_problem


@pytest.mark.browser
def test_a_running_jobs_page_moves_its_bar_and_shows_the_result(
        browser_page, browser_errors, live_server, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    user = make_user("runner@example.org")
    client = sign_in(Client(), user)
    browser_page.context.add_cookies([{
        "name": "sessionid", "value": client.cookies["sessionid"].value,
        "url": live_server.url}])
    job = Job.objects.create(kind=jobs_helpers.KIND, started_by=user, subject_type="test",
                             subject_id="1", subject_label="A synthetic team",
                             state=JobState.RUNNING, done=3, total=10,
                             phase="Reading and checking the rows")
    page = browser_page
    page.set_viewport_size(PHONE)
    page.goto(f"/jobs/{job.pk}/", wait_until="networkidle")
    bar = page.locator("#job-progress-bar")
    assert bar.get_attribute("value") == "30"
    assert page.locator("#job-progress-text").inner_text() == (
        "Reading and checking the rows: 3 of 10 (30%)")
    assert_accessible(page)
    assert width_problem(page, "job page") is None

    Job.objects.filter(pk=job.pk).update(done=7)
    expect(bar).to_have_js_property("value", 70, timeout=10_000)  # polled every 2 s
    assert "7 of 10 (70%)" in page.locator("#job-progress-text").inner_text()

    Job.objects.filter(pk=job.pk).update(state=JobState.SUCCEEDED, done=10,
                                         summary="Every one of the 10 rows passed.")
    page.locator("#job-result").wait_for(timeout=10_000)
    assert "Every one of the 10 rows passed." in page.locator("#job-result").inner_text()
    assert page.locator("#job-refresh").count() == 0
    assert_accessible(page)

    page.goto("/jobs/", wait_until="networkidle")
    assert page.locator(f"[data-job='{job.pk}']").count() == 1
    assert_accessible(page)
    assert width_problem(page, "jobs list") is None
    assert browser_errors == []
