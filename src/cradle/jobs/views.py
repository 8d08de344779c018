"""A job's page, its status for the page's script, its file, retrying it, and your recent jobs.

Access: a job is shown only to who may see its subject (kinds.visible: the subject's own
permission check); anyone else gets a 404, as for another team's records. The pages are
declared `public` because a public PDF's job has no owner, and the check is the kind's; a
signed-in user whose role needs a second factor must have used it first. Nothing here may be
cached: the state changes while the job runs (`never_cache`).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from cradle.accounts.access import is_verified, public, signed_in, two_factor_url
from cradle.accounts.views import breadcrumbs

from . import actions, kinds
from .models import Job
from .running import read_progress_file

RECENT = 20
#: Seconds between refreshes of a running job's page without script (the script polls).
REFRESH_SECONDS = 5


def _job_or_404(request, job_id) -> Job:
    job = Job.objects.select_related("started_by").filter(pk=job_id).first()
    if job is None or not kinds.visible(request.user, job):
        raise Http404("No such job")
    return job


def _needs_second_factor(request) -> bool:
    user = request.user
    return user.is_authenticated and user.needs_two_factor() and not is_verified(user)


def status(job: Job) -> dict:
    """What the page shows of a job, for the template and for the script alike."""
    live = read_progress_file(job) if not job.finished else None
    done = live["done"] if live else job.done
    total = live["total"] if live and live.get("total") is not None else job.total
    phase = (live or {}).get("phase") or job.phase
    percent = None if not total else min(100, done * 100 // total)
    return {
        "state": job.state, "state_label": job.get_state_display(), "finished": job.finished,
        "done": done, "total": total, "percent": percent, "phase": phase,
        "summary": job.summary, "error": job.error,
        "progress_text": _progress_text(done, total, phase, job),
    }


def _progress_text(done: int, total: int | None, phase: str, job: Job) -> str:
    if job.finished:
        return job.get_state_display()
    if total:
        return f"{phase}: {done:,} of {total:,} ({min(100, done * 100 // total)}%)"
    return f"{phase}" if phase else job.get_state_display()


def _kind_label(job: Job) -> str:
    kind = kinds.get(job.kind)
    return kind.label if kind else job.kind


@public
@never_cache
@require_GET
def job_detail(request, job_id):
    if _needs_second_factor(request):
        return redirect(two_factor_url(request.get_full_path()))
    job = _job_or_404(request, job_id)
    kind = kinds.get(job.kind)
    extra = ([("Your jobs", reverse("jobs:list"))] if request.user.is_authenticated else [])
    return render(request, "jobs/job_detail.html", {
        "breadcrumbs": breadcrumbs(*extra),
        "job": job, "status": status(job), "label": kind.label,
        "result_template": kind.result_template,
        "subject_url": kind.subject_url(job) if kind.subject_url else "",
        "may_retry": actions.may_retry(request.user, job),
        "has_output": hasattr(job, "output") if job.finished else False,
        "refresh_seconds": REFRESH_SECONDS,
    })


@public
@never_cache
@require_GET
def job_status(request, job_id):
    if _needs_second_factor(request):
        raise Http404("No such job")
    return JsonResponse(status(_job_or_404(request, job_id)))


@public
@never_cache
@require_GET
def job_output(request, job_id):
    if _needs_second_factor(request):
        return redirect(two_factor_url(request.get_full_path()))
    job = _job_or_404(request, job_id)
    output = getattr(job, "output", None) if job.finished else None
    if output is None:
        raise Http404("This job has made no file")
    response = HttpResponse(bytes(output.content), content_type=output.content_type)
    response["Content-Disposition"] = f'attachment; filename="{output.filename}"'
    return response


@public
@require_POST
def job_retry(request, job_id):
    if _needs_second_factor(request):
        return redirect(two_factor_url(reverse("jobs:detail", args=[job_id])))
    job = _job_or_404(request, job_id)
    try:
        actions.retry(job=job, by=request.user)
    except actions.JobError as error:
        messages.error(request, f"The job was not started again: {error}.")
    return redirect("jobs:detail", job.pk)


@signed_in
@never_cache
@require_GET
def job_list(request):
    jobs = [job for job in Job.objects.started_by(request.user).newest_first()[:RECENT]
            if kinds.visible(request.user, job)]
    return render(request, "jobs/job_list.html", {
        "breadcrumbs": breadcrumbs(),
        "rows": [{"job": job, "label": _kind_label(job), "status": status(job)}
                 for job in jobs],
        "recent": RECENT,
    })
