"""The forms that correct a record are the forms that recorded it (forms.py, episode_forms.py),
filled in with what is recorded, plus the reason. Nothing here has a check of its own: the
forms show the rules of validation.py, and the change actions (corrections.py) run the same
checks as creation."""

from __future__ import annotations

import copy

from django import forms

from . import validation
from .episode_forms import EpisodeCloseForm, EpisodeOpenForm, FeedbackForm, WorkforceActivityForm
from .forms import ContactForm, ReferralForm, show_rule
from .instruments import REGISTRY
from .measure_forms import MeasureForm
from .reasons import MAX_REASON
from .team_members import team_members

REASON_HINT = ("Say what was wrong, for example 'date typed wrong' or 'entered on the wrong "
               "case'. Do not write names, NHS numbers or other details about the family.")


def reason_field(label: str = "Reason for the correction") -> forms.CharField:
    return forms.CharField(
        max_length=MAX_REASON, label=label, help_text=REASON_HINT,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give the reason",
                        "max_length": f"Give the reason in at most {MAX_REASON} characters"})


def with_reason(form: forms.Form, label: str = "Reason for the correction") -> forms.Form:
    """The form with a required reason as its last field."""
    form.fields["reason"] = reason_field(label)
    return form


class WithdrawForm(forms.Form):
    reason = reason_field("Reason for withdrawing it")


def _answer(value: bool | None) -> str:
    return {True: "yes", False: "no"}.get(value, "")


def referral_form(referral, data=None) -> ReferralForm:
    person = referral.caregivers.first()
    initial = {"referred_on": referral.referred_on, "referrer_type": referral.referrer_type,
               "single_caregiver_household": _answer(referral.single_caregiver_household),
               "first_time_parent": _answer(referral.first_time_parent),
               "decision": referral.decision, "decided_on": referral.decided_on}
    if person is not None:
        initial |= {"relationship": person.relationship,
                    "age_at_referral": person.age_at_referral,
                    "ethnic_category": person.ethnic_category}
    form = ReferralForm(data, initial=initial)
    factors = set(referral.risk_factors.values_list("factor", flat=True))
    for name in form.risk_field_names:
        form.fields[name].initial = [key for key, _label in form.fields[name].choices
                                     if key in factors]
    return with_reason(form)


def referral_arguments(form: ReferralForm, referral) -> dict:
    """The creation form's arguments; caregivers after the first (the form shows one) stay."""
    arguments = form.action_arguments()
    others = [{"relationship": p.relationship, "age_at_referral": p.age_at_referral,
               "ethnic_category": p.ethnic_category} for p in referral.caregivers.all()[1:]]
    arguments["caregivers"] = [*arguments["caregivers"], *others]
    return arguments


class EpisodeCorrectionForm(EpisodeOpenForm):
    """The fields that open an episode and, for an episode that has ended, those that end it."""

    def __init__(self, *args, ended: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if ended:
            for name in ("ended_on", "discharge_reason"):
                self.fields[name] = copy.deepcopy(EpisodeCloseForm.base_fields[name])

    def show_rules(self, data: dict) -> None:
        """corrections.change_episode's rule on the end; it does not apply the open-episode
        rules of EpisodeOpenForm."""
        if data.get("started_on") and data.get("ended_on"):
            show_rule(self, validation.episode_end, data["ended_on"],
                      started_on=data["started_on"])

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {"started_on": data["started_on"], "referral": data["referral"],
                "interventions": data["interventions"],
                "ended_on": data.get("ended_on"),
                "discharge_reason": data.get("discharge_reason", "")}


def episode_form(episode, data=None) -> EpisodeCorrectionForm:
    referrals = episode.case.referrals.current().order_by("-referred_on", "-pk")
    form = EpisodeCorrectionForm(data, referrals=referrals, ended=episode.ended_on is not None,
                                 initial={
        "started_on": episode.started_on, "referral": episode.referral_id,
        "interventions": list(episode.interventions.values_list("intervention", flat=True)),
        "ended_on": episode.ended_on, "discharge_reason": episode.discharge_reason})
    form.fields["referral"].initial = episode.referral_id
    return with_reason(form)


def contact_form(contact, data=None) -> ContactForm:
    attended = [key for key, flag in (("caregivers", contact.caregivers_attended),
                                      ("baby", contact.baby_attended)) if flag]
    return with_reason(ContactForm(
        data, episodes=contact.episode.case.episodes.current().order_by("-started_on"),
        team_members=team_members(contact.episode.case.team),
        initial={"episode": contact.episode_id, "on": contact.on, "mode": contact.mode,
                 "outcome": contact.outcome, "minutes": contact.minutes,
                 "attended": attended, "delivered_by": contact.delivered_by_id}))


def measure_form(measure, data=None) -> MeasureForm:
    """The measure's own item form, filled in; the instrument itself is not changed by a
    correction (a measure entered as the wrong instrument is withdrawn and entered again)."""
    initial = {"timepoint": measure.timepoint, "administered_on": measure.administered_on,
               "episode": measure.episode_id, "entered_as": measure.entered_as}
    for number, item in enumerate(measure.items or [], start=1):
        initial[f"item_{number}"] = ("" if item is None
                                     else f"{item:g}" if isinstance(item, float) else str(item))
    if measure.entered_as == "total":
        initial["total"] = f"{measure.total:g}"
    if measure.entered_as == "subscales":
        initial.update({f"subscale_{name}": value
                        for name, value in (measure.subscales or {}).items()})
    return with_reason(MeasureForm(
        data, episodes=measure.case.episodes.current().order_by("-started_on"),
        instrument=REGISTRY[measure.instrument], initial=initial))


def feedback_form(feedback, data=None) -> FeedbackForm:
    return with_reason(FeedbackForm(data, kind=feedback.kind,
                                    started_on=feedback.episode.started_on, initial={
        "received_on": feedback.received_on,
        **{f"answer_{key}": value for key, value in feedback.answers.items()}}))


def workforce_form(activity, data=None) -> WorkforceActivityForm:
    return with_reason(WorkforceActivityForm(data, initial={
        "kind": activity.kind, "on": activity.on, "topic": activity.topic,
        "audience_professions": activity.audience_professions,
        "attendees": activity.attendees}))
