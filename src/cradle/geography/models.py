from django.db import models
from django.db.models import Count, Q, Sum

from .schemes import (
    HEALTH_SCHEMES,
    INFANT_AGES,
    NATIONS,
    POPULATION_YEARS,
    SCHEMES,
    SCHEMES_BY_KEY,
)

LATEST_POPULATION_YEAR = max(POPULATION_YEARS)


class Scheme(models.TextChoices):
    CCG2019 = "ccg2019", SCHEMES_BY_KEY["ccg2019"].label
    CCG2021 = "ccg2021", SCHEMES_BY_KEY["ccg2021"].label
    SUBICB2022 = "subicb2022", SCHEMES_BY_KEY["subicb2022"].label
    ICB2023 = "icb2023", SCHEMES_BY_KEY["icb2023"].label
    SUBICB2024 = "subicb2024", SCHEMES_BY_KEY["subicb2024"].label
    ICB2024 = "icb2024", SCHEMES_BY_KEY["icb2024"].label
    ICB2026 = "icb2026", SCHEMES_BY_KEY["icb2026"].label
    LHB = "lhb", SCHEMES_BY_KEY["lhb"].label
    HB = "hb", SCHEMES_BY_KEY["hb"].label
    NITRUST = "nitrust", SCHEMES_BY_KEY["nitrust"].label
    LA = "la", SCHEMES_BY_KEY["la"].label
    COUNTY = "county", SCHEMES_BY_KEY["county"].label


Nation = models.TextChoices("Nation", [(n.upper().replace(" ", "_"), n) for n in NATIONS])


class PopulationMethod(models.TextChoices):
    ONS_LA_ESTIMATE = "ons-la-estimate", "Published local-authority estimate"
    MSOA_CENTROID_SUM = "msoa-centroid-sum", "Sum of MSOA estimates placed by centroid"
    LA_UNION = "la-union", "Union of whole local authorities"
    LSOA_APPORTIONED = "lsoa-apportioned", "Split local authorities divided by the LSOA lookup"
    DERIVED_UNION = "derived-union", "Derived: sum of the parts the area is assumed to be made of"
    AREA_APPORTIONED = "area-apportioned", "Local authorities apportioned by land area"

    @property
    def is_exact(self) -> bool:
        return self in {self.ONS_LA_ESTIMATE, self.LA_UNION}


class AreaQuerySet(models.QuerySet):
    def in_scheme(self, scheme: str):
        return self.filter(scheme=scheme)

    def in_nation(self, nation: str):
        return self.filter(nation=nation)

    def health_areas(self):
        return self.filter(scheme__in=HEALTH_SCHEMES)

    def places_matching(self, text: str):
        """Areas named by the text (name, code or ODS code) and the areas overlapping them:
        the councils inside a matching health area, the health areas a matching council falls
        in, and county-district links."""
        named = Area.objects.filter(Q(name__icontains=text) | Q(code__iexact=text)
                                    | Q(ods_code__iexact=text))
        overlaps = LocalAuthorityOverlap.objects.filter(
            Q(area__in=named) | Q(local_authority__in=named))
        return self.filter(
            Q(pk__in=named.values("pk")) | Q(pk__in=named.values("parent"))
            | Q(parent__in=named.values("pk"))
            | Q(pk__in=overlaps.values("area")) | Q(pk__in=overlaps.values("local_authority")))

    def with_infant_population(self, year: int = LATEST_POPULATION_YEAR):
        in_year = Q(populations__year=year)
        return self.annotate(
            population_0_2=Sum("populations__count", filter=in_year),
            **{f"population_age_{age}": Sum("populations__count",
                                            filter=in_year & Q(populations__age=age))
               for age in INFANT_AGES},
        )


class Area(models.Model):
    """A geographical area of one scheme and vintage: a CCG of 2019, an ICB of 2023, a council."""

    scheme = models.CharField(max_length=20, choices=Scheme.choices)
    code = models.CharField(max_length=12, help_text="GSS code, or DoH short code for NI trusts.")
    ods_code = models.CharField(max_length=8, blank=True, default="")
    name = models.CharField(max_length=200)
    nation = models.CharField(max_length=20, choices=Nation.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    note = models.TextField(blank=True, default="")
    derived = models.BooleanField(
        default=False, help_text="The area itself is derived (no official definition found); "
        "the note says from what.")
    boundary = models.JSONField(null=True, blank=True, help_text="GeoJSON geometry, WGS84.")

    objects = AreaQuerySet.as_manager()

    class Meta:
        ordering = ["scheme", "name"]
        constraints = [
            models.UniqueConstraint(fields=["scheme", "code"], name="area_unique_code"),
            models.UniqueConstraint(
                fields=["scheme", "ods_code"], condition=~Q(ods_code=""),
                name="area_unique_ods_code"),
            models.CheckConstraint(
                condition=Q(scheme__in=Scheme.values), name="area_scheme_known"),
            models.CheckConstraint(condition=Q(nation__in=NATIONS), name="area_nation_known"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Population(models.Model):
    """Estimated number of children of one age (0, 1 or 2) living in an area at mid-year."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    age = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()
    method = models.CharField(max_length=20, choices=PopulationMethod.choices)

    class Meta:
        ordering = ["area", "year", "age"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year", "age"], name="population_unique"),
            models.CheckConstraint(condition=Q(age__in=INFANT_AGES), name="population_infant_age"),
            models.CheckConstraint(
                condition=Q(method__in=PopulationMethod.values), name="population_method_known"),
        ]

    @property
    def is_exact(self) -> bool:
        return PopulationMethod(self.method).is_exact


class ChildPopulation(models.Model):
    """Estimated number of children aged 0 to 17 in an area at mid-year: the denominator for
    the share of children who are under 3."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="child_populations")
    year = models.PositiveSmallIntegerField()
    count = models.PositiveIntegerField()
    method = models.CharField(max_length=20, choices=PopulationMethod.choices)

    class Meta:
        ordering = ["area", "year"]
        constraints = [
            models.UniqueConstraint(fields=["area", "year"], name="child_population_unique"),
            models.CheckConstraint(condition=Q(method__in=PopulationMethod.values),
                                   name="child_population_method_known"),
        ]


class LocalAuthorityOverlapQuerySet(models.QuerySet):
    def for_local_authority(self, la: Area):
        return self.filter(local_authority=la).select_related("area")

    def for_area(self, area: Area):
        return self.filter(area=area).select_related("local_authority")


class LocalAuthorityOverlap(models.Model):
    """Which health areas a local authority falls in, and what share of its babies are in each."""

    area = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="la_overlaps")
    local_authority = models.ForeignKey(
        Area, on_delete=models.CASCADE, related_name="health_area_overlaps")
    share_0_2 = models.DecimalField(max_digits=7, decimal_places=6)

    objects = LocalAuthorityOverlapQuerySet.as_manager()

    class Meta:
        ordering = ["area", "-share_0_2"]
        constraints = [
            models.UniqueConstraint(fields=["area", "local_authority"], name="overlap_unique"),
            models.CheckConstraint(
                condition=Q(share_0_2__gt=0) & Q(share_0_2__lte=1), name="overlap_share_range"),
        ]

    @property
    def is_whole(self) -> bool:
        return self.share_0_2 == 1


class AreaSuccession(models.Model):
    """An area of one vintage and the area of a later vintage that took it over."""

    predecessor = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="successors")
    successor = models.ForeignKey(Area, on_delete=models.CASCADE, related_name="predecessors")
    boundary_changed = models.BooleanField(null=True, help_text="Unknown where not published.")
    basis = models.CharField(max_length=200)

    class Meta:
        ordering = ["predecessor__code"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_unique"),
        ]


def scheme_summaries(year: int = LATEST_POPULATION_YEAR) -> list[dict]:
    """Per scheme: area count, 0-2 population in `year`, and how many figures are exact."""
    rows = {row["scheme"]: row for row in Area.objects.values("scheme").annotate(
        areas=Count("id", distinct=True))}
    populations = {row["area__scheme"]: row for row in Population.objects.filter(year=year)
                   .values("area__scheme").annotate(total=Sum("count"))}
    exact = {row["area__scheme"]: row["areas"] for row in Population.objects.filter(
        year=year, age=0, method__in=[m for m in PopulationMethod if m.is_exact])
        .values("area__scheme").annotate(areas=Count("area", distinct=True))}
    summaries = []
    for scheme in SCHEMES:
        summaries.append({
            "scheme": scheme,
            "areas": rows.get(scheme.key, {}).get("areas", 0),
            "population_0_2": populations.get(scheme.key, {}).get("total"),
            "exact_areas": exact.get(scheme.key, 0),
        })
    return summaries
