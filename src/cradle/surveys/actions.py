"""Writes for surveys: each in one transaction.

A coordinator's writes (build, open, close, publish, import) are audited with field names
only. An anonymous answer is deliberately not: an audit entry carries the request's address
and the exact time, which together with any web server log would tie the answer to a person
(docs/adr/0025-survey-of-professionals.md). What is stored of an answer is its date, the
answers themselves and, apart, a keyed hash of the browser's random token.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable, Mapping

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from cradle.audit import recorder
from cradle.audit.models import Action
from cradle.geography.models import Area

from .models import (
    FreeTextAnswer,
    ImportState,
    ResponseSource,
    SubmissionGuard,
    Survey,
    SurveyImport,
    SurveyResponse,
    SurveyState,
)
from .questions import AREA, TEXT, Question, QuestionSet

GUARD_SALT = "cradle.surveys.guard"


class SurveyActionError(ValueError):
    pass


class AlreadyAnswered(SurveyActionError):
    pass


def _audit(user, obj, action: str, fields: Iterable[str], note: str = "") -> None:
    recorder.record_many(user, [recorder.event_for(obj, action, tuple(fields), note)])


def create_survey(*, user, name: str, year: int, question_set: QuestionSet,
                  question_ids: Iterable[str]) -> Survey:
    wanted = list(question_ids)
    questions = [q for q in question_set.questions if q.id in wanted]
    if not questions:
        raise SurveyActionError("Choose at least one question")
    with transaction.atomic():
        survey = Survey.objects.create(
            name=name.strip(), year=year, question_set_key=question_set.key,
            question_set_version=question_set.version,
            question_ids=[q.id for q in questions], questions=[q.as_data() for q in questions],
            public_token=secrets.token_urlsafe(24))
        _audit(user, survey, Action.CREATE, ("name", "year", "question_set_key",
                                             "question_set_version", "question_ids"))
    return survey


def _change_state(user, survey: Survey, **changes) -> Survey:
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        for name, value in changes.items():
            setattr(locked, name, value)
        locked.save(update_fields=list(changes))
        _audit(user, locked, Action.CHANGE, changes)
    return locked


def open_survey(*, user, survey: Survey) -> Survey:
    if survey.state != SurveyState.DRAFT:
        raise SurveyActionError("Only a survey that is not open yet can be opened")
    return _change_state(user, survey, state=SurveyState.OPEN, opened_on=timezone.localdate())


def close_survey(*, user, survey: Survey) -> Survey:
    if survey.state != SurveyState.OPEN:
        raise SurveyActionError("Only an open survey can be closed")
    return _change_state(user, survey, state=SurveyState.CLOSED, closed_on=timezone.localdate())


def publish_results(*, user, survey: Survey, published: bool = True) -> Survey:
    if published and survey.state != SurveyState.CLOSED:
        # An open survey's figures change with each answer, and two releases a day apart
        # would differ by that day's answers: publish once the answers are in.
        raise SurveyActionError("Close the survey before publishing its results")
    return _change_state(user, survey, results_published=published)


# Answers -----------------------------------------------------------------------------------

def area_lookup(questions: Iterable[Question]) -> dict[str, tuple[int, str]]:
    """Code -> (id, nation) of every area the survey's area question offers."""
    schemes = {q.scheme for q in questions if q.kind == AREA}
    return {code: (pk, nation) for pk, code, nation in
            Area.objects.filter(scheme__in=schemes).values_list("pk", "code", "nation")}


def area_codes(questions: Iterable[Question]) -> dict[str, str]:
    """Code -> nation, as `questions.check_answer` takes them."""
    return {code: nation for code, (_, nation) in area_lookup(questions).items()}


def guard_hash(survey: Survey, token: str) -> str:
    return salted_hmac(GUARD_SALT, f"{survey.pk}:{token}", algorithm="sha256").hexdigest()


def _response(survey: Survey, questions: list[Question], answers: Mapping, source: str,
              areas: Mapping[str, tuple[int, str]],
              on) -> tuple[SurveyResponse, list[FreeTextAnswer]]:
    area_question = next((q for q in questions if q.kind == AREA), None)
    code = answers.get(area_question.id) if area_question else None
    area_pk, nation = areas.get(code, (None, "")) if code else (None, "")
    stored = {q.id: answers[q.id] for q in questions
              if q.kind != TEXT and answers.get(q.id) not in (None, [])}
    response = SurveyResponse(survey=survey, submitted_on=on, source=source, area_id=area_pk,
                              nation=nation, answers=stored)
    texts = [FreeTextAnswer(response=response, question_id=q.id, text=answers[q.id])
             for q in questions if q.kind == TEXT and answers.get(q.id)]
    return response, texts


def submit_response(*, survey: Survey, answers: Mapping, guard_token: str) -> SurveyResponse:
    """Store one anonymous answer, once per browser token; AlreadyAnswered for a repeat."""
    if not guard_token:
        raise SurveyActionError("The form has expired: open the survey's link again")
    questions = survey.question_list()
    areas = area_lookup(questions)
    with transaction.atomic():
        current = Survey.objects.select_for_update().get(pk=survey.pk)
        if current.state != SurveyState.OPEN:
            raise SurveyActionError("This survey is closed")
        try:
            with transaction.atomic():
                SubmissionGuard.objects.create(token_hash=guard_hash(current, guard_token),
                                               survey=current)
        except IntegrityError:
            raise AlreadyAnswered("You have already answered this survey") from None
        response, texts = _response(current, questions, answers, ResponseSource.WEB, areas,
                                    timezone.localdate())
        response.save()
        FreeTextAnswer.objects.bulk_create(texts)
    return response


# Imports -----------------------------------------------------------------------------------

def stage_import(*, user, survey: Survey, filename: str, file_sha256: str,
                 rows: list[dict]) -> SurveyImport:
    """Keep checked rows until a coordinator confirms them."""
    if survey.results_published:
        raise SurveyActionError("The results are published: withdraw them before importing")
    if SurveyImport.objects.filter(survey=survey, file_sha256=file_sha256,
                                   state=ImportState.IMPORTED).exists():
        raise SurveyActionError("This file has already been imported into this survey")
    with transaction.atomic():
        staged = SurveyImport.objects.create(
            survey=survey, token=secrets.token_urlsafe(24), file_sha256=file_sha256,
            filename=filename[:200], rows=rows, row_count=len(rows), user=user)
        _audit(user, staged, Action.CREATE, ("survey", "file_sha256", "row_count"))
    return staged


def confirm_import(*, user, survey: Survey, token: str) -> tuple[SurveyImport, bool]:
    """Write a staged file's responses, once: (the import, True) when this call wrote them,
    (the import, False) when an earlier confirmation already had."""
    with transaction.atomic():
        claimed = SurveyImport.objects.filter(
            survey=survey, token=token, user=user, state=ImportState.STAGED).update(
            state=ImportState.IMPORTED, imported_at=timezone.now())
        staged = SurveyImport.objects.filter(survey=survey, token=token, user=user).first()
        if staged is None:
            raise SurveyActionError("There is no checked file to import: upload it again")
        if not claimed:
            return staged, False
        if Survey.objects.filter(pk=survey.pk, results_published=True).exists():
            raise SurveyActionError("The results are published: withdraw them before "
                                    "importing")
        questions = survey.question_list()
        areas = area_lookup(questions)
        made = [_response(survey, questions, row["answers"], ResponseSource.FILE, areas,
                          row["submitted_on"]) for row in staged.rows]
        responses = SurveyResponse.objects.bulk_create([response for response, _ in made])
        texts = []
        for response, (_, row_texts) in zip(responses, made, strict=True):
            for text in row_texts:
                text.response = response
                texts.append(text)
        FreeTextAnswer.objects.bulk_create(texts)
        _audit(user, staged, Action.CHANGE, ("state", "imported_at"),
               note=f"imported {len(responses)} survey responses")
    return staged, True
