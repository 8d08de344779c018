"""Forms for the outcomes pages. They only shape input: the actions validate and write, and an
`InvalidRecord` they raise is shown against the field it names (`add_action_error`). So that a
form shows all its errors at once, its clean() also runs the action's rules from validation.py
on the fields that did clean (`show_rule`); the action still applies them all."""

from __future__ import annotations

from django import forms

from cradle.core.forms import DayMonthYearField, error_list, today_field

from . import validation
from . import vocabulary as v
from .validation import InvalidRecord

__all__ = ["CaseEditForm", "CaseForm", "ContactForm", "DecisionForm",
           "ReferralForm", "add_action_error", "error_list", "show_rule"]

YES_NO_UNKNOWN = (("yes", "Yes"), ("no", "No"), ("", "Not known"))


def _capfirst(text: str) -> str:
    return text[:1].upper() + text[1:]


def add_action_error(form: forms.Form, error: InvalidRecord, aliases=None) -> None:
    """Show the action's refusal against the form field it names (or above the form).
    `aliases` maps the action's field names to the form's, or is a function (field, message)
    -> form field name."""
    aliases = aliases or {}
    for field, messages in error.message_dict.items():
        for message in messages:
            name = (aliases(field, message) if callable(aliases)
                    else aliases.get(field, field))
            form.add_error(name if name in form.fields else None, _capfirst(message))


def show_rule(form: forms.Form, rule, *args, aliases=None, **kwargs) -> None:
    """Run one of the action's rules in a form's clean(), so its refusal is shown with the
    form's own errors rather than only once those are fixed."""
    try:
        rule(*args, **kwargs)
    except InvalidRecord as error:
        add_action_error(form, error, aliases)


def show_case_rules(form: forms.Form, data: dict) -> None:
    """The NHS number, month of birth and postcode rules of create_case and change_case."""
    nhs_number = data.get("nhs_number", "").strip()
    if nhs_number:
        show_rule(form, validation.nhs_number_digits, nhs_number)
    month = data.get("baby_birth_month", "").strip()
    if month and "birth_month_is_due_month" in data:
        show_rule(form, validation.checked_birth_month, month, None,
                  due=data["birth_month_is_due_month"])
    postcode = data.get("postcode_district", "").strip()
    if postcode:
        show_rule(form, validation.checked_postcode, postcode)


def choice_pairs(pairs, blank: str | None = None):
    choices = [(key, label) for key, label, *_ in pairs]
    return [("", blank), *choices] if blank is not None else choices


def _yes_no(value: str) -> bool | None:
    return {"yes": True, "no": False}.get(value)


class CaseForm(forms.Form):
    team_reference = forms.CharField(
        max_length=40, label="Team reference",
        help_text="Your team's own reference for the family. Not a name or an NHS number.",
        error_messages={"required": "Enter the team's reference for the family"})
    nhs_number = forms.CharField(
        required=False, max_length=20, label="Baby's NHS number (optional)",
        help_text="Stored only as a pseudonym: Cradle keeps a keyed code made from the number, "
                  "never the number itself.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    baby_birth_month = forms.CharField(
        required=False, max_length=7, label="Month of birth or due month (optional)",
        help_text="Year and month as YYYY-MM, for example 2026-03.")
    birth_month_is_due_month = forms.BooleanField(
        required=False, label="This is the expected due month (the baby is not born yet)")
    postcode_district = forms.CharField(
        required=False, max_length=10, label="Postcode district (optional)",
        help_text="Only the first half of the postcode is kept, for example LS1.")

    def clean(self):
        data = super().clean()
        if data.get("team_reference"):
            show_rule(self, validation.checked_reference_text, data["team_reference"])
        show_case_rules(self, data)
        return data


class CaseEditForm(forms.Form):
    """Change what a case records; the team reference stays (it is how the team finds it)."""

    nhs_number = forms.CharField(
        required=False, max_length=20, label="Baby's NHS number",
        help_text="Leave empty to keep what is recorded. Stored only as a pseudonym.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}))
    baby_birth_month = CaseForm.base_fields["baby_birth_month"]
    birth_month_is_due_month = CaseForm.base_fields["birth_month_is_due_month"]
    postcode_district = CaseForm.base_fields["postcode_district"]

    def clean(self):
        data = super().clean()
        show_case_rules(self, data)
        return data

    @classmethod
    def for_case(cls, case, data=None) -> CaseEditForm:
        return cls(data, initial={"baby_birth_month": case.baby_birth_month,
                                  "birth_month_is_due_month": case.birth_month_is_due_month,
                                  "postcode_district": case.postcode_district})

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {"nhs_number": data["nhs_number"].strip() or None,
                "baby_birth_month": data["baby_birth_month"].strip(),
                "birth_month_is_due_month": data["birth_month_is_due_month"],
                "postcode": data["postcode_district"].strip()}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label="Decision", widget=forms.RadioSelect,
                                 choices=choice_pairs(v.DECISIONS),
                                 error_messages={"required": "Choose the decision"})
    decided_on = today_field("Date of the decision")

    def __init__(self, *args, referred_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.referred_on = referred_on

    def clean(self):
        data = super().clean()
        if data.get("decided_on") is not None:
            show_rule(self, validation.decision_date, data["decided_on"], self.referred_on)
        return data


class ReferralForm(forms.Form):
    referred_on = today_field("Date of referral")
    referrer_type = forms.ChoiceField(
        label="Who referred", choices=choice_pairs(v.REFERRER_TYPES, "Choose who referred"),
        error_messages={"required": "Choose who referred the family"})
    relationship = forms.ChoiceField(
        required=False, label="Caregiver's relationship to the baby",
        choices=choice_pairs(v.RELATIONSHIPS, "No caregiver recorded"))
    age_at_referral = forms.IntegerField(
        required=False, label="Caregiver's age at referral (optional)",
        help_text="In whole years, from 10 to 99.",
        error_messages={"invalid": "Enter the caregiver's age as a whole number of years"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    ethnic_category = forms.ChoiceField(
        label="Caregiver's ethnic category", choices=choice_pairs(v.ETHNIC_CATEGORIES),
        initial="Z")
    single_caregiver_household = forms.ChoiceField(
        required=False, label="Single caregiver household?", choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect, initial="")
    first_time_parent = forms.ChoiceField(
        required=False, label="First-time parent?", choices=YES_NO_UNKNOWN,
        widget=forms.RadioSelect, initial="")
    decision = forms.ChoiceField(
        required=False, label="Decision", widget=forms.RadioSelect, initial="",
        choices=[*choice_pairs(v.DECISIONS), ("", "Not decided yet")])
    decided_on = DayMonthYearField(what="Date of the decision", required=False,
                                   help_text="Leave empty if not decided yet.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.risk_field_names = []
        for domain, label in v.RISK_DOMAINS:
            name = f"risk_{domain}"
            self.fields[name] = forms.MultipleChoiceField(
                required=False, label=f"Risk factors: {label.lower()}",
                widget=forms.CheckboxSelectMultiple,
                choices=[(key, text) for key, text, d in v.RISK_FACTORS if d == domain])
            self.risk_field_names.append(name)

    @property
    def risk_fields(self):
        return [self[name] for name in self.risk_field_names]

    def clean(self):
        data = super().clean()
        if "decision" in data and "decided_on" in data:
            show_rule(self, validation.referral_decision, data["decision"], data["decided_on"],
                      data.get("referred_on"))
        if all(name in data for name in ("relationship", "age_at_referral", "ethnic_category")):
            show_rule(self, self.caregivers, data, aliases=self.action_aliases())
        return data

    @staticmethod
    def caregivers(data) -> list[dict]:
        if data["relationship"]:
            caregiver = {"relationship": data["relationship"],
                         "age_at_referral": data["age_at_referral"],
                         "ethnic_category": data["ethnic_category"]}
            validation.caregiver(0, caregiver)
            return [caregiver]
        if data["age_at_referral"] is not None:
            raise InvalidRecord("caregivers", "choose the caregiver's relationship to the baby, "
                                "or leave the age empty")
        return []

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "referred_on": data["referred_on"], "referrer_type": data["referrer_type"],
            "caregivers": self.caregivers(data),
            "single_caregiver_household": _yes_no(data["single_caregiver_household"]),
            "first_time_parent": _yes_no(data["first_time_parent"]),
            "risk_factors": [key for name in self.risk_field_names for key in data[name]],
            "decision": data["decision"], "decided_on": data["decided_on"],
        }

    def action_aliases(self) -> dict:
        return {"caregivers": "relationship", "risk_factors": self.risk_field_names[0]}


ATTENDEES = (("caregivers", "The caregivers"), ("baby", "The baby"))


def episode_label(episode) -> str:
    return (f"Started {episode.started_on:%-d %B %Y}"
            + (f", ended {episode.ended_on:%-d %B %Y}" if episode.ended_on else " (open)"))


class ContactForm(forms.Form):
    episode = forms.ModelChoiceField(
        queryset=None, label="Episode", empty_label=None,
        error_messages={"required": "Choose the episode",
                        "invalid_choice": "Choose one of the case's episodes"})
    on = today_field("Date of the contact")
    mode = forms.ChoiceField(label="How", choices=choice_pairs(v.CONTACT_MODES, "Choose how"),
                             error_messages={"required": "Choose how the contact took place"})
    outcome = forms.ChoiceField(label="Outcome", choices=choice_pairs(v.CONTACT_OUTCOMES),
                                widget=forms.RadioSelect,
                                error_messages={"required": "Choose the outcome"})
    minutes = forms.IntegerField(
        required=False, min_value=0, max_value=1440, label="Length in minutes",
        help_text="0 or empty if the contact did not take place.",
        error_messages={"invalid": "Enter the length as a whole number of minutes",
                        "min_value": "Enter a length of 0 minutes or more",
                        "max_value": "Enter a length of at most 1440 minutes"},
        widget=forms.TextInput(attrs={"inputmode": "numeric"}))
    attended = forms.MultipleChoiceField(
        required=False, label="Who attended", widget=forms.CheckboxSelectMultiple,
        choices=ATTENDEES, help_text="Only if the contact took place. Select all that apply.")
    delivered_by = forms.ModelChoiceField(
        queryset=None, label="Held by", empty_label="Not recorded", required=False,
        help_text="The team member who held the contact.",
        error_messages={"invalid_choice": "Choose a member of the team"})

    def __init__(self, *args, episodes, team_members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["episode"].queryset = episodes
        self.fields["episode"].label_from_instance = episode_label
        self.fields["delivered_by"].queryset = team_members

    def clean(self):
        """The episode's dates and the attendance rule too, so they are shown with the other
        fields' errors at once (the action applies them again)."""
        data = super().clean()
        episode, on = data.get("episode"), data.get("on")
        if episode is not None and on is not None:
            try:
                validation.contact_date(on, started_on=episode.started_on,
                                        ended_on=episode.ended_on)
            except InvalidRecord as error:
                add_action_error(self, error)
        if data.get("outcome") and "minutes" not in self.errors:
            attended = data.get("attended") or []
            try:
                validation.contact_took_place(
                    data["outcome"], minutes=data.get("minutes") or 0,
                    caregivers_attended="caregivers" in attended, baby_attended="baby" in attended)
            except InvalidRecord as error:
                add_action_error(self, error)
        return data

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {"episode": data["episode"], "on": data["on"], "mode": data["mode"],
                "outcome": data["outcome"], "minutes": data["minutes"] or 0,
                "caregivers_attended": "caregivers" in data["attended"],
                "baby_attended": "baby" in data["attended"],
                "delivered_by": data["delivered_by"]}
