"""Outcomes case records, minimised by construction.

No names, addresses or full dates of birth exist anywhere in these tables: a case has the team's
own reference, an optional keyed pseudonym of the NHS number, the baby's month of birth (or
expected due month) and the postcode district. Records are written only through
`cradle.outcomes.actions`, which validate, pseudonymise and audit; every model is scoped by
`.visible_to(user)` (querysets.py).
"""

from django.db import models
from django.db.models import F, Q

from cradle.directory import vocabulary as directory_vocabulary

from . import querysets
from . import vocabulary as v
from .instruments import REGISTRY


def _choices(pairs):
    return [(pair[0], pair[1]) for pair in pairs]


def _known(field: str, pairs, name: str, *, blank: bool = False) -> models.CheckConstraint:
    condition = Q(**{f"{field}__in": v.keys(pairs)})
    if blank:
        condition |= Q(**{field: ""})
    return models.CheckConstraint(condition=condition, name=name)


class Case(models.Model):
    """One baby and their caregivers, as known to one team."""

    team = models.ForeignKey("directory.Service", on_delete=models.PROTECT,
                             related_name="outcome_cases")
    team_reference = models.CharField(
        max_length=40, help_text="The team's own reference for the family (not a name).")
    nhs_number_pseudonym = models.CharField(
        max_length=64, null=True, blank=True, editable=False,
        help_text="Keyed HMAC-SHA256 of the baby's NHS number; the number itself is not kept.")
    baby_birth_month = models.CharField(
        max_length=7, blank=True, default="",
        help_text="YYYY-MM: the month of birth, or the expected due month.")
    birth_month_is_due_month = models.BooleanField(
        default=False, help_text="The month is the expected due month (baby not yet born).")
    postcode_district = models.CharField(
        max_length=4, blank=True, default="", help_text="The outward code only, e.g. LS1.")
    created_at = models.DateTimeField(auto_now_add=True)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When the record was withdrawn (corrections.py): it then counts nowhere.")

    objects = querysets.CaseQuerySet.as_manager()

    class Meta:
        ordering = ["team_id", "team_reference"]
        constraints = [
            models.UniqueConstraint(fields=["team", "team_reference"],
                                    name="outcomes_case_reference_unique_per_team"),
            models.UniqueConstraint(fields=["team", "nhs_number_pseudonym"],
                                    condition=Q(nhs_number_pseudonym__isnull=False),
                                    name="outcomes_case_pseudonym_unique_per_team"),
            models.CheckConstraint(condition=~Q(team_reference=""),
                                   name="outcomes_case_reference_set"),
            models.CheckConstraint(
                condition=Q(birth_month_is_due_month=False) | ~Q(baby_birth_month=""),
                name="outcomes_case_due_month_needs_month"),
        ]

    def __str__(self) -> str:
        return f"Case {self.team_reference}"


class Referral(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals")
    referred_on = models.DateField()
    referrer_type = models.CharField(max_length=30, choices=_choices(v.REFERRER_TYPES))
    single_caregiver_household = models.BooleanField(null=True, blank=True)
    first_time_parent = models.BooleanField(null=True, blank=True)
    decision = models.CharField(max_length=12, choices=_choices(v.DECISIONS), blank=True,
                                default="")
    decided_on = models.DateField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When the record was withdrawn (corrections.py): it then counts nowhere.")

    objects = querysets.ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "referred_on", "id"]
        constraints = [
            _known("referrer_type", v.REFERRER_TYPES, "outcomes_referral_referrer_known"),
            _known("decision", v.DECISIONS, "outcomes_referral_decision_known", blank=True),
            models.CheckConstraint(
                condition=(Q(decision="") & Q(decided_on__isnull=True))
                | (~Q(decision="") & Q(decided_on__isnull=False)),
                name="outcomes_referral_decision_with_date"),
            models.CheckConstraint(
                condition=Q(decided_on__isnull=True) | Q(decided_on__gte=F("referred_on")),
                name="outcomes_referral_decided_after_referral"),
        ]


class Caregiver(models.Model):
    """A caregiver in the work: relationship to the baby, age and ethnic category only."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="caregivers")
    relationship = models.CharField(max_length=20, choices=_choices(v.RELATIONSHIPS))
    age_at_referral = models.PositiveSmallIntegerField(null=True, blank=True)
    ethnic_category = models.CharField(max_length=1, choices=_choices(v.ETHNIC_CATEGORIES),
                                       default="Z")

    objects = querysets.CaregiverQuerySet.as_manager()

    class Meta:
        ordering = ["referral_id", "id"]
        constraints = [
            _known("relationship", v.RELATIONSHIPS, "outcomes_caregiver_relationship_known"),
            _known("ethnic_category", v.ETHNIC_CATEGORIES, "outcomes_caregiver_ethnicity_known"),
            models.CheckConstraint(
                condition=Q(age_at_referral__isnull=True)
                | Q(age_at_referral__gte=10, age_at_referral__lte=99),
                name="outcomes_caregiver_age_plausible"),
        ]


class ReferralRiskFactor(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE,
                                 related_name="risk_factors")
    factor = models.CharField(max_length=40,
                              choices=[(k, label) for k, label, _d in v.RISK_FACTORS])

    objects = querysets.ReferralRiskFactorQuerySet.as_manager()

    class Meta:
        ordering = ["referral_id", "factor"]
        constraints = [
            models.UniqueConstraint(fields=["referral", "factor"],
                                    name="outcomes_risk_factor_once"),
            models.CheckConstraint(condition=Q(factor__in=list(v.RISK_FACTOR_DOMAIN)),
                                   name="outcomes_risk_factor_known"),
        ]

    @property
    def domain(self) -> str:
        return v.RISK_FACTOR_DOMAIN[self.factor]


class Episode(models.Model):
    """An episode of work with a family, from start to discharge."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="episodes")
    referral = models.ForeignKey(Referral, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="episodes")
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    discharge_reason = models.CharField(max_length=20, choices=_choices(v.DISCHARGE_REASONS),
                                        blank=True, default="")
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When the record was withdrawn (corrections.py): it then counts nowhere.")

    objects = querysets.EpisodeQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "started_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
                name="outcomes_episode_ends_after_start"),
            _known("discharge_reason", v.DISCHARGE_REASONS,
                   "outcomes_episode_discharge_reason_known", blank=True),
            models.CheckConstraint(
                condition=(Q(ended_on__isnull=True) & Q(discharge_reason=""))
                | (Q(ended_on__isnull=False) & ~Q(discharge_reason="")),
                name="outcomes_episode_discharge_with_end"),
        ]

    @property
    def is_open(self) -> bool:
        return self.ended_on is None


class EpisodeIntervention(models.Model):
    """An intervention delivered in an episode (the directory's list)."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="interventions")
    intervention = models.CharField(max_length=40,
                                    choices=_choices(directory_vocabulary.INTERVENTIONS))

    objects = querysets.EpisodeInterventionQuerySet.as_manager()

    class Meta:
        ordering = ["episode_id", "intervention"]
        constraints = [
            models.UniqueConstraint(fields=["episode", "intervention"],
                                    name="outcomes_intervention_once"),
            _known("intervention", directory_vocabulary.INTERVENTIONS,
                   "outcomes_intervention_known"),
        ]


class Contact(models.Model):
    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="contacts")
    on = models.DateField()
    mode = models.CharField(max_length=20, choices=_choices(v.CONTACT_MODES))
    outcome = models.CharField(max_length=30, choices=_choices(v.CONTACT_OUTCOMES))
    minutes = models.PositiveSmallIntegerField(default=0)
    caregivers_attended = models.BooleanField(default=False)
    baby_attended = models.BooleanField(default=False)
    delivered_by = models.ForeignKey(
        "accounts.User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        help_text="The team member who held the contact (empty for imported or older records).")
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When the record was withdrawn (corrections.py): it then counts nowhere.")

    objects = querysets.ContactQuerySet.as_manager()

    class Meta:
        ordering = ["episode_id", "on", "id"]
        constraints = [
            _known("mode", v.CONTACT_MODES, "outcomes_contact_mode_known"),
            _known("outcome", v.CONTACT_OUTCOMES, "outcomes_contact_outcome_known"),
            models.CheckConstraint(condition=Q(minutes__gte=0),
                                   name="outcomes_contact_minutes_not_negative"),
        ]


class MeasureAdministration(models.Model):
    """One administration of an instrument, scored by `instruments.score` when recorded."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="measures")
    episode = models.ForeignKey(Episode, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="measures")
    instrument = models.CharField(max_length=12, choices=sorted(
        (code, inst.name) for code, inst in REGISTRY.items()))
    timepoint = models.CharField(max_length=12, choices=_choices(v.TIMEPOINTS))
    administered_on = models.DateField()
    entered_as = models.CharField(max_length=10, choices=_choices(v.MEASURE_ENTRY))
    items = models.JSONField(null=True, blank=True,
                             help_text="Item scores as entered, item 1 first (null: missing).")
    total = models.FloatField()
    subscales = models.JSONField(default=dict, blank=True)
    band = models.CharField(max_length=60, blank=True, default="")
    caseness = models.BooleanField(null=True, blank=True)
    flags = models.JSONField(default=list, blank=True)
    complete = models.BooleanField(default=True)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When the record was withdrawn (corrections.py): it then counts nowhere.")

    objects = querysets.MeasureAdministrationQuerySet.as_manager()

    class Meta:
        ordering = ["case_id", "administered_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(instrument__in=sorted(REGISTRY)),
                                   name="outcomes_measure_instrument_known"),
            _known("timepoint", v.TIMEPOINTS, "outcomes_measure_timepoint_known"),
            _known("entered_as", v.MEASURE_ENTRY, "outcomes_measure_entry_known"),
            models.CheckConstraint(
                condition=Q(entered_as="items", items__isnull=False)
                | (~Q(entered_as="items") & Q(items__isnull=True)),
                name="outcomes_measure_items_iff_entered_as_items"),
        ]


class FlagReview(models.Model):
    """A practitioner's review of the flags an administration raised (e.g. PHQ-9 item 9): who
    reviewed them, when, and a short note of what was done. One review per administration."""

    measure = models.OneToOneField(MeasureAdministration, on_delete=models.CASCADE,
                                   related_name="flag_review")
    reviewed_by = models.ForeignKey("accounts.User", on_delete=models.PROTECT, related_name="+")
    reviewed_at = models.DateTimeField()
    note = models.CharField(
        max_length=500, blank=True, default="",
        help_text="What was done. Free text: no names, NHS numbers, addresses or phone numbers.")

    objects = querysets.FlagReviewQuerySet.as_manager()

    class Meta:
        ordering = ["measure_id"]


class Feedback(models.Model):
    """Parent experience (ESQ answers) or referrer feedback: fixed answers, never free text."""

    episode = models.ForeignKey(Episode, on_delete=models.CASCADE, related_name="feedback")
    kind = models.CharField(max_length=10, choices=_choices(v.FEEDBACK_KINDS))
    received_on = models.DateField()
    answers = models.JSONField(default=dict, help_text="Question key -> answer key.")
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When the record was withdrawn (corrections.py): it then counts nowhere.")

    objects = querysets.FeedbackQuerySet.as_manager()

    class Meta:
        ordering = ["episode_id", "received_on", "id"]
        constraints = [_known("kind", v.FEEDBACK_KINDS, "outcomes_feedback_kind_known")]


class WorkforceActivity(models.Model):
    """Training, consultation or supervision a team gave other professionals (no people named)."""

    team = models.ForeignKey("directory.Service", on_delete=models.PROTECT,
                             related_name="workforce_activities")
    kind = models.CharField(max_length=12, choices=_choices(v.WORKFORCE_KINDS))
    on = models.DateField()
    topic = models.CharField(max_length=200, blank=True, default="")
    audience_professions = models.JSONField(default=list, blank=True,
                                            help_text="Keys of the directory's professions.")
    attendees = models.PositiveIntegerField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(
        null=True, blank=True, editable=False,
        help_text="When the record was withdrawn (corrections.py): it then counts nowhere.")

    objects = querysets.WorkforceActivityQuerySet.as_manager()

    class Meta:
        ordering = ["team_id", "on", "id"]
        verbose_name_plural = "workforce activities"
        constraints = [_known("kind", v.WORKFORCE_KINDS, "outcomes_workforce_kind_known")]


class Correction(models.Model):
    """A correction or withdrawal of a record, with who made it (and in which role), when,
    which fields changed (names only) and why. The case timeline shows these; the audit chain
    holds the same facts, sealed (corrections.py writes both in one transaction)."""

    CHANGE, WITHDRAW = "change", "withdraw"

    team = models.ForeignKey("directory.Service", on_delete=models.PROTECT, related_name="+")
    case = models.ForeignKey(Case, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="corrections")
    record_label = models.CharField(max_length=60, help_text="app_label.modelname")
    record_id = models.PositiveBigIntegerField()
    action = models.CharField(max_length=10,
                              choices=[(CHANGE, "Corrected"), (WITHDRAW, "Withdrawn")])
    fields = models.JSONField(default=list, blank=True, help_text="Names of fields changed.")
    reason = models.CharField(max_length=200)
    by = models.ForeignKey("accounts.User", on_delete=models.SET_NULL, null=True,
                           related_name="+")
    by_role = models.CharField(max_length=40, help_text="The role's name when it was made.")
    at = models.DateTimeField()

    objects = querysets.CorrectionQuerySet.as_manager()

    class Meta:
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["record_label", "record_id"],
                                name="outcomes_correction_record")]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=["change", "withdraw"]),
                                   name="outcomes_correction_action_known"),
            models.CheckConstraint(condition=~Q(reason=""),
                                   name="outcomes_correction_reason_given"),
        ]


class StagedImport(models.Model):
    """A checked bulk import waiting for its confirmation (the records wait in a file, see
    bulk/staging.py). The row is the lock that imports it once: the confirming transaction
    moves it from staged to imported with a conditional UPDATE, which only one confirmation
    can win; the others are told it is already imported, with the counts it wrote."""

    STAGED, IMPORTED = "staged", "imported"

    token = models.CharField(max_length=64, unique=True)
    team = models.ForeignKey("directory.Service", on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    digest = models.CharField(max_length=64, help_text="SHA-256 of the staged records.")
    file_sha256 = models.CharField(max_length=64, help_text="SHA-256 of the uploaded file.")
    state = models.CharField(max_length=10, default=STAGED,
                             choices=[(STAGED, "Staged"), (IMPORTED, "Imported")])
    counts = models.JSONField(default=dict, blank=True, help_text="What the import wrote.")
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(state__in=["staged", "imported"]),
                                              name="outcomes_staged_import_state_known")]
