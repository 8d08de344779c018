"""Forms for internal reviews and complaints (ADR 0032). Each validates its input and puts a
date out of order by its own field; every write goes through actions_lifecycle.py, which
checks the same rules again (lifecycle.py)."""

from __future__ import annotations

from django import forms

from cradle.core.forms import DayMonthYearField, today_field

from .lifecycle import complaint_date_problems, review_date_problems
from .models_lifecycle import ComplaintOutcome, ReviewOutcome


def _past_day(what: str, label: str, help_text: str = "") -> DayMonthYearField:
    field = today_field(what, label=label, required=False, help_text=help_text)
    field.initial = None
    return field


def _add_problems(form: forms.Form, problems) -> None:
    for name, message in problems:
        if name not in form.fields:
            form.add_error(None, message)
        elif name not in form.errors:
            form.add_error(name, message)


class ReviewRequestForm(forms.Form):
    asked_on = today_field("The date the review was asked for", label="Date asked for")
    received_on = _past_day(
        "The date the body received the request for review", "Received by the body",
        help_text="The review's 20 working days count from this day. Leave it empty if the "
                  "request for review was emailed: it was received the day it was sent.")
    grounds = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}), label="Grounds for the review",
        help_text="What Cradle asked the body to look at again, as sent.",
        error_messages={"required": "Enter the grounds for the review"})

    def __init__(self, *args, foi_request, **kwargs):
        super().__init__(*args, **kwargs)
        self.foi_request = foi_request

    def clean(self):
        cleaned = super().clean()
        if not (cleaned.get("grounds") or "").strip() and "grounds" not in self.errors:
            self.add_error("grounds", "Enter the grounds for the review")
        _add_problems(self, review_date_problems(
            sent_on=self.foi_request.sent_on, asked_on=cleaned.get("asked_on"),
            received_on=cleaned.get("received_on")))
        return cleaned


class ReviewOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        choices=ReviewOutcome.choices, widget=forms.RadioSelect, label="Outcome",
        error_messages={"required": "Choose the review's outcome",
                        "invalid_choice": "Choose the review's outcome from the list"})
    outcome_on = today_field("The date of the review's outcome", label="Date of the outcome",
                             help_text="For no response, the day you recorded it.")
    reply_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                 label="The body's reply",
                                 help_text="Paste the review's decision, if there is one.")

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.review = review

    def clean(self):
        cleaned = super().clean()
        if self.review is not None:
            _add_problems(self, review_date_problems(
                sent_on=self.review.request.sent_on, asked_on=self.review.asked_on,
                outcome_on=cleaned.get("outcome_on")))
        return cleaned


class ComplaintForm(forms.Form):
    """Making a complaint (made_on and the rest), or updating an open one (made_on fixed)."""

    made_on = today_field("The date the complaint was made", label="Complaint made on")
    acknowledged_on = _past_day("The date the regulator acknowledged the complaint",
                                "Acknowledged on")
    regulator_reference = forms.CharField(max_length=100, required=False,
                                          label="The regulator's reference")
    decision_notice_on = _past_day("The date of the decision notice", "Decision notice on")
    outcome = forms.ChoiceField(
        choices=[("", "Not decided yet"), *ComplaintOutcome.choices], required=False,
        label="Outcome", error_messages={
            "invalid_choice": "Choose the complaint's outcome from the list"})
    notes = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False,
                            label="Notes")

    def __init__(self, *args, foi_request, complaint=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.foi_request, self.complaint = foi_request, complaint
        if complaint is not None:
            # Updating: the date it was made is fixed.
            del self.fields["made_on"]

    def clean(self):
        cleaned = super().clean()
        made_on = (self.complaint.made_on if self.complaint is not None
                   else cleaned.get("made_on"))
        _add_problems(self, complaint_date_problems(
            sent_on=self.foi_request.sent_on, made_on=made_on,
            acknowledged_on=cleaned.get("acknowledged_on"),
            decision_notice_on=cleaned.get("decision_notice_on")))
        return cleaned

    def details(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in ("acknowledged_on", "regulator_reference",
                                              "decision_notice_on", "outcome", "notes")}
