import datetime

from django.db import models
from django.db.models import OuterRef, Q, Subquery
from simple_history.models import HistoricalRecords

from cradle.geography.models import Area, Nation

from . import vocabulary

ServiceKind = models.TextChoices("ServiceKind", [(k.upper(), (k, v)) for k, v in vocabulary.SERVICE_KINDS])
Profession = models.TextChoices("Profession", [(k.upper(), (k, v)) for k, v in vocabulary.PROFESSIONS])
Intervention = models.TextChoices(
    "Intervention", [(k.upper(), (k, v)) for k, v in vocabulary.INTERVENTIONS])
FundingSource = models.TextChoices(
    "FundingSource", [(k.upper(), (k, v)) for k, v in vocabulary.FUNDING_SOURCES])


class Status(models.TextChoices):
    PLANNED = "planned", "Planned"
    OPERATING = "operating", "Operating"
    # Not taking referrals for a while (a vacancy, a funding gap) but expected to resume: not
    # counted as operating in coverage or headlines, and not closed either (census, ADR 0024).
    PAUSED = "paused", "Paused"
    CLOSED = "closed", "Closed"


class AcceptsFrom(models.TextChoices):
    CONCEPTION = "conception", "From conception"
    BIRTH = "birth", "From birth"
    LATER = "later", "From later than birth"


class Strength(models.TextChoices):
    """How well a source shows a service meets the team definition (the update's
    `meets_definition` column, register-updates-2020-2025.NOTES.md section 1)."""

    YES = "yes", "Yes"
    LIKELY = "likely", "Likely"
    PARTIAL = "partial", "Partial"
    NO = "no", "No"
    UNKNOWN = "unknown", "Unknown"
    YES_PER_2019 = "yes_per_2019", "Yes (per 2019 report)"
    NOT_APPLICABLE = "n/a", "Not applicable (closed)"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    YEAR = "year", "Year"
    UNDATED = "undated", "Undated"


class ServiceQuerySet(models.QuerySet):
    def real(self):
        """Services of the register, without the synthetic teams `cradle synth` makes for demos,
        tests and benchmarks: every public listing, count and map reads through this."""
        return self.filter(synthetic=False)

    def synthetic(self):
        """The made-up teams of `cradle synth`, only (clearly labelled, for demos and tests)."""
        return self.filter(synthetic=True)

    def with_status_on(self, on: datetime.date):
        """Annotate `status_on`: the status in force on that date (null if none recorded yet)."""
        latest = (StatusChange.objects.filter(service=OuterRef("pk"), effective_from__lte=on)
                  .order_by("-effective_from", "-id").values("status")[:1])
        return self.annotate(status_on=Subquery(latest))

    def operating_on(self, on: datetime.date):
        return self.with_status_on(on).filter(status_on=Status.OPERATING)

    def teams(self):
        return self.filter(kind=ServiceKind.TEAM)

    def in_nation(self, nation: str):
        return self.filter(nation=nation)

    def covering(self, area: Area):
        return self.filter(coverage__area=area).distinct()

    def search(self, text: str):
        """Services whose name, other names or locality match the text, or that cover a place
        it names (an area, or an area overlapping one: "Leeds" finds a team covering the Leeds
        council or the Leeds CCG)."""
        text = text.strip()
        if not text:
            return self
        by_place = ServiceCoverage.objects.filter(
            area__in=Area.objects.places_matching(text)).values("service")
        return self.filter(
            Q(name__icontains=text) | Q(other_names__icontains=text)
            | Q(locality__icontains=text) | Q(pk__in=by_place))


class Service(models.Model):
    """A parent-infant service in the register: a team, or another kind the report names."""

    register_ref = models.CharField(
        max_length=10, unique=True, null=True, blank=True,
        help_text="Reference in an imported register snapshot, e.g. T01 in the 2019 register.")
    name = models.CharField(max_length=300)
    other_names = models.TextField(blank=True, default="", help_text="One name per line.")
    kind = models.CharField(max_length=30, choices=ServiceKind.choices)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    locality = models.CharField(max_length=200, blank=True, default="")
    referral_pathway = models.TextField(
        blank=True, default="", help_text="How to refer, in the service's own words.")
    # None means "not recorded": a service page says so rather than guessing either way.
    professional_referral = models.BooleanField(
        null=True, blank=True, help_text="Takes referrals from professionals (GP, midwife, "
        "health visitor...).")
    self_referral = models.BooleanField(
        null=True, blank=True, help_text="Families can refer themselves.")
    referral_checked_on = models.DateField(
        null=True, blank=True, help_text="When how to refer was last checked.")
    accepts_from = models.CharField(max_length=12, choices=AcceptsFrom.choices, blank=True,
                                    default="")
    accepts_to_months = models.PositiveSmallIntegerField(null=True, blank=True)
    ages_checked_on = models.DateField(
        null=True, blank=True, help_text="When the ages accepted were last checked.")
    languages = models.TextField(
        blank=True, default="", help_text="Languages the service works in, one per line "
        "(interpreters: say so on a line of its own).")
    languages_checked_on = models.DateField(
        null=True, blank=True, help_text="When the languages were last checked.")
    website = models.URLField(blank=True, default="", max_length=500)
    website_checked_on = models.DateField(null=True, blank=True)
    contact_email = models.EmailField(blank=True, default="")
    contact_email_checked_on = models.DateField(null=True, blank=True)
    contact_phone = models.CharField(max_length=40, blank=True, default="")
    contact_phone_checked_on = models.DateField(null=True, blank=True)
    source_note = models.TextField(blank=True, default="",
                                   help_text="What the source (e.g. Rare Jewels) says of it.")
    synthetic = models.BooleanField(
        default=False, editable=False,
        help_text="Made up by `cradle synth` (demo, tests, benchmarks): never listed publicly.")
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = ServiceQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ServiceKind.values),
                                   name="service_kind_known"),
            models.CheckConstraint(
                condition=Q(accepts_to_months__isnull=True) | Q(accepts_to_months__lte=216),
                name="service_accepts_to_months_plausible"),
        ]

    def __str__(self) -> str:
        return self.name

    def status_on(self, on: datetime.date) -> str | None:
        change = self.status_changes.filter(effective_from__lte=on).order_by(
            "-effective_from", "-id").first()
        return change.status if change else None


class StatusChange(models.Model):
    """From `effective_from`, the service was planned, operating, paused or closed."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="status_changes")
    status = models.CharField(max_length=12, choices=Status.choices)
    effective_from = models.DateField()
    source = models.CharField(max_length=300, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "effective_from"]
        constraints = [
            models.UniqueConstraint(fields=["service", "effective_from"],
                                    name="status_change_one_per_day"),
            models.CheckConstraint(condition=Q(status__in=Status.values),
                                   name="status_change_status_known"),
        ]


class ServiceCoverage(models.Model):
    """An area the service takes referrals from (a health area or a local authority)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="coverage")
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="service_coverage")
    partial = models.BooleanField(default=False, help_text="Covers only part of this area.")
    note = models.CharField(max_length=300, blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "area"],
                                               name="coverage_unique")]


class ServiceStaffing(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="staffing")
    profession = models.CharField(max_length=50, choices=Profession.choices)
    wte = models.DecimalField("Whole-time equivalent", max_digits=5, decimal_places=2)
    history = HistoricalRecords()

    class Meta:
        ordering = ["profession"]
        constraints = [
            models.UniqueConstraint(fields=["service", "profession"], name="staffing_unique"),
            models.CheckConstraint(condition=Q(wte__gt=0), name="staffing_wte_positive"),
        ]


class ServiceIntervention(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="interventions")
    intervention = models.CharField(max_length=40, choices=Intervention.choices)
    detail = models.CharField(max_length=200, blank=True, default="",
                              help_text="What it is, where the intervention is 'other'.")
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "intervention"],
                                               name="intervention_unique")]


class ServiceFunding(models.Model):
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="funding")
    source = models.CharField(max_length=40, choices=FundingSource.choices)
    history = HistoricalRecords()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["service", "source"],
                                               name="funding_unique")]


class CriterionEvidence(models.Model):
    """What is known about one criterion or exclusion of the team definition for a service."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="evidence")
    criterion = models.CharField(max_length=60)
    answer = models.BooleanField(null=True, help_text="Met (or, for an exclusion, applies).")
    evidence = models.TextField(blank=True, default="")
    source = models.CharField(max_length=300, blank=True, default="")
    recorded_on = models.DateField(default=datetime.date.today)
    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "criterion"]
        constraints = [models.UniqueConstraint(fields=["service", "criterion"],
                                               name="evidence_one_per_criterion")]


class TeamCountMilestone(models.Model):
    """A published national count of teams: distinct from individually registered services."""

    on = models.DateField()
    teams = models.PositiveIntegerField()
    in_development = models.PositiveIntegerField(null=True, blank=True)
    publication = models.CharField(max_length=300)
    publisher = models.CharField(max_length=200)
    url = models.URLField(max_length=500, blank=True, default="")
    note = models.TextField(blank=True, default="")

    class Meta:
        ordering = ["on"]
        constraints = [models.UniqueConstraint(fields=["on", "publication"],
                                               name="milestone_unique")]

    def __str__(self) -> str:
        return f"{self.teams} teams ({self.on:%B %Y})"


class RegisterClaim(models.Model):
    """What one public source says of a service on a date: a sourced claim, not confirmed
    truth (register-updates-2020-2025.csv, one row per service). The 2019 facts stay as they
    were; a claimed change of status is also a dated StatusChange naming this source."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="claims")
    dataset = models.CharField(max_length=60)
    name_given = models.CharField(max_length=300, help_text="The name the source uses.")
    locality = models.CharField(max_length=300, blank=True, default="")
    host = models.CharField(max_length=300, blank=True, default="")
    started = models.CharField(max_length=200, blank=True, default="",
                               help_text="When it started, as the source gives it.")
    claimed_status = models.CharField(max_length=12, choices=Status.choices)
    evidence_date_text = models.CharField(max_length=200,
                                          help_text="The evidence date as given.")
    evidence_precision = models.CharField(max_length=8, choices=DatePrecision.choices)
    # The first and last day the evidence date can mean ("2024-05": 1 to 31 May 2024); both
    # null when the source is undated.
    evidence_from = models.DateField(null=True, blank=True)
    evidence_to = models.DateField(null=True, blank=True)
    strength = models.CharField(max_length=14, choices=Strength.choices)
    source_urls = models.TextField(blank=True, default="", help_text="One address per line.")
    local_authorities = models.TextField(blank=True, default="",
                                         help_text="GSS codes as given, one per line.")
    health_areas = models.TextField(blank=True, default="",
                                    help_text="Health area codes as given, one per line.")
    notes = models.TextField(blank=True, default="")
    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "-evidence_to"]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "service"], name="claim_one_per_dataset"),
            models.CheckConstraint(condition=Q(strength__in=Strength.values),
                                   name="claim_strength_known"),
            models.CheckConstraint(condition=Q(claimed_status__in=Status.values),
                                   name="claim_status_known"),
            models.CheckConstraint(
                condition=(Q(evidence_precision="undated", evidence_from__isnull=True,
                             evidence_to__isnull=True)
                           | (~Q(evidence_precision="undated")
                              & Q(evidence_from__isnull=False, evidence_to__isnull=False,
                                  evidence_from__lte=models.F("evidence_to")))),
                name="claim_evidence_dates_consistent"),
        ]

    def __str__(self) -> str:
        return f"{self.name_given} ({self.evidence_date_text})"

    @property
    def urls(self) -> list[str]:
        return [url.strip() for url in self.source_urls.splitlines() if url.strip()]


class SourcedDetail(models.Model):
    """One service detail as a shipped source gives it (service-details.csv): the value the
    load last wrote, where it comes from and when the source says it. The service's own field
    is what pages show; this row says whether that value is still the sourced one (a
    coordinator's later edit makes them differ, and the load then leaves the field alone)."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE,
                                related_name="sourced_details")
    field = models.CharField(max_length=30, help_text="A Service field, or referred_by.")
    value = models.TextField(help_text="The value as the file gives it.")
    checked_text = models.CharField(max_length=100, help_text="The source's date as given.")
    checked_on = models.DateField(null=True, blank=True,
                                  help_text="First day the source's date can mean; null if "
                                            "undated.")
    source = models.CharField(max_length=200)
    source_url = models.URLField(max_length=500, blank=True, default="")
    quote = models.TextField()
    history = HistoricalRecords()

    class Meta:
        ordering = ["service", "field"]
        constraints = [models.UniqueConstraint(fields=["service", "field"],
                                               name="sourced_detail_one_per_field")]

    def __str__(self) -> str:
        return f"{self.field} ({self.source}, {self.checked_text})"
