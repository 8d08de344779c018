"""Forms: building a survey from a question set, answering one, and uploading responses."""

from __future__ import annotations

from django import forms
from django.utils import timezone

from cradle.geography.models import Area

from .questions import AREA, MULTIPLE, NUMBER, SINGLE, AnswerError, Question, check_answer


class SurveyForm(forms.Form):
    name = forms.CharField(max_length=200, label="Survey name")
    year = forms.IntegerField(min_value=2019, max_value=2100, label="Year the survey is about",
                              error_messages={"required": "Enter the year",
                                              "invalid": "Enter the year as a number"},
                              widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    questions = forms.MultipleChoiceField(
        widget=forms.CheckboxSelectMultiple, label="Questions to ask",
        error_messages={"required": "Choose at least one question"})

    def __init__(self, *args, question_set, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].initial = timezone.localdate().year
        self.fields["questions"].choices = [
            (q.id, f"{q.text} ({q.id}{'; example wording' if q.origin == 'example' else ''})")
            for q in question_set.questions]
        self.fields["questions"].initial = [q.id for q in question_set.questions]


def _field(question: Question, areas) -> forms.Field:
    common = {"label": question.text, "help_text": question.hint, "required": False}
    if question.kind == SINGLE:
        return forms.ChoiceField(choices=question.choices, widget=forms.RadioSelect, **common)
    if question.kind == MULTIPLE:
        return forms.MultipleChoiceField(choices=question.choices,
                                         widget=forms.CheckboxSelectMultiple, **common)
    if question.kind == AREA:
        return forms.ChoiceField(choices=[("", "Choose an area")] + areas, **common)
    if question.kind == NUMBER:
        return forms.CharField(max_length=20, widget=forms.TextInput(
            attrs={"inputmode": "numeric"}), **common)
    return forms.CharField(max_length=question.max_length, widget=forms.Textarea(
        attrs={"rows": 5}), **common)


class AnswerForm(forms.Form):
    """One field per question, named by its id; each checked by `questions.check_answer`."""

    def __init__(self, *args, questions: list[Question], area_codes: dict[str, str],
                 **kwargs):
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.area_codes = area_codes
        schemes = {q.scheme for q in questions if q.kind == AREA}
        areas = [(code, name) for code, name in Area.objects.filter(
            scheme__in=schemes).order_by("name").values_list("code", "name")]
        for question in questions:
            self.fields[question.id] = _field(question, areas)

    def clean(self):
        answers = {}
        for question in self.questions:
            if question.id in self.errors:
                continue
            try:
                answers[question.id] = check_answer(question, self.cleaned_data.get(question.id),
                                                    area_codes=self.area_codes)
            except AnswerError as error:
                self.add_error(question.id, f"{question.text}: {error}")
        if not self.errors and not any(v not in (None, []) for v in answers.values()):
            raise forms.ValidationError("Answer at least one question")
        self.answers = answers
        return self.cleaned_data


class ResponsesFileForm(forms.Form):
    file = forms.FileField(label="Responses file (CSV or XLSX)",
                           error_messages={"required": "Choose a file to import"})
