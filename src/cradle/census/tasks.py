"""Background sending of census links and reminders (ADR 0020's jobs, as FOI letters are).

Each link is sent and recorded in a transaction of its own (actions.send_link): a refused email
stops the batch with nothing recorded for it, and trying again sends only what is unsent (or
not yet reminded), so nobody gets two.
"""

from __future__ import annotations

import datetime
import logging

from django.urls import reverse

from cradle.accounts.permissions import Permission
from cradle.jobs import kinds
from cradle.jobs.compat import task
from cradle.jobs.running import JobFailed, run_job

from . import actions
from .models import Invitation

logger = logging.getLogger(__name__)

SEND = "census.send_links"
REMIND = "census.send_reminders"


def _may_see(user, job) -> bool:
    return user.is_authenticated and user.has_cradle_permission(Permission.REGISTER_EDIT)


def _round_url(job) -> str:
    return reverse("census:round", args=[int(job.subject_id)])


def _run(job, progress, send, phase: str, noun: str):
    on = datetime.date.fromisoformat(job.params["on"])
    base = job.params["base"].rstrip("/")
    ids = job.params["invitations"]
    sent = 0
    for index, pk in enumerate(ids):
        progress(index, len(ids), phase)
        invitation = Invitation.objects.filter(pk=pk).first()
        if invitation is None:
            continue
        try:
            sent += send(invitation=invitation, on=on, by=job.started_by or "system",
                         absolute=lambda path: base + path)
        except OSError:
            logger.warning("Census email failed (job %s)", job.pk)
            raise JobFailed(f"{sent} {noun} sent; the next could not be sent (the mail server "
                            "refused it or could not be reached), so it and the rest were not "
                            "sent. Try again to send the rest: none is sent twice.",
                            result={"sent": sent}) from None
    return f"{sent} {noun} sent by email.", {"sent": sent}


def send_links(job, progress):
    return _run(job, progress, actions.send_link, "Sending the census links", "links")


def send_reminders(job, progress):
    return _run(job, progress, actions.send_reminder, "Sending reminders", "reminders")


@task()
def send_links_task(job_id: str) -> None:
    run_job(job_id, send_links)


@task()
def send_reminders_task(job_id: str) -> None:
    run_job(job_id, send_reminders)


kinds.register(kinds.JobKind(key=SEND, label="Send census links by email", task=send_links_task,
                             can_see=_may_see, subject_url=_round_url))
kinds.register(kinds.JobKind(key=REMIND, label="Send census reminders by email",
                             task=send_reminders_task, can_see=_may_see,
                             subject_url=_round_url))
