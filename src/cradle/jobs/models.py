"""A job: one piece of background work a person (or, for a public PDF, anyone) started."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class JobState(models.TextChoices):
    QUEUED = "queued", "Waiting to start"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Finished"
    FAILED = "failed", "Failed"


FINISHED = (JobState.SUCCEEDED, JobState.FAILED)


class JobQuerySet(models.QuerySet):
    def started_by(self, user):
        if not user.is_authenticated:
            return self.none()
        return self.filter(started_by=user)

    def newest_first(self):
        return self.order_by("-created_at")

    def unfinished(self):
        return self.exclude(state__in=FINISHED)

    def of_kind(self, kind: str):
        return self.filter(kind=kind)

    def about(self, subject_type: str, subject_id):
        return self.filter(subject_type=subject_type, subject_id=str(subject_id))


class Job(models.Model):
    # A random id: a job's URL cannot be guessed from another's (public PDF jobs have no owner).
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    # What the job is about, as the subject's own permission check needs it: e.g. a team
    # ("team", service pk), an FOI campaign, an area ("area", "scheme:code").
    subject_type = models.CharField(max_length=30)
    subject_id = models.CharField(max_length=100)
    subject_label = models.CharField(max_length=200)
    # The task's arguments beyond the job's id (JSON; never personal data: tokens, ids, dates).
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=20, choices=JobState, default=JobState.QUEUED)
    phase = models.CharField(max_length=200, blank=True)
    done = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(null=True, blank=True)
    summary = models.TextField(blank=True)
    error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    task_result_id = models.CharField(max_length=64, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = JobQuerySet.as_manager()

    class Meta:
        indexes = [models.Index(fields=["started_by", "-created_at"]),
                   models.Index(fields=["kind", "subject_type", "subject_id"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(total__isnull=True) | models.Q(done__lte=models.F("total")),
                name="job_done_within_total"),
            models.CheckConstraint(
                condition=~models.Q(state="failed") | ~models.Q(error=""),
                name="job_failure_says_why"),
        ]

    def __str__(self):
        return f"{self.kind} {self.id}"

    @property
    def finished(self) -> bool:
        return self.state in FINISHED

    @property
    def percent(self) -> int | None:
        if not self.total:
            return None
        return min(100, self.done * 100 // self.total)


class JobOutput(models.Model):
    """A file a job made (a PDF), kept in the database so any web process can serve it."""

    job = models.OneToOneField(Job, on_delete=models.CASCADE, related_name="output")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    created_at = models.DateTimeField(auto_now_add=True)
