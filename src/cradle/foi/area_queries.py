"""Reads for the figures on today's areas (ADR 0034); the rules are in area_analysis.py.

Every answer used comes through ``answers_for_analysis``, so which answers count (today each
request's latest; later only checked ones) is decided in one place.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from cradle.geography.models import Area, AreaSuccession, LocalAuthorityOverlap

from .area_analysis import (
    TODAYS_ICB_SCHEME,
    TODAYS_SCHEMES,
    TODAYS_SUB_ICB_SCHEME,
    UNDER_1,
    UNDER_3,
    AreaFigures,
    AreaInput,
    BodyInput,
    Distribution,
    Range,
    Role,
    analyse_areas,
    distribution,
    period_note,
    tiling,
)
from .models import PRESET_2019, BodyKind, Campaign, FoiRequest, StructuredAnswer
from .question_data import QuestionKind, TypedQuestion

__all__ = ["CampaignAreaFigures", "TodaysAreaFigures", "answers_for_analysis",
           "campaign_area_figures", "count_questions", "todays_area_figures", "todays_areas"]


def answers_for_analysis(campaign: Campaign) -> list[StructuredAnswer]:
    """The structured answers a campaign's figures use: each request's latest checked answer
    (ADR 0031: an answer nobody has checked is in no figure)."""
    return StructuredAnswer.objects.for_campaign(campaign).checked().latest_per_request()


def count_questions(campaign: Campaign) -> list[TypedQuestion]:
    """The campaign's age-band count questions, any of which can count babies seen."""
    if campaign.uses_2019_analysis:
        return []
    return [q for q in campaign.typed_questions if q.kind == QuestionKind.AGE_BAND_COUNT]


def todays_areas() -> list[AreaInput]:
    """Today's ICBs and sub-ICB locations, each sub-ICB location with the ICBs it is in: its
    2024 ICB's successor of April 2026, or, where that ICB was split, the successors sharing a
    local authority with it (Frimley, split by the 2026 ICBs, is in two)."""
    areas = list(Area.objects.filter(scheme__in=TODAYS_SCHEMES).order_by("name"))
    subs = [area for area in areas if area.scheme == TODAYS_SUB_ICB_SCHEME]
    successors = defaultdict(list)
    for before, after in (AreaSuccession.objects
                          .filter(predecessor_id__in={a.parent_id for a in subs},
                                  successor__scheme=TODAYS_ICB_SCHEME)
                          .values_list("predecessor_id", "successor_id")):
        successors[before].append(after)
    councils = defaultdict(set)
    for area_id, council_id in LocalAuthorityOverlap.objects.filter(
            area__in=areas).values_list("area_id", "local_authority_id"):
        councils[area_id].add(council_id)
    found = []
    for area in areas:
        if area.scheme == TODAYS_ICB_SCHEME:
            found.append(AreaInput(area.pk, area.ods_code or area.code, area.name, True))
            continue
        icbs = successors.get(area.parent_id, [])
        if len(icbs) > 1:
            icbs = [icb for icb in icbs if councils[icb] & councils[area.pk]] or icbs
        found.append(AreaInput(area.pk, area.ods_code or area.code, area.name, False,
                               tuple(sorted(icbs))))
    return found


def _bodies(campaign: Campaign, area_keys: set[int]) -> list[BodyInput]:
    """Every body asked in the campaign, with its latest answer's cells (or None)."""
    answers = {answer.request_id: answer.answers for answer in answers_for_analysis(campaign)}
    requests = (FoiRequest.objects.for_campaign(campaign).select_related("body")
                .prefetch_related("body__areas"))
    bodies = []
    for request in requests:
        body = request.body
        role = Role.TRUST if body.kind == BodyKind.PROVIDER else Role.COMMISSIONER
        bodies.append(BodyInput(
            body.pk, body.ods_code, body.name, role,
            frozenset(area.pk for area in body.areas.all() if area.pk in area_keys),
            answers.get(request.pk)))
    return bodies


@dataclass(frozen=True)
class CampaignAreaFigures:
    campaign: Campaign
    question: TypedQuestion
    questions: list[TypedQuestion]
    icbs: list[AreaFigures]
    unmapped: list[BodyInput]  # asked, but speaking for none of today's areas
    distributions: tuple[Distribution, Distribution]
    period: str

    @property
    def cannot_compute(self) -> list[Range]:
        """The ranges the question's bands do not exactly cover."""
        return [r for r in (UNDER_1, UNDER_3) if tiling(self.question.bands, r.to_months) is None]

    @property
    def question_number(self) -> int:
        return [q.id for q in self.campaign.typed_questions].index(self.question.id) + 1

    def find(self, area_key: int) -> AreaFigures | None:
        for icb in self.icbs:
            if icb.area.key == area_key:
                return icb
            for part in icb.sub_areas:
                if part.area.key == area_key:
                    return part
        return None


def campaign_area_figures(campaign: Campaign,
                          question_id: str | None = None) -> CampaignAreaFigures | None:
    """The figures for a campaign with its own questions, counting with the chosen age-band
    count question (the first one by default); None if it has no such question."""
    questions = count_questions(campaign)
    if not questions:
        return None
    question = next((q for q in questions if q.id == question_id), questions[0])
    areas = todays_areas()
    bodies = _bodies(campaign, {area.key for area in areas})
    trusts = [body for body in bodies if body.role == Role.TRUST]
    return CampaignAreaFigures(
        campaign=campaign, question=question, questions=questions,
        icbs=analyse_areas(question, areas, bodies),
        unmapped=sorted((body for body in bodies if not body.areas),
                        key=lambda body: body.name),
        distributions=(distribution(question, trusts, UNDER_1),
                       distribution(question, trusts, UNDER_3)),
        period=period_note(campaign.period_label, campaign.period_starts_on,
                           campaign.period_ends_on))


@dataclass(frozen=True)
class TodaysAreaFigures:
    campaign: Campaign
    question: TypedQuestion
    figures: AreaFigures
    period: str


def todays_area_figures(area: Area) -> TodaysAreaFigures | None:
    """For the public area page: the latest campaign's figures for a today's ICB or sub-ICB
    location (the latest campaign with its own questions, an age-band count question and at
    least one answer to use), or None."""
    if area.scheme not in TODAYS_SCHEMES:
        return None
    campaigns = Campaign.objects.exclude(question_set=PRESET_2019).filter(
        structured_answers__isnull=False).distinct().order_by("-created_at", "-id")
    for campaign in campaigns:
        if not count_questions(campaign) or not answers_for_analysis(campaign):
            continue
        result = campaign_area_figures(campaign)
        figures = result.find(area.pk)
        if figures is None:
            return None
        return TodaysAreaFigures(campaign, result.question, figures, result.period)
    return None
