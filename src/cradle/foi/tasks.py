"""Background work of FOI campaigns: emailing a batch of letters, and reminders (ADR 0020).

Idempotent by design rather than one transaction (an email cannot be taken back): each
request is sent, and recorded, in a transaction of its own, the email going before the commit
(actions.send_requests with `email_in_transaction`, actions.send_reminder). A letter the mail
server refuses stops the batch with nothing recorded for it; trying the job again sends only
what is still unsent (or not yet reminded today), so nobody gets a letter twice.

Jobs are seen by those who may manage FOI campaigns (the campaign pages' own check).
"""

from __future__ import annotations

import datetime
import logging

from django.urls import reverse

from cradle.jobs import kinds
from cradle.jobs.compat import task
from cradle.jobs.running import JobFailed, run_job

from . import actions, actions_lifecycle
from .models import Campaign, FoiRequest, InternalReview, RequestState

logger = logging.getLogger(__name__)

SEND = "foi.send_letters"
REMIND = "foi.send_reminders"


def _may_see(user, job) -> bool:
    return user.is_authenticated and job.subject_id.isdigit() and (
        Campaign.objects.visible_to(user).filter(pk=int(job.subject_id)).exists())


def _campaign_url(job) -> str:
    return reverse("foi:campaign-detail", args=[int(job.subject_id)])


def _plural(count: int, word: str, many: str = "") -> str:
    return f"{count} {word if count == 1 else many or word + 's'}"


def _stopped(done: int, total: int, noun: str, request: FoiRequest) -> JobFailed:
    return JobFailed(
        f"{_plural(done, noun)} of {total} sent; the email to {request.body.name} could not "
        "be sent (the mail server refused it or could not be reached), so it and the rest "
        "were not sent and nothing was recorded for them. Try again to send the rest: those "
        "already sent are not sent twice.", result={"sent": done, "total": total})


def send_letters(job, progress):
    ids, on, by = job.params["requests"], datetime.date.fromisoformat(job.params["on"]), \
        job.params["by"]
    sent = skipped = 0
    for index, pk in enumerate(ids):
        progress(index, len(ids), "Sending the letters")
        request = FoiRequest.objects.select_related("body", "campaign").filter(pk=pk).first()
        if request is None or request.state != RequestState.NOT_SENT:
            skipped += 1  # sent by an earlier try of this job, or by someone else since
            continue
        try:
            actions.send_requests(requests=[request], on=on, by=by, email=True,
                                  email_in_transaction=True)
        except actions.FoiActionError as error:
            raise JobFailed(f"{_plural(sent, 'letter')} sent, then: {error}. Nothing was "
                            "recorded for it or the rest.") from None
        except OSError:
            logger.warning("FOI letter email failed (job %s)", job.pk)
            raise _stopped(sent + skipped, len(ids), "letter", request) from None
        sent += 1
    earlier = f" {_plural(skipped, 'letter')} had been sent already." if skipped else ""
    return f"{_plural(sent, 'letter')} sent by email.{earlier}", {"sent": sent,
                                                                  "skipped": skipped}


def send_reminders(job, progress):
    """Chase overdue requests (`requests`) and overdue internal reviews (`reviews`, ADR 0032);
    one chased within the last 5 working days is skipped, so trying again chases nobody
    twice."""
    ids, on, by = job.params["requests"], datetime.date.fromisoformat(job.params["on"]), \
        job.params["by"]
    review_ids = job.params.get("reviews", [])
    total = len(ids) + len(review_ids)
    sent = 0
    chasers = [(pk, False) for pk in ids] + [(pk, True) for pk in review_ids]
    for index, (pk, is_review) in enumerate(chasers):
        progress(index, total, "Sending the reminders")
        if is_review:
            review = InternalReview.objects.select_related("request__body").filter(pk=pk).first()
            request = review.request if review else None
        else:
            request = FoiRequest.objects.select_related("body").filter(pk=pk).first()
        if request is None:
            continue
        try:
            if is_review:
                sent += actions_lifecycle.send_review_reminder(review=review, on=on, by=by)
            else:
                sent += actions.send_reminder(request=request, on=on, by=by)
        except OSError:
            logger.warning("FOI reminder email failed (job %s)", job.pk)
            raise _stopped(sent, total, "reminder", request) from None
    skipped = total - sent
    note = (f" {_plural(skipped, 'was', 'were')} not sent: chased within the last 5 working "
            "days, or no longer overdue." if skipped else "")
    return (f"{_plural(sent, 'reminder')} sent by email to bodies whose response or internal "
            f"review is overdue.{note}", {"sent": sent, "skipped": skipped})


@task()
def send_letters_task(job_id: str) -> None:
    run_job(job_id, send_letters)


@task()
def send_reminders_task(job_id: str) -> None:
    run_job(job_id, send_reminders)


kinds.register(kinds.JobKind(key=SEND, label="Send FOI letters by email", task=send_letters_task,
                             can_see=_may_see, subject_url=_campaign_url))
kinds.register(kinds.JobKind(key=REMIND, label="Send FOI reminders by email",
                             task=send_reminders_task, can_see=_may_see,
                             subject_url=_campaign_url))
