"""A survey's published figures, read through one builder for every page and download: the
coordinator's results, the public results and both CSV files show the same protected release."""

from __future__ import annotations

from cradle.geography.models import Area
from cradle.pooled.charts import Bar, bar_chart

from .models import Survey, SurveyResponse
from .questions import AREA, MULTIPLE, SINGLE
from .results import SUPPRESSED, QuestionResult, Reply, question_result, year_on_year


def replies(survey: Survey) -> list[Reply]:
    rows = SurveyResponse.objects.for_survey(survey).values_list("nation", "area__code",
                                                                  "answers")
    return [Reply(nation=nation or None, area=code, answers=answers)
            for nation, code, answers in rows]


def area_question(survey: Survey):
    return next((q for q in survey.question_list() if q.kind == AREA), None)


def area_choices(question) -> list[tuple[str, str]]:
    if question is None:
        return []
    return list(Area.objects.filter(scheme=question.scheme).order_by("name")
                .values_list("code", "name"))


def chosen_area(survey: Survey, code: str | None) -> Area | None:
    question = area_question(survey)
    if not code or question is None:
        return None
    return Area.objects.filter(scheme=question.scheme, code=code.strip().upper()[:20]).first()


def survey_results(survey: Survey, area: Area | None = None) -> list[QuestionResult]:
    found = replies(survey)
    where = (area.code, area.name, area.nation) if area else None
    return [question_result(q, found, area=where) for q in survey.question_list()]


def comparisons(survey: Survey, results: list[QuestionResult]) -> dict[str, list]:
    """For each question asked in an earlier published survey too (same id), the UK's figures
    of every earlier year beside this one's."""
    earlier = list(Survey.objects.asked_before(survey))
    if not earlier:
        return {}
    ids = {r.question.id for r in results}
    shared = [s for s in earlier if ids & set(s.question_ids)]
    per_survey = [(f"{s.year}", {r.question.id: r for r in survey_results(s)}) for s in shared]
    return {r.question.id: year_on_year(r.question, per_survey, (f"{survey.year}", r))
            for r in results if any(r.question.id in res for _, res in per_survey)}


def charts(results: list[QuestionResult]) -> dict[str, str]:
    """A bar chart of the UK's percentages for each choice question (hidden ones drawn empty)."""
    out = {}
    for result in results:
        if result.question.kind not in (SINGLE, MULTIPLE):
            continue
        bars = [Bar(label=label, value=None if share in (None, SUPPRESSED) else float(share),
                    text="*" if share == SUPPRESSED else (f"{share}%" if share else "–"))
                for (_, label), share in zip(result.columns, result.uk.percents, strict=True)]
        out[result.question.id] = bar_chart(bars, title=f"{result.question.text}: UK, per cent "
                                            "of those who answered", maximum=100)
    return out
