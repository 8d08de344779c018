"""Quality standards as versioned data, and teams' self-reviews against them (ADR 0038).

A `StandardsSet` (a name, a key, a version and its published date) holds domains, each with
standards, and the thresholds of each route. Once any review has started on a set, the set is
frozen: its domains, standards and thresholds can no longer change (`FrozenSet`), and a
coordinator makes a new version instead (`standards.new_version`). A review keeps the set it
started on, so a new version never alters a review in progress.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from . import thresholds as t


class FrozenSet(Exception):
    """A change to a standards set that a review has already started on."""


class Route(models.TextChoices):
    ACCREDITATION = "accreditation", "Accreditation"
    DEVELOPMENTAL = "developmental", "Developmental"


class Rating(models.TextChoices):
    MET = t.MET, "Met"
    PARTLY_MET = t.PARTLY_MET, "Partly met"
    NOT_MET = t.NOT_MET, "Not met"
    NOT_APPLICABLE = t.NOT_APPLICABLE, "Not applicable"


class StandardType(models.IntegerChoices):
    ESSENTIAL = 1, "Type 1 (essential)"
    EXPECTED = 2, "Type 2 (expected)"
    DESIRABLE = 3, "Type 3 (desirable)"


class AutoSource(models.TextChoices):
    """Evidence Cradle fills in itself, computed afresh whenever a review is shown."""

    REGISTER_STAFFING = "register_staffing", "Staffing by profession (the register)"
    DEFINITION_VERDICT = "definition_verdict", "The team definition's verdict (the register)"
    OUTCOME_COMPLETION = "outcome_completion", "Outcome measure completion (case records)"
    DNA_RATE = "dna_rate", "Did-not-attend rate (case records)"
    TRAINING_DELIVERED = "training_delivered", "Training delivered (workforce activity)"
    SUPERVISION_RECORDED = "supervision_recorded", "Supervision and consultation given " \
                                                   "(workforce activity)"


class ReviewState(models.TextChoices):
    IN_PROGRESS = "in_progress", "In progress"
    SUBMITTED = "submitted", "Submitted"


class StandardsSet(models.Model):
    key = models.SlugField(max_length=40, help_text="The same for every version of a set.")
    name = models.CharField(max_length=200)
    version = models.PositiveIntegerField()
    published_on = models.DateField(null=True, blank=True)
    description = models.TextField(blank=True, default="")
    based_on = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="later_versions")
    # {"accreditation": {"1": 100, "2": 80, "3": 60}, "developmental": null}: a route with
    # null has no thresholds (thresholds.py).
    thresholds = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["key", "-version"]
        constraints = [models.UniqueConstraint(fields=["key", "version"],
                                               name="quality_set_version_once")]

    def __str__(self) -> str:
        return f"{self.name}, version {self.version}"

    @property
    def frozen(self) -> bool:
        return self.pk is not None and self.reviews.exists()

    def route_thresholds(self, route: str) -> dict[int, int] | None:
        return t.parse_thresholds((self.thresholds or {}).get(route))

    def save(self, *args, **kwargs):
        if self.frozen:
            raise FrozenSet(f"{self} is in use by a review: make a new version to change it")
        super().save(*args, **kwargs)


class _FrozenWithItsSet(models.Model):
    """Domains and standards cannot be added, changed or deleted once their set is frozen."""

    class Meta:
        abstract = True

    def _refuse_if_frozen(self) -> None:
        if self.standards_set.frozen:
            raise FrozenSet(f"{self.standards_set} is in use by a review: make a new version "
                            "to change it")

    def save(self, *args, **kwargs):
        self._refuse_if_frozen()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_frozen()
        return super().delete(*args, **kwargs)


class Domain(_FrozenWithItsSet):
    standards_set = models.ForeignKey(StandardsSet, on_delete=models.CASCADE,
                                      related_name="domains")
    position = models.PositiveSmallIntegerField()
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["standards_set", "position"]
        constraints = [models.UniqueConstraint(fields=["standards_set", "position"],
                                               name="quality_domain_position_once")]

    def __str__(self) -> str:
        return f"{self.position}. {self.name}"


class Standard(_FrozenWithItsSet):
    standards_set = models.ForeignKey(StandardsSet, on_delete=models.CASCADE,
                                      related_name="standards")
    domain = models.ForeignKey(Domain, on_delete=models.CASCADE, related_name="standards")
    code = models.CharField(max_length=10, help_text="e.g. 1.3")
    position = models.PositiveSmallIntegerField()
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True, default="")
    standard_type = models.PositiveSmallIntegerField(choices=StandardType.choices)
    evidence_asked = models.TextField(help_text="The evidence the standard asks for.")
    auto_source = models.CharField(max_length=30, choices=AutoSource.choices, blank=True,
                                   default="")
    source = models.CharField(max_length=500, help_text="Where it comes from (a section of "
                              "Rare Jewels, the self-audit tool).")

    class Meta:
        ordering = ["standards_set", "domain__position", "position"]
        constraints = [
            models.UniqueConstraint(fields=["standards_set", "code"],
                                    name="quality_standard_code_once"),
            models.CheckConstraint(condition=Q(standard_type__in=StandardType.values),
                                   name="quality_standard_type_known"),
            models.CheckConstraint(condition=Q(auto_source="") | Q(
                auto_source__in=AutoSource.values), name="quality_auto_source_known"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"


class ReviewQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Every review for network coordinators; otherwise the reviews of the teams where the
        user's role grants quality_review. Never anyone else's (and never public)."""
        from cradle.accounts.permissions import ROLES, Permission, Scope

        if not (user and user.is_authenticated and user.is_active):
            return self.none()
        if any(ROLES[key].scope is Scope.NETWORK and Permission.QUALITY_REVIEW
               in ROLES[key].permissions for key in user.role_keys()):
            return self
        return self.filter(team_id__in=user.team_ids(Permission.QUALITY_REVIEW))


class Review(models.Model):
    team = models.ForeignKey("directory.Service", on_delete=models.PROTECT,
                             related_name="quality_reviews")
    standards_set = models.ForeignKey(StandardsSet, on_delete=models.PROTECT,
                                      related_name="reviews")
    route = models.CharField(max_length=20, choices=Route.choices)
    state = models.CharField(max_length=20, choices=ReviewState.choices,
                             default=ReviewState.IN_PROGRESS)
    started_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    started_at = models.DateTimeField(auto_now_add=True)
    submitted_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                     blank=True, related_name="+")
    submitted_at = models.DateTimeField(null=True, blank=True)

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["-started_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(route__in=Route.values),
                                   name="quality_review_route_known"),
            models.CheckConstraint(condition=Q(state__in=ReviewState.values),
                                   name="quality_review_state_known"),
            models.UniqueConstraint(fields=["team"], condition=Q(state="in_progress"),
                                    name="quality_one_review_in_progress_per_team"),
        ]

    def __str__(self) -> str:
        return f"{self.get_route_display()} self-review of {self.team}"

    @property
    def in_progress(self) -> bool:
        return self.state == ReviewState.IN_PROGRESS


class StandardRating(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="ratings")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    rating = models.CharField(max_length=20, choices=Rating.choices)
    reason = models.TextField(blank=True, default="",
                              help_text="Why the standard does not apply (required then).")
    note = models.TextField(blank=True, default="")
    rated_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                 related_name="+")
    rated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["review", "standard"],
                                    name="quality_rating_once_per_standard"),
            models.CheckConstraint(condition=Q(rating__in=Rating.values),
                                   name="quality_rating_known"),
            models.CheckConstraint(condition=~Q(rating=t.NOT_APPLICABLE) | ~Q(reason=""),
                                   name="quality_not_applicable_has_reason"),
        ]


class EvidenceFile(models.Model):
    """A document attached to a standard of a review: encrypted in the database (evidence_store),
    downloadable only by those who can see the review."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="files")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    encrypted_content = models.BinaryField(editable=False)
    added_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]

    def __str__(self) -> str:
        return self.filename


class EvidenceLink(models.Model):
    """A link to a page Cradle already holds (a path on this site), as evidence."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="links")
    standard = models.ForeignKey(Standard, on_delete=models.PROTECT, related_name="+")
    path = models.CharField(max_length=300)
    label = models.CharField(max_length=200)
    added_by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                                 related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
