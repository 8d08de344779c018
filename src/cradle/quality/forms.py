"""Forms for self-reviews and for editing standards sets."""

from __future__ import annotations

from django import forms

from . import thresholds as t
from .models import AutoSource, Rating, Route, StandardType


class StartForm(forms.Form):
    route = forms.ChoiceField(
        label="Route", choices=Route.choices, widget=forms.RadioSelect,
        help_text="Accreditation is measured against thresholds for each type of standard; "
                  "the developmental route has none and is for building an action plan.",
        error_messages={"required": "Choose a route"})


class RatingForm(forms.Form):
    rating = forms.ChoiceField(label="How well does the team meet this standard?",
                               choices=Rating.choices, widget=forms.RadioSelect,
                               error_messages={"required": "Choose a rating"})
    reason = forms.CharField(label="Why it does not apply", required=False, max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text="Needed when the standard is not applicable.")
    note = forms.CharField(label="Notes (optional)", required=False, max_length=4000,
                           widget=forms.Textarea(attrs={"rows": 4}))

    def clean(self):
        data = super().clean()
        if data.get("rating") == t.NOT_APPLICABLE and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say why the standard does not apply")
        return data


class FileForm(forms.Form):
    file = forms.FileField(label="Upload a document",
                           help_text="PDF, DOCX, XLSX, PNG or JPEG. It is kept encrypted and "
                                     "only the team's managers and network coordinators can "
                                     "open it.",
                           error_messages={"required": "Choose a file",
                                           "empty": "The file is empty"})


class LinkForm(forms.Form):
    path = forms.CharField(label="Address of a Cradle page", max_length=300,
                           help_text="For example /services/12/ or /pooled/teams/12/",
                           error_messages={"required": "Enter the address of a Cradle page"})
    label = forms.CharField(label="What it shows", max_length=200,
                            error_messages={"required": "Say what the page shows"})


class StandardForm(forms.Form):
    title = forms.CharField(label="Standard", max_length=300)
    description = forms.CharField(label="Detail (optional)", required=False, max_length=4000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    standard_type = forms.TypedChoiceField(label="Type", choices=StandardType.choices,
                                           coerce=int, widget=forms.RadioSelect)
    evidence_asked = forms.CharField(label="Evidence asked for", max_length=4000,
                                     widget=forms.Textarea(attrs={"rows": 3}))
    auto_source = forms.ChoiceField(label="Evidence Cradle fills in",
                                    choices=[("", "None"), *AutoSource.choices],
                                    required=False)
    source = forms.CharField(label="Source", max_length=500)


class ThresholdsForm(forms.Form):
    route = forms.ChoiceField(choices=Route.choices, widget=forms.HiddenInput)
    has_thresholds = forms.BooleanField(label="This route has thresholds", required=False)
    type_1 = forms.IntegerField(label="Type 1 (essential): % met", min_value=0,
                                max_value=100, required=False)
    type_2 = forms.IntegerField(label="Type 2 (expected): % met", min_value=0, max_value=100,
                                required=False)
    type_3 = forms.IntegerField(label="Type 3 (desirable): % met", min_value=0,
                                max_value=100, required=False)

    def clean(self):
        data = super().clean()
        if data.get("has_thresholds"):
            for standard_type in t.TYPES:
                if data.get(f"type_{standard_type}") is None and \
                        f"type_{standard_type}" not in self.errors:
                    self.add_error(f"type_{standard_type}", "Enter a percentage from 0 to 100")
        return data

    def percentages(self) -> dict[int, int] | None:
        if not self.cleaned_data.get("has_thresholds"):
            return None
        return {n: self.cleaned_data[f"type_{n}"] for n in t.TYPES}
