"""Surveys of professionals: a survey (its own copy of the questions), its anonymous responses,
free-text answers kept apart, the repeated-submission guard and staged file imports.

Nothing about a respondent is stored: no account, no address, no browser, no time of day (a
response has the date only). The guard holds keyed hashes of random per-browser tokens with
no link to any response, no order and no time. See docs/adr/0025-survey-of-professionals.md.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from .questions import Question, question_from


class SurveyState(models.TextChoices):
    DRAFT = "draft", "Not open yet"
    OPEN = "open", "Open for answers"
    CLOSED = "closed", "Closed"


class SurveyQuerySet(models.QuerySet):
    def published(self):
        return self.filter(results_published=True)

    def open_for_answers(self):
        return self.filter(state=SurveyState.OPEN)

    def asked_before(self, survey):
        """Published surveys of earlier years (for year-on-year comparison), oldest first."""
        return self.published().filter(year__lt=survey.year).exclude(pk=survey.pk).order_by(
            "year", "created_at")


class Survey(models.Model):
    name = models.CharField(max_length=200)
    year = models.PositiveSmallIntegerField(help_text="The year the survey is about, for "
                                                      "year-on-year comparison")
    question_set_key = models.CharField(max_length=60)
    question_set_version = models.PositiveSmallIntegerField()
    question_ids = models.JSONField(default=list)
    questions = models.JSONField(default=list)  # each question as Question.as_data()
    public_token = models.CharField(max_length=64, unique=True)
    state = models.CharField(max_length=10, choices=SurveyState.choices,
                             default=SurveyState.DRAFT)
    results_published = models.BooleanField(default=False)
    opened_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=SurveyState.values),
                                   name="survey_state_known"),
            models.CheckConstraint(condition=Q(results_published=False) | Q(state="closed"),
                                   name="survey_published_when_closed"),
        ]

    def __str__(self):
        return f"{self.name} ({self.year})"

    def question_list(self) -> list[Question]:
        return [question_from(data) for data in self.questions]


class ResponseSource(models.TextChoices):
    WEB = "web", "Answered on Cradle"
    FILE = "file", "Imported from a file"


class SurveyResponseQuerySet(models.QuerySet):
    def for_survey(self, survey: Survey):
        return self.filter(survey=survey)


class SurveyResponse(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    submitted_on = models.DateField()
    source = models.CharField(max_length=10, choices=ResponseSource.choices)
    area = models.ForeignKey("geography.Area", on_delete=models.PROTECT, null=True,
                             blank=True, related_name="+")
    nation = models.CharField(max_length=20, blank=True)
    # Every answer but free text, by question id: a choice key, a list of keys or a number.
    answers = models.JSONField(default=dict)

    objects = SurveyResponseQuerySet.as_manager()

    class Meta:
        constraints = [models.CheckConstraint(
            condition=Q(source__in=ResponseSource.values), name="survey_response_source_known")]


class FreeTextAnswerQuerySet(models.QuerySet):
    def for_coordinators(self, survey: Survey):
        """Free text of a survey, in alphabetical order so that nothing ties an answer to the
        response it came with."""
        return self.filter(response__survey=survey).order_by("question_id", "text")


class FreeTextAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE,
                                 related_name="free_text")
    question_id = models.CharField(max_length=40)
    text = models.TextField()

    objects = FreeTextAnswerQuerySet.as_manager()


class SubmissionGuard(models.Model):
    """A keyed hash of the random token a browser was given for one survey: a second answer
    carrying the same token is refused. No id sequence, no time and no link to the response,
    so the table cannot say which response a browser sent."""

    token_hash = models.CharField(max_length=64, primary_key=True)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="+")


class ImportState(models.TextChoices):
    STAGED = "staged", "Checked, waiting for confirmation"
    IMPORTED = "imported", "Imported"


class SurveyImport(models.Model):
    """A file of responses checked and waiting for a coordinator's confirmation; confirmed at
    most once, and the same file is never imported twice into one survey."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="imports")
    token = models.CharField(max_length=64, unique=True)
    file_sha256 = models.CharField(max_length=64)
    filename = models.CharField(max_length=200)
    rows = models.JSONField(default=list)
    row_count = models.PositiveIntegerField()
    state = models.CharField(max_length=10, choices=ImportState.choices,
                             default=ImportState.STAGED)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(
            fields=["survey", "file_sha256"], condition=Q(state="imported"),
            name="survey_file_imported_once")]
