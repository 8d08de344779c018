"""Forms for episodes of work (open, close, interventions), feedback and workforce activity.

Like forms.py they only shape input; the actions validate and write, and clean() shows the
actions' rules with the fields' own errors (forms.show_rule).
"""

from __future__ import annotations

from django import forms

from cradle.core.forms import today_field
from cradle.directory import vocabulary as directory_vocabulary

from . import validation
from . import vocabulary as v
from .forms import choice_pairs, show_rule


def _referral_label(referral) -> str:
    decision = (f", {referral.get_decision_display().lower()}" if referral.decision
                else ", not decided yet")
    return (f"Referred {referral.referred_on:%-d %B %Y} by "
            f"{referral.get_referrer_type_display().lower()}{decision}")


def interventions_field(**kwargs) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        required=False, label="Interventions delivered", widget=forms.CheckboxSelectMultiple,
        choices=choice_pairs(directory_vocabulary.INTERVENTIONS),
        help_text="Select all that apply. You can change these later.", **kwargs)


class EpisodeOpenForm(forms.Form):
    started_on = today_field("Date the work started")
    referral = forms.ModelChoiceField(
        queryset=None, required=False, label="The referral this work follows",
        empty_label="Not linked to a referral",
        error_messages={"invalid_choice": "Choose one of the case's referrals"})
    interventions = interventions_field()

    def __init__(self, *args, referrals, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referral"].queryset = referrals
        self.fields["referral"].label_from_instance = _referral_label
        latest = referrals.order_by("-referred_on", "-pk").first()
        if latest is not None:
            self.fields["referral"].initial = latest.pk

    def clean(self):
        data = super().clean()
        self.show_rules(data)
        return data

    def show_rules(self, data: dict) -> None:
        """actions.open_episode's rules on the referral the work follows."""
        referral = data.get("referral")
        if referral is None:
            return
        if data.get("started_on"):
            show_rule(self, validation.episode_after_referral, data["started_on"],
                      referral.referred_on)
        show_rule(self, validation.one_open_episode,
                  referral.episodes.current().filter(ended_on__isnull=True).count())


class EpisodeCloseForm(forms.Form):
    ended_on = today_field("Date the work ended")
    discharge_reason = forms.ChoiceField(
        label="Why the work ended", widget=forms.RadioSelect,
        choices=choice_pairs(v.DISCHARGE_REASONS),
        error_messages={"required": "Choose why the work ended"})

    def __init__(self, *args, started_on, **kwargs):
        super().__init__(*args, **kwargs)
        self.started_on = started_on

    def clean(self):
        data = super().clean()
        if data.get("ended_on"):
            show_rule(self, validation.episode_end, data["ended_on"],
                      started_on=self.started_on)
        return data


class InterventionsForm(forms.Form):
    interventions = interventions_field()


class FeedbackForm(forms.Form):
    """One radio question per fixed question of the feedback form; no free text."""

    received_on = today_field("Date the feedback was given")

    QUESTION_LABELS = {
        "parent": {key: f"{key}. {question}"
                   for key, question in zip(v.ESQ_ITEMS, v.ESQ_QUESTIONS, strict=True)},
        "referrer": dict(v.REFERRER_QUESTIONS),
    }
    ANSWERS = {"parent": v.ESQ_ANSWERS, "referrer": v.REFERRER_ANSWERS}

    def __init__(self, *args, kind: str, started_on, **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.started_on = started_on
        questions, _allowed = v.FEEDBACK_FORMS[kind]
        self.question_names = []
        for key in questions:
            name = f"answer_{key}"
            self.fields[name] = forms.ChoiceField(
                required=False, label=self.QUESTION_LABELS[kind][key], widget=forms.RadioSelect,
                choices=[*choice_pairs(self.ANSWERS[kind]), ("", "Not answered")], initial="")
            self.question_names.append(name)

    @property
    def question_fields(self):
        return [self[name] for name in self.question_names]

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in self.question_names):
            self.add_error(self.question_names[0], "Answer at least one question")
        if data.get("received_on"):
            show_rule(self, validation.feedback_date, data["received_on"],
                      started_on=self.started_on)
        return data

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        answers = {name.removeprefix("answer_"): data[name]
                   for name in self.question_names if data.get(name)}
        return {"kind": self.kind, "received_on": data["received_on"], "answers": answers}


class WorkforceActivityForm(forms.Form):
    kind = forms.ChoiceField(label="What kind of activity", widget=forms.RadioSelect,
                             choices=choice_pairs(v.WORKFORCE_KINDS),
                             error_messages={"required": "Choose the kind of activity"})
    on = today_field("Date of the activity")
    topic = forms.CharField(
        required=False, max_length=200, label="Topic (optional)",
        help_text="For example, 'Understanding infant cues'. Do not name people.")
    audience_professions = forms.MultipleChoiceField(
        required=False, label="Professions of those attending",
        widget=forms.CheckboxSelectMultiple,
        choices=choice_pairs(directory_vocabulary.PROFESSIONS))
    attendees = forms.IntegerField(
        required=False, min_value=0, max_value=100000, label="Number attending (optional)",
        error_messages={"invalid": "Enter the number attending as a whole number",
                        "min_value": "Enter 0 or more attending"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}))

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {"kind": data["kind"], "on": data["on"], "topic": data["topic"],
                "audience_professions": data["audience_professions"],
                "attendees": data["attendees"]}
