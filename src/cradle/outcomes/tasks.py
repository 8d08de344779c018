"""Background work of the outcomes portal: checking and importing a spreadsheet too large for a
web request (ADR 0020; the in-request import is import_views.py, ADR 0010).

- Check (`outcomes.import_check`): reads the uploaded file (kept encrypted, bulk/uploads.py),
  checks every row and plans it against the database, then stages the checked records as the
  in-request dry run does. It writes nothing but the staged import, so it is safe to retry.
- Import (`outcomes.import_confirm`): `writing.import_staged`, unchanged: one transaction, the
  staged import claimed first, so it is written once however often it is confirmed or
  retried, and a failure leaves nothing written (the import stays staged to try again).

Both are seen by whoever may edit the team's cases (the team pages' own check); only the person
who uploaded the file can confirm it, as in the request (the staged import is bound to them).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cradle.accounts.permissions import Permission
from cradle.directory.models import Service
from cradle.jobs import kinds
from cradle.jobs.compat import task
from cradle.jobs.running import JobFailed, run_job

from .bulk import staging, uploads
from .bulk.checks import check_sheets
from .bulk.limits import BACKGROUND_SECONDS, Budget, estimated_rows
from .bulk.parsing import read_upload
from .bulk.plan import plan_import
from .bulk.problems import FileProblems
from .bulk.words import imported_message, problems_message
from .bulk.writing import AlreadyImported, import_staged

CHECK = "outcomes.import_check"
CONFIRM = "outcomes.import_confirm"
#: Problems and warnings kept on a job's result for its page (the count says how many more).
SHOWN = 500


def _may_see(user, job) -> bool:
    return user.is_authenticated and job.subject_id.isdigit() and (
        int(job.subject_id) in user.team_ids(Permission.CASE_EDIT))


def _team_url(job) -> str:
    return reverse("outcomes:team", args=[int(job.subject_id)])


def _listed(problems) -> list[dict]:
    return [{"where": p.where(), "message": p.message, "row": p.row, "column": p.column}
            for p in problems[:SHOWN]]


def _refused(problems) -> JobFailed:
    if len(problems) == 1 and not problems[0].row:  # the whole file: say what is wrong
        message = f"{problems[0]}: nothing has been imported"
    else:
        message = problems_message(problems)
    return JobFailed(message[:1].upper() + message[1:] + ". Correct the file and upload it "
                     "again.", result={"problems": _listed(problems),
                                       "problem_count": len(problems)})


def _team_and_user(job):
    team = Service.objects.filter(pk=int(job.subject_id)).first()
    user = job.started_by
    if team is None or user is None or not _may_see(user, job):
        raise JobFailed("The person who started this job can no longer edit this team's "
                        "cases: nothing was done.")
    return team, user


def check_upload(job, progress):
    team, user = _team_and_user(job)
    params = job.params
    try:
        data = uploads.read(params["upload"])
    except staging.StagingError as error:
        raise JobFailed(f"The file could not be checked: {error}.") from None
    # Every row is seen twice, by the reader and by the checks; the bar counts both.
    work = max(2 * estimated_rows(params["name"], data), 1)
    progress(0, work, "Reading and checking the rows")
    budget = Budget(seconds=BACKGROUND_SECONDS, on_rows=lambda seen: progress(
        min(seen, work), work, "Reading and checking the rows"))
    try:
        sheets = read_upload(params["name"], data, params.get("holds") or None, budget)
        checked = check_sheets(sheets, budget)
        progress(work, work, "Matching the rows with the team's records", force=True)
        plan = plan_import(team, checked)
        if plan.problems:
            raise FileProblems(plan.problems)
    except FileProblems as error:
        uploads.discard(params["upload"])
        raise _refused(error.problems) from None
    token = staging.stage(plan.checked, user=user, team=team,
                          file_sha256=params["file_sha256"])
    uploads.discard(params["upload"])
    held = len(plan.held_rows())
    summary = (f"Every one of the {plan.checked.rows_read:,} rows passed the checks. Nothing "
               "has been imported yet: check what will be created, then confirm.")
    return summary, {"token": token, "counts": plan.counts, "rows_read": plan.checked.rows_read,
                     "held_count": held, "warnings": [str(w) for w in plan.warnings[:SHOWN]],
                     "warning_count": len(plan.warnings)}


def import_checked(job, progress):
    team, user = _team_and_user(job)
    try:
        counts = import_staged(user=user, team=team, token=job.params["token"],
                               progress=progress)
    except AlreadyImported as done:
        return ("This file had already been imported: it was not imported again. "
                + (imported_message(done.counts) if done.counts else "")), {}
    except staging.StagingError:
        raise JobFailed("There is no checked file waiting to be imported, or it has expired "
                        "or changed: upload the file again.") from None
    except FileProblems as error:
        raise _refused(error.problems) from None
    except PermissionDenied:
        raise JobFailed("Nothing was imported: the person who started this job can no longer "
                        "edit this team's cases.") from None
    return imported_message(counts), {"counts": counts}


@task()
def check_upload_task(job_id: str) -> None:
    run_job(job_id, check_upload)


@task()
def import_checked_task(job_id: str) -> None:
    run_job(job_id, import_checked)


kinds.register(kinds.JobKind(
    key=CHECK, label="Check a spreadsheet for import", task=check_upload_task,
    can_see=_may_see, result_template="outcomes/jobs/import_check_result.html",
    subject_url=_team_url))
kinds.register(kinds.JobKind(
    key=CONFIRM, label="Import a checked spreadsheet", task=import_checked_task,
    can_see=_may_see, result_template="outcomes/jobs/import_confirm_result.html",
    subject_url=_team_url))
