"""Forms for FOI campaign pages. Each form validates input; every write goes through
actions.py."""

from __future__ import annotations

from django import forms

from cradle.core.forms import DayMonthYearField, today_field
from cradle.foi.responses_csv import (
    ACCEPTS_FIELDS,
    BANDS,
    COUNT_FIELDS,
)
from cradle.geography.models import Area

from .letters import check
from .models import Body, BodyKind, Campaign, RequestState
from .question_data import preset_data
from .questions import DEFAULT_LETTER, QUESTION_SETS

COPY = "copy:"  # a choice of questions: a copy of the preset, to change

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


# Campaigns ---------------------------------------------------------------------------------

class CampaignForm(forms.Form):
    name = forms.CharField(max_length=200, error_messages={
        "required": "Enter a name for the campaign"})
    question_set = forms.ChoiceField(
        choices=[(key, f"{qs.name}, as they are") for key, qs in QUESTION_SETS.items()]
        + [(f"{COPY}{key}", f"A copy of “{qs.name}” to change: add, remove and edit "
                            "questions after creating the campaign")
           for key, qs in QUESTION_SETS.items()],
        initial="camhs-2019", widget=forms.RadioSelect,
        error_messages={"required": "Choose the questions to ask",
                        "invalid_choice": "Choose the questions to ask from the list"})
    period_label = forms.CharField(
        max_length=40, required=False, label="Period asked about",
        help_text="Its short name, for example 2025/26. Leave the period empty to ask a "
                  "preset's own period (2018/19 for the 2019 questions).")
    period_starts_on = DayMonthYearField(what="The day the period starts", required=False,
                                         label="Period starts", help_text="For example, 1 4 2025.")
    period_ends_on = DayMonthYearField(what="The day the period ends", required=False,
                                       label="Period ends", help_text="For example, 31 3 2026.")
    letter_template = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 18}), initial=DEFAULT_LETTER,
        label="Letter",
        help_text="Each body's letter is made from this. Placeholders in square brackets, "
                  "such as [body_name], are filled in for each body; the list is below the "
                  "box.",
        error_messages={"required": "Enter the letter"})
    signatory = forms.CharField(max_length=200, label="Signed by", error_messages={
        "required": "Enter the name the letters are signed with"})
    reply_to = forms.EmailField(label="Reply-to email address", error_messages={
        "required": "Enter the email address replies should go to",
        "invalid": "Enter an email address in the correct format, like name@example.com"})

    def clean_name(self):
        name = self.cleaned_data["name"].strip()
        if Campaign.objects.filter(name__iexact=name).exists():
            raise forms.ValidationError("A campaign with this name already exists")
        return name

    def clean_letter_template(self):
        text = self.cleaned_data["letter_template"]
        problems = check(text)
        if problems:
            raise forms.ValidationError(problems)
        return text

    def clean(self):
        cleaned = super().clean()
        period = [cleaned.get(name) for name in ("period_label", "period_starts_on",
                                                 "period_ends_on")]
        copying = (cleaned.get("question_set") or "").startswith(COPY)
        if any(period) or copying:
            for name, value, message in zip(
                    ("period_label", "period_starts_on", "period_ends_on"), period,
                    ("Enter the period the questions ask about, like 2025/26",
                     "Enter the day the period starts", "Enter the day the period ends"),
                    strict=True):
                if not value and name not in self.errors:
                    self.add_error(name, message)
        if period[1] and period[2] and period[2] < period[1]:
            self.add_error("period_ends_on", "The period must end on or after the day it starts")
        return cleaned

    def campaign_kwargs(self) -> dict:
        """create_campaign's arguments: a preset as it is, or a copy of its questions."""
        data = dict(self.cleaned_data)
        choice = data.pop("question_set")
        if choice.startswith(COPY):
            data |= {"question_set": "",
                     "question_data": preset_data(QUESTION_SETS[choice[len(COPY):]])}
        else:
            data["question_set"] = choice
        return data


class LetterPreviewForm(forms.Form):
    request = forms.ModelChoiceField(
        queryset=None, label="Body", empty_label=None,
        error_messages={"required": "Choose the body whose letter to preview",
                        "invalid_choice": "Choose a body of this campaign from the list"})

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["request"]
        field.queryset = campaign.requests.select_related("body").order_by("body__name")
        field.label_from_instance = lambda request: str(request.body)


class AddProvidersForm(forms.Form):
    providers = forms.ModelMultipleChoiceField(
        queryset=Body.objects.none(), widget=forms.CheckboxSelectMultiple,
        label="Providers to ask", error_messages={"required": "Choose at least one provider"})

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["providers"].queryset = Body.objects.filter(
            kind=BodyKind.PROVIDER).exclude(requests__campaign=campaign)


def _read_upload(upload, what: str) -> str:
    if upload.size > MAX_UPLOAD_BYTES:
        raise forms.ValidationError(f"The {what} must be smaller than 5 MB")
    try:
        return upload.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        raise forms.ValidationError(f"The {what} must be a CSV file saved as UTF-8") from None


class ProvidersFileForm(forms.Form):
    file = forms.FileField(label="Providers CSV file", error_messages={
        "required": "Choose a CSV file of providers"},
        help_text="Columns: ods_code, name, nation, email, area_scheme, area_codes (codes "
                  "separated by ;). A file with any bad row is rejected whole.")
    add_to_campaign = forms.BooleanField(required=False, initial=True,
                                         label="Add these providers to this campaign")

    def clean_file(self):
        return _read_upload(self.cleaned_data["file"], "providers file")


def confirmation_note_field() -> forms.CharField:
    """Why figures that break a rule (age bands above their total) stand as the body gave
    them; only needed then (answer_rules)."""
    return forms.CharField(
        required=False, max_length=2000, label="Confirmation note (only if asked for)",
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="If the figures break a rule, such as age bands adding up to more than their "
                  "total, and they are as the body sent them, say why they stand.")


class ResponsesFileForm(forms.Form):
    file = forms.FileField(label="Responses CSV file", error_messages={
        "required": "Choose a CSV file of responses"},
        help_text="The header must be exactly the one the responses download has. A file with "
                  "any bad row is rejected whole.")
    confirmation_note = confirmation_note_field()

    def clean_file(self):
        return _read_upload(self.cleaned_data["file"], "responses file")


class MarkPostedForm(forms.Form):
    sent_on = today_field("The date the letters were sent", label="Date sent")


# Requests ----------------------------------------------------------------------------------

SENT_STATES = [(value, label) for value, label in RequestState.choices
               if value != RequestState.NOT_SENT]


class StateForm(forms.Form):
    state = forms.ChoiceField(choices=SENT_STATES, label="New state", error_messages={
        "required": "Choose the request's new state",
        "invalid_choice": "Choose the request's new state from the list"})
    on = today_field("The date it happened", label="Date")
    exemption = forms.CharField(
        max_length=200, required=False, label="Exemption relied on",
        help_text="Needed for a refusal, for example section 12 (cost of compliance).")
    reply_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 5}), required=False,
                                 label="Reply text", help_text="Paste the reply, if there is one.")
    note = forms.CharField(max_length=1000, required=False, label="Note")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("state") == RequestState.REFUSED and not cleaned.get("exemption",
                                                                            "").strip():
            self.add_error("exemption", "Enter the exemption the refusal relies on")
        return cleaned


class RestartClockForm(forms.Form):
    clarification_received = today_field(
        "The date the clarification was received", label="Clarification received",
        help_text="The 20 working days start again from this day.")


class RedirectForm(forms.Form):
    provider = forms.ModelChoiceField(
        queryset=Body.objects.none(), label="Provider to ask instead",
        empty_label="Choose a provider",
        error_messages={"required": "Choose the provider to ask",
                        "invalid_choice": "Choose a provider from the list"})
    on = today_field("The date of the redirection", label="Date")
    note = forms.CharField(max_length=1000, required=False, label="Note",
                           help_text="For example, what the body said in its reply.")

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["provider"].queryset = Body.objects.filter(
            kind=BodyKind.PROVIDER).exclude(requests__campaign=campaign)


# Structured responses ----------------------------------------------------------------------

BAND_WORDS = {"0_12m": "aged 0 to 12 months", "12_24m": "aged 12 to 24 months",
              "24_36m": "aged 24 to 36 months", "0_18": "aged 0 to 18 (all ages)"}
YES_NO = [("yes", "Yes"), ("no", "No"), ("", "Not answered")]


def _count_field(measure: str, band: str) -> forms.IntegerField:
    words = f"children {measure} {BAND_WORDS[band]}"
    return forms.IntegerField(
        required=False, min_value=0, label=f"{measure.capitalize()}, {BAND_WORDS[band]}",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "spellcheck": "false"}),
        error_messages={"invalid": f"Enter {words} as a whole number, like 12",
                        "min_value": f"Enter {words} as 0 or more"})


class AreaAnswerForm(forms.Form):
    """One area's answers: three yes/no questions, eight counts and a comment."""

    def __init__(self, *args, area, **kwargs):
        super().__init__(*args, **kwargs)
        self.area = area
        for band in BANDS:
            self.fields[f"accepts_{band}"] = forms.TypedChoiceField(
                choices=YES_NO, required=False, initial="", coerce=lambda v: v == "yes",
                empty_value=None, widget=forms.RadioSelect,
                label=f"Accepts referrals for children {BAND_WORDS[band]}",
                error_messages={"invalid_choice": "Choose yes, no or not answered"})
        for name in COUNT_FIELDS:
            measure, band = name.split("_", 1)
            self.fields[name] = _count_field(measure, band)
        self.fields["comment"] = forms.CharField(
            required=False, label="Comment", widget=forms.Textarea(attrs={"rows": 3}))

    @property
    def accepts_fields(self):
        return [self[name] for name in ACCEPTS_FIELDS]

    @property
    def count_fields(self):
        return [self[name] for name in COUNT_FIELDS]

    @property
    def complete(self) -> bool:
        return all(self.cleaned_data.get(name) is not None
                   for name in (*ACCEPTS_FIELDS, *COUNT_FIELDS))

    @property
    def entered(self) -> bool:
        """Whether anything at all was entered for this area."""
        return any(self.cleaned_data.get(name) not in (None, "")
                   for name in (*ACCEPTS_FIELDS, *COUNT_FIELDS, "comment"))


class BaseAreaAnswerFormSet(forms.BaseFormSet):
    """One AreaAnswerForm per area the body commissions or serves, in a fixed order."""

    def __init__(self, *args, areas, **kwargs):
        self.areas = list(areas)
        super().__init__(*args, **kwargs)

    def total_form_count(self):
        return len(self.areas)

    def get_form_kwargs(self, index):
        # Every area's form is cleaned even when left blank: Django would otherwise skip an
        # unchanged extra form, leaving it without cleaned_data (a KeyError when saving).
        return {"area": self.areas[index], "empty_permitted": False}


AreaAnswerFormSet = forms.formset_factory(AreaAnswerForm, formset=BaseAreaAnswerFormSet,
                                          extra=0)

RESPONSE_STATES = [
    ("auto", "Decide from the answers: answered if every question has an answer, otherwise "
             "partially answered"),
    (RequestState.ANSWERED.value, RequestState.ANSWERED.label),
    (RequestState.PARTIALLY_ANSWERED.value, RequestState.PARTIALLY_ANSWERED.label),
]


class ResponseDetailsForm(forms.Form):
    received_on = today_field("The date the response was received", label="Response received")
    state = forms.ChoiceField(choices=RESPONSE_STATES, initial="auto", widget=forms.RadioSelect,
                              label="The request is now", error_messages={
                                  "required": "Choose the request's new state"})
    reply_text = forms.CharField(widget=forms.Textarea(attrs={"rows": 4}), required=False,
                                 label="Reply text", help_text="Paste the reply, if you like.")
    confirmation_note = confirmation_note_field()

    def state_for(self, answer_forms) -> str:
        chosen = self.cleaned_data["state"]
        if chosen != "auto":
            return chosen
        complete = all(form.complete for form in answer_forms)
        return (RequestState.ANSWERED if complete else RequestState.PARTIALLY_ANSWERED).value


# Saving response records -------------------------------------------------------------------

RESPONSE_SCHEME = "ccg2019"


def response_areas(body: Body):
    """The 2019 CCG areas a body's structured response is about (the contract's geography)."""
    return body.areas.filter(scheme=RESPONSE_SCHEME).order_by("name")


def known_area_codes() -> set[str]:
    return set(Area.objects.in_scheme(RESPONSE_SCHEME).exclude(ods_code="")
               .values_list("ods_code", flat=True))


# Replies (ADR 0029) ------------------------------------------------------------------------

class ReplyUploadForm(forms.Form):
    file = forms.FileField(
        label="The reply", error_messages={"required": "Choose the reply's file"},
        help_text="An email saved as an .eml file (its date, sender, text and attachments are "
                  "read from it), or the reply itself: PDF, Word (DOCX), Excel (XLSX), CSV, "
                  "OpenDocument (ODT, ODS), text, PNG or JPEG.")
    received_on = today_field("The date the reply was received", label="Received",
                              help_text="For a file other than an .eml.")
    sender = forms.CharField(max_length=254, required=False, label="From",
                             help_text="Who sent it, for example the body's FOI team.")
    subject = forms.CharField(max_length=500, required=False, label="Subject or title")

    def clean_file(self):
        from django.conf import settings

        upload = self.cleaned_data["file"]
        if upload.size > settings.FOI_MESSAGE_MAX_BYTES:
            raise forms.ValidationError(
                f"The file must be smaller than "
                f"{settings.FOI_MESSAGE_MAX_BYTES // (1024 * 1024)} MB")
        return upload

    @property
    def is_email(self) -> bool:
        upload = self.cleaned_data["file"]
        return (upload.name.lower().endswith(".eml")
                or (upload.content_type or "").lower() == "message/rfc822")


class AssignReplyForm(forms.Form):
    reference = forms.CharField(
        max_length=30, label="Request reference",
        help_text="For example CRADLE-FOI-123, or just 123.",
        error_messages={"required": "Enter the reference of the request this reply answers"})

    def clean_reference(self):
        from .models import FoiRequest

        value = self.cleaned_data["reference"].strip().upper().removeprefix("CRADLE-FOI-")
        request = FoiRequest.objects.filter(pk=int(value)).first() if value.isdigit() else None
        if request is None:
            raise forms.ValidationError("No request has this reference: enter one such as "
                                        "CRADLE-FOI-123")
        return request
