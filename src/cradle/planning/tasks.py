"""Background work of planning: an area's service specification pack as PDF (ADR 0020).

WeasyPrint takes seconds per pack, so the PDF is built by a worker and kept (`JobOutput`) for
the data it was built from: one job per area and `pack_version()`, reused by every later
request for it until the register, its staffing, the reference data, the FOI answers or the
date change. The pack is public, so its job is seen by anyone with its address (a random id)
and may have no owner. A failed build wrote nothing (the file is saved with the job's success);
asking for the PDF again starts a new one.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from cradle.foi.models import ResponseRecord, StructuredAnswer
from cradle.geography.models import Area
from cradle.jobs import actions as jobs
from cradle.jobs import kinds
from cradle.jobs.compat import task
from cradle.jobs.models import Job, JobOutput, JobState
from cradle.jobs.running import JobFailed, run_job

from . import plans
from .queries import planning_version
from .spec_pack import spec_pack_pdf

PDF = "planning.spec_pack_pdf"


def pack_version() -> str:
    """Changes with anything the pack shows: the register and reference data, staffing, FOI
    answers, and the day (figures are as on today's date)."""
    answers = (f"{ResponseRecord.objects.review_version()}-"
               f"{StructuredAnswer.objects.review_version()}")
    return f"{planning_version()}-{answers}-{timezone.localdate().isoformat()}"


def spec_pack_job(area: Area, *, base_url: str, by) -> Job:
    """The job that built, or is building, this area's pack for today's data; a new one if
    there is none (or the last one failed)."""
    version = pack_version()
    subject = f"{area.scheme}:{area.code}"
    existing = (Job.objects.of_kind(PDF).about("area", subject)
                .filter(params__version=version).exclude(state=JobState.FAILED)
                .newest_first().first())
    if existing is not None:
        return existing
    return jobs.start_job(
        kind=PDF, by=by, subject_type="area", subject_id=subject,
        subject_label=f"{area.name}: service specification pack", total=2,
        phase="Waiting for a worker to build the PDF",
        params={"scheme": area.scheme, "code": area.code, "version": version,
                "base_url": base_url})


def build_pdf(job, progress):
    params = job.params
    area = Area.objects.filter(scheme=params["scheme"], code=params["code"]).first()
    if area is None:
        raise JobFailed("This area is no longer in Cradle's reference data: no PDF was made.")
    progress(0, 2, "Gathering the area's figures", force=True)
    profile = plans.area_profile(area, timezone.localdate())
    progress(1, 2, "Laying out the PDF", force=True)
    pdf = spec_pack_pdf(profile, params["base_url"])
    filename = f"cradle-specification-{area.scheme}-{area.code}.pdf"
    JobOutput.objects.update_or_create(job=job, defaults={
        "filename": filename, "content_type": "application/pdf", "content": pdf})
    return (f"The service specification pack for {area.name} is ready ({len(pdf) // 1024:,} "
            "KB PDF)."), {"bytes": len(pdf)}


def _area_url(job) -> str:
    scheme, _, code = job.subject_id.partition(":")
    return reverse("planning:spec-pack", args=[scheme, code])


@task()
def build_pdf_task(job_id: str) -> None:
    run_job(job_id, build_pdf)


kinds.register(kinds.JobKind(key=PDF, label="Build a service specification pack (PDF)",
                             task=build_pdf_task, can_see=lambda user, job: True,
                             subject_url=_area_url))
