"""After the response: internal reviews with their own clock, and complaints to the regulator
(ADR 0032). The rules (dates, clock, regulator) are in lifecycle.py, which has no Django.

Imported by models.py, so Django finds these models in the foi app.
"""

import datetime

from django.db import models
from django.db.models import F, Q

from .lifecycle import REGULATOR_NAMES, Regulator, review_is_overdue


class ReviewOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld: the original decision stands"
    OVERTURNED = "overturned", "Overturned in full"
    OVERTURNED_IN_PART = "overturned_in_part", "Overturned in part"
    NO_RESPONSE = "no_response", "No response from the body"


class InternalReviewQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(outcome="")

    def overdue(self, today: datetime.date):
        return self.pending().filter(due_on__lt=today)


class InternalReview(models.Model):
    """Cradle asked a body to review its handling of a request. Pending until its outcome is
    recorded; the request is in internal review meanwhile."""

    request = models.ForeignKey("foi.FoiRequest", on_delete=models.CASCADE,
                                related_name="internal_reviews")
    asked_on = models.DateField(help_text="When Cradle asked for the review.")
    received_on = models.DateField(help_text="When the body received the request for review: "
                                             "its clock starts then.")
    grounds = models.TextField(help_text="Why the review was asked for, as sent.")
    asked_by = models.CharField(max_length=200, help_text="Who recorded asking for it.")
    due_on = models.DateField()
    # FOIA's code of practice allows up to 40 working days in complex cases; none under FOISA.
    complex_due_on = models.DateField(null=True, blank=True)
    # The request's state when the review was asked for, restored once it is decided.
    state_before = models.CharField(max_length=30)
    outcome = models.CharField(max_length=20, choices=ReviewOutcome.choices, blank=True,
                               default="")
    outcome_on = models.DateField(null=True, blank=True)
    reply_text = models.TextField(blank=True, default="", help_text="The body's reply.")
    outcome_recorded_by = models.CharField(max_length=200, blank=True, default="")
    recorded_at = models.DateTimeField(auto_now_add=True)

    objects = InternalReviewQuerySet.as_manager()

    class Meta:
        ordering = ["asked_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(received_on__gte=F("asked_on")),
                                   name="review_received_after_asked"),
            models.CheckConstraint(condition=Q(due_on__gt=F("received_on")),
                                   name="review_due_after_received"),
            models.CheckConstraint(
                condition=Q(outcome="", outcome_on__isnull=True)
                | Q(outcome__in=ReviewOutcome.values, outcome_on__gte=F("asked_on")),
                name="review_outcome_has_date_in_order"),
        ]

    def __str__(self) -> str:
        return f"Internal review {self.pk} of request {self.request_id}"

    @property
    def decided(self) -> bool:
        return bool(self.outcome)

    def is_overdue(self, today: datetime.date) -> bool:
        return review_is_overdue(self.due_on, self.decided, today)

    def status(self, today: datetime.date) -> str:
        if self.decided:
            return self.get_outcome_display()
        return "Overdue" if self.is_overdue(today) else "Pending"


RegulatorChoice = models.TextChoices("RegulatorChoice", [
    (regulator.name, (regulator.value, REGULATOR_NAMES[regulator])) for regulator in Regulator])


class ComplaintOutcome(models.TextChoices):
    UPHELD = "upheld", "Upheld"
    PARTLY_UPHELD = "partly_upheld", "Partly upheld"
    NOT_UPHELD = "not_upheld", "Not upheld"
    WITHDRAWN = "withdrawn", "Withdrawn"
    INFORMALLY_RESOLVED = "informally_resolved", "Informally resolved"


class Complaint(models.Model):
    """A complaint to the regulator about a request: the ICO for FOIA, the Scottish
    Information Commissioner for FOISA (set from the request's regime, never by hand)."""

    request = models.ForeignKey("foi.FoiRequest", on_delete=models.CASCADE,
                                related_name="complaints")
    regulator = models.CharField(max_length=10, choices=RegulatorChoice.choices)
    # The internal review it follows (the request's latest when it was made); none is allowed,
    # with a warning: regulators usually expect a review first.
    internal_review = models.ForeignKey(InternalReview, null=True, blank=True,
                                        on_delete=models.SET_NULL, related_name="complaints")
    made_on = models.DateField()
    acknowledged_on = models.DateField(null=True, blank=True)
    regulator_reference = models.CharField(max_length=100, blank=True, default="")
    decision_notice_on = models.DateField(null=True, blank=True)
    outcome = models.CharField(max_length=20, choices=ComplaintOutcome.choices, blank=True,
                               default="")
    notes = models.TextField(blank=True, default="")
    recorded_by = models.CharField(max_length=200)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["made_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(regulator__in=RegulatorChoice.values),
                                   name="complaint_regulator_known"),
            models.CheckConstraint(condition=Q(outcome="")
                                   | Q(outcome__in=ComplaintOutcome.values),
                                   name="complaint_outcome_known"),
            models.CheckConstraint(condition=Q(acknowledged_on__isnull=True)
                                   | Q(acknowledged_on__gte=F("made_on")),
                                   name="complaint_acknowledged_after_made"),
            models.CheckConstraint(condition=Q(decision_notice_on__isnull=True)
                                   | Q(decision_notice_on__gte=F("made_on")),
                                   name="complaint_decision_after_made"),
        ]

    def __str__(self) -> str:
        return f"Complaint {self.pk} about request {self.request_id}"

    @property
    def closed(self) -> bool:
        return bool(self.outcome)
