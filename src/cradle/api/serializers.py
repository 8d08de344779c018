"""The shapes of the API's JSON, for the OpenAPI document and for writing the responses: every
view passes its rows through these, so what is sent is what the document says."""

from __future__ import annotations

from rest_framework import serializers as s

from cradle.directory.coverage import STATUSES

NULL = {"allow_null": True}


def text(**kwargs):
    return s.CharField(**kwargs)


def nullable_text():
    return s.CharField(allow_null=True)


def nullable_date():
    return s.DateField(allow_null=True)


class FigureMeta(s.Serializer):
    """What every figure row carries."""

    denominator = s.CharField(allow_null=True, help_text="What the figures are out of.")
    as_of = s.DateField(allow_null=True, help_text="The date the figures are of.")
    source = s.CharField(help_text="Where the figures come from.")
    suppressed = s.BooleanField(help_text="A figure is withheld by disclosure control.")
    suppression_reason = s.CharField(allow_null=True)


class AreaKey(s.Serializer):
    scheme = s.CharField()
    code = s.CharField()


class PopulationSerializer(s.Serializer):
    year = s.IntegerField()
    age_0 = s.IntegerField(**NULL)
    age_1 = s.IntegerField(**NULL)
    age_2 = s.IntegerField(**NULL)
    total = s.IntegerField(**NULL, help_text="Children aged 0 to 2; null unless every age "
                                             "is known.")
    method = s.CharField()
    method_label = s.CharField()
    exact = s.BooleanField()
    as_of = s.DateField()
    source = s.CharField()


class AreaSerializer(s.Serializer):
    scheme = s.CharField()
    code = s.CharField()
    ods_code = nullable_text()
    name = s.CharField()
    nation = s.CharField()
    parent = AreaKey(allow_null=True)
    derived = s.BooleanField()
    has_boundary = s.BooleanField()
    page = s.CharField(help_text="The area's page on this site.")
    populations = PopulationSerializer(many=True)


class HealthAreaShare(s.Serializer):
    scheme = s.CharField()
    code = s.CharField()
    name = s.CharField()
    share_0_2 = s.FloatField(help_text="Share of the authority's babies living in the area.")


class LocalAuthoritySerializer(AreaSerializer):
    health_areas = HealthAreaShare(many=True)


class SchemeSerializer(s.Serializer):
    key = s.CharField()
    label = s.CharField()
    nations = s.ListField(child=s.CharField())
    areas = s.IntegerField()
    population_0_2 = s.IntegerField(**NULL)
    exact_areas = s.IntegerField()


class CoverageAreaSerializer(FigureMeta):
    scheme = s.CharField()
    code = s.CharField()
    name = s.CharField()
    nation = s.CharField()
    status = s.ChoiceField(choices=STATUSES)
    status_label = s.CharField()
    named_by_team = s.BooleanField()
    camhs_specialists = s.BooleanField()
    population_0_2 = s.IntegerField()
    population_0_2_covered = s.IntegerField(**NULL, help_text="Null: not known.")
    pct_covered = s.FloatField(**NULL, help_text="Null: not known.")


class CoverageNationSerializer(FigureMeta):
    level = s.ChoiceField(choices=["nation", "uk"])
    nation = s.CharField()
    scheme = nullable_text()
    areas = s.IntegerField()
    areas_covered = s.IntegerField()
    areas_partly_covered = s.IntegerField()
    areas_not_covered = s.IntegerField()
    areas_share_not_known = s.IntegerField()
    population_0_2 = s.IntegerField()
    population_0_2_covered = s.IntegerField()
    pct_covered = s.FloatField(**NULL)
    teams_operating = s.IntegerField(**NULL)


class StatusOn(s.Serializer):
    on = s.DateField()
    status = s.CharField(**NULL)
    in_words = s.CharField()


class StatusChangeSerializer(s.Serializer):
    status = s.CharField()
    effective_from = s.DateField()
    source = nullable_text()


class ServiceCoverageSerializer(s.Serializer):
    scheme = s.CharField()
    code = s.CharField()
    name = s.CharField()
    partial = s.BooleanField()
    note = nullable_text()


class StaffingSerializer(s.Serializer):
    profession = s.CharField()
    profession_label = s.CharField()
    wte = s.FloatField()


class InterventionSerializer(s.Serializer):
    intervention = s.CharField()
    label = s.CharField()
    detail = nullable_text()


class VerdictSerializer(s.Serializer):
    outcome = s.ChoiceField(choices=["team", "not_a_team", "not_enough_information"])
    in_words = s.CharField()
    summary = s.CharField()


class ConfirmationSerializer(s.Serializer):
    on = nullable_date()
    on_text = s.CharField()
    until = nullable_date()
    source = s.CharField()
    source_url = nullable_text()
    status = nullable_text()
    strength = s.CharField()
    strength_words = s.CharField()


class ServiceSerializer(s.Serializer):
    id = s.IntegerField()
    name = s.CharField()
    other_names = s.ListField(child=s.CharField())
    kind = s.CharField()
    kind_label = s.CharField()
    nation = s.CharField()
    locality = nullable_text()
    page = s.CharField()
    status_on = StatusOn()
    status_history = StatusChangeSerializer(many=True)
    how_to_refer = s.CharField()
    accepts_from = nullable_text()
    accepts_to_months = s.IntegerField(**NULL)
    ages_checked_on = nullable_date()
    languages = s.ListField(child=s.CharField())
    website = nullable_text()
    website_checked_on = nullable_date()
    coverage = ServiceCoverageSerializer(many=True)
    staffing = StaffingSerializer(many=True)
    staffing_total_wte = s.FloatField(**NULL, help_text="Null: no staffing recorded "
                                                        "(unknown, not 0).")
    interventions = InterventionSerializer(many=True)
    funding = s.ListField(child=s.CharField())
    definition_verdict = VerdictSerializer()
    last_confirmed = ConfirmationSerializer()
    sources = ConfirmationSerializer(many=True)
    source_note = nullable_text()


class PlanningAreaSerializer(FigureMeta):
    scheme = s.CharField()
    code = s.CharField()
    name = s.CharField()
    nation = s.CharField()
    births = s.IntegerField(**NULL)
    population_0_2 = s.IntegerField(**NULL)
    needed_wte = s.FloatField(**NULL)
    existing_wte = s.FloatField(**NULL, help_text="Null: a covering team recorded no "
                                                  "staffing.")
    staffing_known = s.BooleanField()
    teams_staffing_not_recorded = s.IntegerField()
    gap_low_wte = s.FloatField(**NULL)
    gap_high_wte = s.FloatField(**NULL)
    team_cost_low = s.IntegerField(**NULL)
    team_cost_high = s.IntegerField(**NULL)
    annual_cost = s.IntegerField(**NULL)
    gap_cost_low = s.IntegerField(**NULL)
    gap_cost_high = s.IntegerField(**NULL)
    existing_wte_per_1000_births = s.FloatField(**NULL)
    page = s.CharField()


class CampaignSerializer(s.Serializer):
    id = s.IntegerField()
    name = s.CharField()
    questions = s.ChoiceField(choices=["2019", "own"], help_text="The 2019 questions (results "
                              "by 2019 CCG: foi/campaigns/{id}/areas/) or the campaign's own "
                              "(results by today's ICB and sub-ICB location: "
                              "foi/campaigns/{id}/todays-areas/).")
    period_label = nullable_text()
    period_starts_on = nullable_date()
    period_ends_on = nullable_date()
    checked_answers = s.IntegerField()
    areas_answered = s.IntegerField(allow_null=True, help_text="2019 CCGs with a checked "
                                    "answer; null for a campaign with its own questions.")
    bodies_answered = s.IntegerField()


def _todays_area_fields():
    from cradle.foi.area_analysis import RANGES

    fields = {}
    for role in ("commissioners", "trusts"):
        for range_ in RANGES:
            prefix = f"{role}_{range_.key}"
            fields |= {
                f"{prefix}_total": s.IntegerField(allow_null=True, help_text=(
                    f"The {role}' counts {range_.label} added up, over those that gave a "
                    "number; null if none did or the bands cannot give it.")),
                f"{prefix}_computable": s.BooleanField(),
                f"{prefix}_gave_number": s.IntegerField(),
                f"{prefix}_bodies": s.IntegerField(),
                f"{prefix}_not_given": nullable_text()}
    return fields


TodaysAreaSerializer = type("TodaysAreaSerializer", (FigureMeta,), {
    "area_type": s.ChoiceField(choices=["icb", "sub_icb_location"]),
    "area_code": s.CharField(), "area_name": s.CharField(),
    "in_icbs": nullable_text(), "bodies_speaking": s.IntegerField(),
    "bodies_answered": s.IntegerField(), "count_question": s.CharField(),
    **_todays_area_fields(), "saw_under3": s.CharField(),
    "__module__": __name__,
})


def _foi_fields():
    from cradle.foi.responses_csv import ANSWER_FIELDS

    fields = {}
    for name in ANSWER_FIELDS:
        fields[name] = (s.BooleanField(**NULL) if name.startswith("accepts")
                        else s.IntegerField(**NULL))
    return fields


FoiAreaSerializer = type("FoiAreaSerializer", (FigureMeta,), {
    "area_code": s.CharField(help_text="ODS code of the 2019 CCG."),
    "area_gss_code": s.CharField(), "area_name": s.CharField(), "area_scheme": s.CharField(),
    "status": s.ChoiceField(choices=["accepts", "accepts-none", "no-data"]),
    **_foi_fields(),
    "referred_under3": s.IntegerField(**NULL), "accessed_under3": s.IntegerField(**NULL),
    "pct_referred_under3": s.FloatField(**NULL), "pct_accessed_under3": s.FloatField(**NULL),
    "data_source": nullable_text(),
    "population_0_2_mid_2019": s.IntegerField(**NULL),
    "population_0_17_mid_2019": s.IntegerField(**NULL),
    "pct_population_under3": s.FloatField(**NULL),
    "__module__": __name__,
})


class PooledRowSerializer(FigureMeta):
    period_start = s.DateField()
    period_end = s.DateField()
    nation = s.CharField()
    teams_pooled = s.IntegerField()
    protected = s.BooleanField()
    section = s.CharField()
    item = s.CharField()
    value = s.FloatField(**NULL, help_text="Null: suppressed or not applicable (see "
                                           "suppression_reason).")
    lower = s.FloatField(**NULL)
    upper = s.FloatField(**NULL)
    interval = nullable_text()
    percent = s.FloatField(**NULL)


class MilestoneSerializer(FigureMeta):
    on = s.DateField()
    teams = s.IntegerField()
    in_development = s.IntegerField(**NULL)
    publication = s.CharField()
    publisher = s.CharField()
    url = nullable_text()
    note = nullable_text()


class ErrorSerializer(s.Serializer):
    detail = s.CharField()


class ParameterErrorSerializer(s.Serializer):
    detail = s.CharField()
    parameter = s.CharField(help_text="The query parameter at fault.")


_PAGES: dict = {}


def paged(item) -> type:
    """The page of `item` rows: count, next and previous links, and the rows."""
    name = item.__name__.removesuffix("Serializer") + "Page"
    if name not in _PAGES:
        _PAGES[name] = type(name, (s.Serializer,), {
            "count": s.IntegerField(), "next": s.CharField(allow_null=True),
            "previous": s.CharField(allow_null=True), "results": item(many=True),
            "__module__": __name__})
    return _PAGES[name]


def listed(item, extra: dict | None = None) -> type:
    """An unpaged list of `item` rows, with the figures' date when there is one."""
    name = item.__name__.removesuffix("Serializer") + "List"
    if name not in _PAGES:
        _PAGES[name] = type(name, (s.Serializer,), {
            **(extra or {}), "count": s.IntegerField(), "results": item(many=True),
            "__module__": __name__})
    return _PAGES[name]
