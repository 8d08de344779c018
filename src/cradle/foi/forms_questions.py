"""Forms for a campaign's own questions: the period, the question list, and one body's answers
to them. Every check of the questions themselves is question_data.validate; every write goes
through actions.py."""

from __future__ import annotations

from django import forms

from cradle.core.forms import DayMonthYearField, today_field

from .forms import confirmation_note_field
from .question_data import (
    KIND_WORDS,
    AnswerStatus,
    QuestionDataError,
    QuestionKind,
    format_bands,
    parse_bands,
    validate,
)

EXTRA_QUESTIONS = 3  # blank rows offered for new questions each time the page is shown


class PeriodForm(forms.Form):
    period_label = forms.CharField(
        max_length=40, label="Period", help_text="Its short name, for example 2025/26.",
        error_messages={"required": "Enter the period the questions ask about, like 2025/26"})
    period_starts_on = DayMonthYearField(what="The day the period starts",
                                         label="Period starts", help_text="For example, 1 4 2025.")
    period_ends_on = DayMonthYearField(what="The day the period ends", label="Period ends",
                                       help_text="For example, 31 3 2026.")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_starts_on"), cleaned.get("period_ends_on")
        if start and end and end < start:
            self.add_error("period_ends_on", "The period must end on or after the day it starts")
        return cleaned


class QuestionForm(forms.Form):
    """One question: its id (its CSV column), type, wording and, for age bands, the bands."""

    id = forms.CharField(max_length=40, required=False, label="Id (column name)",
                         help_text="Lower-case letters, digits and _; left empty, one is made.")
    kind = forms.ChoiceField(choices=[("", "Choose a type")] + [
        (str(kind), words) for kind, words in KIND_WORDS.items()], required=False, label="Type")
    text = forms.CharField(max_length=1000, required=False, label="Question",
                           widget=forms.Textarea(attrs={"rows": 2}))
    bands = forms.CharField(max_length=200, required=False, label="Age bands, in months",
                            help_text="For a count for each age band: from-to, youngest first, "
                                      "for example 0-12, 12-24, 24-36.")
    part_of = forms.CharField(
        max_length=40, required=False, label="Part of the total in question (id)",
        help_text="For a count for each age band: the id of the count question whose total "
                  "the bands are part of, such as referred_0_18. Answers whose bands add up "
                  "to more than that total are then refused unless confirmed with a note.")

    @property
    def blank(self) -> bool:
        data = self.cleaned_data
        return not any((data.get(name) or "").strip() for name in ("id", "kind", "text",
                                                                    "bands", "part_of"))


class BaseQuestionFormSet(forms.BaseFormSet):
    def clean(self):
        """Build the question data and check it whole (question_data.validate), each problem
        naming the question by number and field."""
        super().clean()
        self.question_data = None
        # A row ticked for deletion is dropped whatever else it holds (Django's is_valid
        # ignores its errors too); any other row's errors are shown on the row.
        rows = [form for form in self.forms if not self._should_delete_form(form)]
        if any(form.errors for form in rows):
            raise forms.ValidationError("Correct the questions marked below")
        kept = [form for form in rows if not form.blank]
        items, problems = [], []
        taken = {form.cleaned_data["id"].strip() for form in kept}
        for number, form in enumerate(kept, start=1):
            data = form.cleaned_data
            question_id = data["id"].strip() or _new_id(taken)
            taken.add(question_id)
            item = {"id": question_id, "kind": data["kind"], "text": data["text"]}
            if data["kind"] == QuestionKind.AGE_BAND_COUNT:
                try:
                    item["bands"] = [{"from_months": b.from_months, "to_months": b.to_months}
                                     for b in parse_bands(data["bands"])]
                except ValueError as error:
                    problems.append(f"Question {number} ({question_id}), age bands: {error}")
            if data["part_of"].strip():
                item["part_of"] = data["part_of"].strip()
            items.append(item)
        self.question_data = {"version": 1, "questions": items}
        try:
            validate(self.question_data)
        except QuestionDataError as error:
            problems.extend(error.problems)
        if problems:
            raise forms.ValidationError(problems)


def _new_id(taken: set[str]) -> str:
    number = 1
    while f"q{number}" in taken:
        number += 1
    return f"q{number}"


QuestionFormSet = forms.formset_factory(QuestionForm, formset=BaseQuestionFormSet,
                                        extra=EXTRA_QUESTIONS, can_delete=True)


def question_initial(questions) -> list[dict]:
    return [{"id": q.id, "kind": str(q.kind), "text": q.text, "bands": format_bands(q.bands),
             "part_of": q.part_of} for q in questions]


# One body's answers --------------------------------------------------------------------------

STATUS_CHOICES = [("", "As entered above (empty: not answered)"),
                  (AnswerStatus.NOT_KNOWN.value, "Not known"),
                  (AnswerStatus.REFUSED.value, "Refused or withheld")]
YES_NO_CHOICES = [("yes", "Yes"), ("no", "No"), (AnswerStatus.NOT_KNOWN.value, "Not known"),
                  (AnswerStatus.REFUSED.value, "Refused or withheld"), ("", "Not answered")]


class AnswersForm(forms.Form):
    """A field per answer field, by type: yes/no as one choice; a count or a text as its value
    and a choice of "not known" or "refused", so an unknown is never typed as 0."""

    received_on = today_field("The date the response was received", label="Response received")
    comment = forms.CharField(required=False, label="Comment",
                              widget=forms.Textarea(attrs={"rows": 3}))
    reply_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                 label="Reply text", help_text="Paste the reply, if you like.")
    confirmation_note = confirmation_note_field()

    def __init__(self, *args, fields, **kwargs):
        super().__init__(*args, **kwargs)
        self.answer_fields = list(fields)
        for field in self.answer_fields:
            self.fields.update(_answer_form_fields(field))

    def groups(self):
        """(answer field, value box, status box) for the template, in question order."""
        return [(field, self[field.name],
                 self[f"{field.name}__status"] if field.value_kind != QuestionKind.YES_NO
                 else None) for field in self.answer_fields]

    def clean(self):
        cleaned = super().clean()
        for field in self.answer_fields:
            if field.value_kind == QuestionKind.YES_NO:
                continue
            value, status = cleaned.get(field.name), cleaned.get(f"{field.name}__status")
            if status and value not in (None, ""):
                self.add_error(field.name, f"{_where(field)}: give the answer or choose "
                                           f"{dict(STATUS_CHOICES)[status].lower()}, not both")
        return cleaned

    def answers(self) -> dict:
        """Cells by answer field (question_data), leaving out those not answered."""
        cells = {}
        for field in self.answer_fields:
            value = self.cleaned_data.get(field.name)
            if field.value_kind == QuestionKind.YES_NO:
                if value in ("yes", "no"):
                    cells[field.name] = {"status": "answered", "value": value == "yes"}
                elif value:
                    cells[field.name] = {"status": value}
                continue
            status = self.cleaned_data.get(f"{field.name}__status")
            if status:
                cells[field.name] = {"status": status}
            elif value not in (None, ""):
                cells[field.name] = {"status": "answered",
                                     "value": value.strip() if isinstance(value, str) else value}
        return cells

    @property
    def complete(self) -> bool:
        return len(self.answers()) == len(self.answer_fields)


def _where(field) -> str:
    text = field.question.text
    short = text if len(text) <= 60 else text[:60] + "…"
    return f"{field.label} (“{short}”)"


def _answer_form_fields(field) -> dict[str, forms.Field]:
    where = _where(field)
    label = field.question.text + (f" ({field.band.label})" if field.band else "")
    label = f"{field.number}. {label}"
    if field.value_kind == QuestionKind.YES_NO:
        return {field.name: forms.ChoiceField(
            choices=YES_NO_CHOICES, required=False, widget=forms.RadioSelect, label=label,
            error_messages={"invalid_choice": f"{where}: choose yes, no, not known, refused "
                                              "or not answered"})}
    if field.value_kind == QuestionKind.COUNT:
        value = forms.IntegerField(
            required=False, min_value=0, label=label,
            widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
            error_messages={"invalid": f"{where}: enter a whole number, like 12",
                            "min_value": f"{where}: enter 0 or more"})
    else:
        value = forms.CharField(required=False, label=label, max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 2}))
    status = forms.ChoiceField(
        choices=STATUS_CHOICES, required=False, widget=forms.RadioSelect,
        label=f"Or, for question {field.number}" + (f", {field.band.label}" if field.band
                                                   else ""),
        error_messages={"invalid_choice": f"{where}: choose not known, refused or neither"})
    return {field.name: value, f"{field.name}__status": status}
