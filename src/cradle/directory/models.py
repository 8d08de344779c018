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
    CLOSED = "closed", "Closed"


class AcceptsFrom(models.TextChoices):
    CONCEPTION = "conception", "From conception"
    BIRTH = "birth", "From birth"
    LATER = "later", "From later than birth"


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
    referral_pathway = models.TextField(blank=True, default="")
    accepts_from = models.CharField(max_length=12, choices=AcceptsFrom.choices, blank=True,
                                    default="")
    accepts_to_months = models.PositiveSmallIntegerField(null=True, blank=True)
    website = models.URLField(blank=True, default="")
    contact_email = models.EmailField(blank=True, default="")
    contact_phone = models.CharField(max_length=40, blank=True, default="")
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
    """From `effective_from`, the service was planned, operating or closed."""

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
