"""Review of structured answers before they reach a public figure (ADR 0031).

An answer is *entered* by one coordinator and *checked* by another against the reply, or
*returned* with a reason (it is then in no figure, and a corrected answer is entered anew).
Only checked answers reach a figure: the campaign's report, its map and CSVs, the planning
pages and anything published. The database itself refuses a check by the person who entered
the answer, so no code path can publish an answer one person alone has seen.
"""

from django.db import models
from django.db.models import F, Q


class ReviewState(models.TextChoices):
    ENTERED = "entered", "Entered, not checked yet"
    CHECKED = "checked", "Checked"
    RETURNED = "returned", "Returned for correction"


class ReviewedQuerySet(models.QuerySet):
    def for_campaign(self, campaign):
        return self.filter(campaign=campaign)

    def checked(self):
        """The answers a figure may use."""
        return self.filter(review_state=ReviewState.CHECKED)

    def to_check(self):
        return self.filter(review_state=ReviewState.ENTERED)

    def review_version(self) -> str:
        """Changes whenever an answer is checked, so caches of public figures follow."""
        found = self.checked().aggregate(n=models.Count("id"), latest=models.Max("checked_at"))
        latest = found["latest"].isoformat() if found["latest"] else "none"
        return f"{found['n']}-{latest}"


class ReviewedAnswer(models.Model):
    review_state = models.CharField(max_length=10, choices=ReviewState.choices,
                                    default=ReviewState.ENTERED)
    entered_by = models.CharField(max_length=200, blank=True, default="",
                                  help_text="Who entered the answer (empty for answers entered "
                                            "before review was required).")
    checked_by = models.CharField(max_length=200, blank=True, default="")
    checked_at = models.DateTimeField(null=True, blank=True)
    review_note = models.TextField(blank=True, default="",
                                   help_text="Why the answer was returned for correction.")
    confirmation_note = models.TextField(
        blank=True, default="",
        help_text="Why figures that break a rule (bands above their total) stand as the body "
                  "gave them.")

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(condition=Q(review_state__in=ReviewState.values),
                                   name="%(class)s_review_state_known"),
            models.CheckConstraint(
                condition=~Q(review_state=ReviewState.CHECKED)
                | (Q(checked_at__isnull=False) & ~Q(checked_by="") & ~Q(checked_by=F("entered_by"))),
                name="%(class)s_checked_by_a_second_person",
                violation_error_message="An answer is checked by someone other than the person "
                                        "who entered it"),
            models.CheckConstraint(
                condition=~Q(review_state=ReviewState.RETURNED) | ~Q(review_note=""),
                name="%(class)s_returned_with_a_reason"),
        ]

    @property
    def is_checked(self) -> bool:
        return self.review_state == ReviewState.CHECKED
