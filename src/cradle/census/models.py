"""Census rounds, the links sent for them, answers, review decisions and suggested services.

Nothing here is the register: an answer changes a register field only when a coordinator
accepts it (actions.accept_answer), and each accepted value is kept as a CensusFact saying
which round, who answered (by role), who accepted it and when.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from cradle.directory.models import Service
from cradle.geography.models import Nation

from .fields import RESPONDENT_ROLES


class CensusRoundQuerySet(models.QuerySet):
    def open_on(self, on):
        return self.filter(closed_at__isnull=True, opened_on__lte=on)


class CensusRound(models.Model):
    name = models.CharField(max_length=200)
    reference_date = models.DateField(help_text="The date the answers describe.")
    opened_on = models.DateField()
    closes_on = models.DateField()
    nation = models.CharField(max_length=20, choices=Nation.choices, blank=True, default="",
                              help_text="Blank: every nation.")
    teams_only = models.BooleanField(default=False)
    reply_to = models.EmailField()
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                   on_delete=models.SET_NULL, related_name="+")
    closed_at = models.DateTimeField(null=True, blank=True)

    objects = CensusRoundQuerySet.as_manager()

    class Meta:
        ordering = ["-opened_on", "-id"]
        constraints = [models.CheckConstraint(condition=Q(closes_on__gte=models.F("opened_on")),
                                              name="census_round_closes_after_opening")]

    def __str__(self) -> str:
        return self.name


class InvitationQuerySet(models.QuerySet):
    def unanswered(self):
        return self.filter(submitted_at__isnull=True, revoked_at__isnull=True)


class Invitation(models.Model):
    """One service's personal link in a round. The link is `links.token_for(invitation)`: a
    signature over the id and `version`, so nothing secret is stored; sending it again keeps
    it, revoking bumps `version` and sets `revoked_at`."""

    round = models.ForeignKey(CensusRound, on_delete=models.CASCADE, related_name="invitations")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    email = models.EmailField(blank=True, default="",
                              help_text="The service contact the link is sent to.")
    version = models.PositiveIntegerField(default=1)
    expires_on = models.DateField()
    sent_on = models.DateField(null=True, blank=True)
    sent_by_mail_merge = models.BooleanField(default=False)
    reminded_on = models.DateField(null=True, blank=True)
    reminders = models.PositiveSmallIntegerField(default=0)
    opened_at = models.DateTimeField(null=True, blank=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["round", "service__name"]
        constraints = [models.UniqueConstraint(fields=["round", "service"],
                                               name="census_invitation_one_per_service")]


class AnswerState(models.TextChoices):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Waiting for review"
    REVIEWED = "reviewed", "Reviewed"


class Answer(models.Model):
    """A service's answer: its values (fields.FIELDS keys) and which sections it confirmed.
    `register_before` is the register as the form was pre-filled, kept for the review."""

    invitation = models.OneToOneField(Invitation, on_delete=models.CASCADE,
                                      related_name="answer", null=True, blank=True)
    round = models.ForeignKey(CensusRound, on_delete=models.CASCADE, related_name="answers")
    service = models.ForeignKey(Service, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=AnswerState.choices,
                             default=AnswerState.DRAFT)
    respondent_role = models.CharField(max_length=20, choices=RESPONDENT_ROLES, blank=True,
                                       default="")
    values = models.JSONField(default=dict)
    confirmed_sections = models.JSONField(default=list)
    register_before = models.JSONField(default=dict)
    saved_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    imported_from = models.CharField(max_length=200, blank=True, default="",
                                     help_text="The file it came from, when imported.")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                    on_delete=models.SET_NULL, related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "service__name"]
        constraints = [models.UniqueConstraint(fields=["round", "service"],
                                               name="census_answer_one_per_service")]


class ImportState(models.TextChoices):
    STAGED = "staged", "Checked, waiting for confirmation"
    IMPORTED = "imported", "Imported"


class AnswerImport(models.Model):
    """A file of answers collected elsewhere (import_actions): kept, once checked, until the
    coordinator who uploaded it confirms it; then its answers are written and it is the record
    that this file (by SHA-256) was imported into the round, which happens at most once."""

    round = models.ForeignKey(CensusRound, on_delete=models.CASCADE, related_name="imports")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                    related_name="+")
    filename = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    data = models.BinaryField(default=b"", help_text="The checked file; emptied once imported.")
    state = models.CharField(max_length=10, choices=ImportState.choices,
                             default=ImportState.STAGED)
    answer_count = models.PositiveIntegerField(default=0)
    staged_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["round", "-staged_at"]
        constraints = [models.UniqueConstraint(
            fields=["round", "file_sha256"], condition=Q(state="imported"),
            name="census_file_imported_once")]


class Decision(models.Model):
    """What the review decided about one changed field of an answer."""

    answer = models.ForeignKey(Answer, on_delete=models.CASCADE, related_name="decisions")
    field = models.CharField(max_length=80)
    decision = models.CharField(max_length=6, choices=[("accept", "Accepted"),
                                                       ("edit", "Edited"),
                                                       ("reject", "Rejected")])
    before = models.JSONField(null=True)
    answered = models.JSONField(null=True)
    value = models.JSONField(null=True, help_text="What was written (accepted or edited).")

    class Meta:
        ordering = ["answer", "id"]
        constraints = [models.UniqueConstraint(fields=["answer", "field"],
                                               name="census_decision_one_per_field")]


class CensusFact(models.Model):
    """A register value accepted from a census: dated (the round's reference date) and with
    its provenance. The register field holds the value; this row says where it came from."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="census_facts")
    field = models.CharField(max_length=80)
    value = models.JSONField(null=True)
    effective_on = models.DateField()
    round = models.ForeignKey(CensusRound, on_delete=models.PROTECT, related_name="facts")
    answer = models.ForeignKey(Answer, on_delete=models.PROTECT, related_name="facts")
    respondent_role = models.CharField(max_length=20, choices=RESPONDENT_ROLES, blank=True,
                                       default="")
    edited = models.BooleanField(default=False, help_text="The coordinator changed the answer.")
    accepted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True,
                                    on_delete=models.SET_NULL, related_name="+")
    accepted_at = models.DateTimeField()

    class Meta:
        ordering = ["service", "field", "-effective_on"]


class SuggestionState(models.TextChoices):
    NEW = "new", "Waiting for a coordinator"
    ACCEPTED = "accepted", "Added to the register"
    DUPLICATE = "duplicate", "Already in the register"
    REJECTED = "rejected", "Not added"


class Suggestion(models.Model):
    """A service someone told us about on the public form; no register record until accepted."""

    name = models.CharField(max_length=300)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    place = models.CharField(max_length=200, help_text="Town, city or council it works in.")
    postcode = models.CharField(max_length=10, blank=True, default="")
    website = models.URLField(max_length=500, blank=True, default="")
    description = models.TextField(blank=True, default="")
    contact_email = models.EmailField(blank=True, default="",
                                      help_text="Who to ask about it (optional).")
    received_at = models.DateTimeField(auto_now_add=True)
    state = models.CharField(max_length=10, choices=SuggestionState.choices,
                             default=SuggestionState.NEW)
    duplicate_of = models.ForeignKey(Service, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    created_service = models.ForeignKey(Service, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="+")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-received_at"]
