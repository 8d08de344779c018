"""Forms for today's FOI bodies: an FOI address, a CAMHS record, a trust's served areas, and a
campaign's recipients chosen by type, by CAMHS record or one by one. Every write goes through
actions_bodies.py."""

from __future__ import annotations

from django import forms

from cradle.core.forms import DayMonthYearField, today_field
from cradle.geography.models import Area

from .actions_bodies import check_foi_address
from .area_analysis import TODAYS_ICB_SCHEME, TODAYS_SCHEMES
from .models import Body, BodyType

TODAYS_TYPES = [(value, label) for value, label in BodyType.choices if value != BodyType.CCG]


class FoiAddressForm(forms.Form):
    email = forms.CharField(
        max_length=254, required=False, label="FOI email address",
        help_text="Leave empty if the body has none Cradle can use.")
    source = forms.CharField(max_length=500, required=False, label="Where the address is from",
                             help_text="For example the body's FOI web page address.")
    checked_on = DayMonthYearField(what="The date the address was checked", required=False,
                                   label="Date checked")

    def clean(self):
        cleaned = super().clean()
        if not self.errors:
            for problem in check_foi_address(cleaned.get("email", "").strip(),
                                             cleaned.get("source", ""),
                                             cleaned.get("checked_on")):
                self.add_error("email" if "format" in problem else
                               "source" if "comes from" in problem else "checked_on", problem)
        return cleaned


class CamhsProvisionForm(forms.Form):
    provides_camhs = forms.TypedChoiceField(
        choices=[("yes", "Yes, it provides CAMHS"), ("no", "No, it does not")],
        coerce=lambda value: value == "yes", widget=forms.RadioSelect,
        label="Does the trust provide child and adolescent mental health services?",
        error_messages={"required": "Say whether the trust provides CAMHS"})
    source_text = forms.CharField(
        max_length=1000, label="Who said so, and where",
        help_text="For example: the trust's annual report 2025/26, page 12.",
        error_messages={"required": "Say who said so, and where"})
    source_url = forms.URLField(
        max_length=500, required=False, assume_scheme="https", label="Web address of the source",
        error_messages={"invalid": "Enter a web address, like https://www.example.nhs.uk/"})
    stated_on = today_field("The date the source said so", label="Date of the source")


class BodiesField(forms.ModelMultipleChoiceField):
    """Refuses an id no database column can hold (SQLite raises OverflowError) as a wrong
    choice, before it reaches a query."""

    wrong_choice = "Choose bodies from the list"

    def _check_values(self, value):
        for pk in value:
            if not str(pk).isdigit() or int(pk) >= 2**63:
                raise forms.ValidationError(self.wrong_choice, code="invalid_choice")
        return super()._check_values(value)


class AreasField(BodiesField):
    wrong_choice = "Choose areas from the list"

    def label_from_instance(self, obj):
        kind = "ICB" if obj.scheme == TODAYS_ICB_SCHEME else "sub-ICB location"
        return f"{obj.name} ({kind}, {obj.ods_code or obj.code})"


class TrustAreasForm(forms.Form):
    areas = AreasField(
        queryset=Area.objects.filter(scheme__in=TODAYS_SCHEMES).order_by("-scheme", "name"),
        label="ICBs and sub-ICB locations the trust serves",
        help_text="Choose one or more (hold Ctrl or Cmd to choose several). A trust serving a "
                  "whole ICB serves each of its sub-ICB locations.",
        widget=forms.SelectMultiple(attrs={"size": 10}),
        error_messages={"required": "Choose at least one ICB or sub-ICB location"})
    source_text = forms.CharField(
        max_length=1000, label="Who said so, and where",
        help_text="For example: the trust's FOI reply of 3 November 2026, or its website.",
        error_messages={"required": "Say who said so, and where"})


class TodaysRecipientsForm(forms.Form):
    camhs_providers = forms.BooleanField(
        required=False, label="Every trust recorded as a CAMHS provider")
    body_types = forms.MultipleChoiceField(
        choices=TODAYS_TYPES, required=False, widget=forms.CheckboxSelectMultiple,
        label="Every body in force today of these types")
    bodies = BodiesField(
        queryset=Body.objects.none(), required=False, label="Or choose bodies",
        widget=forms.SelectMultiple(attrs={"size": 8}))

    def __init__(self, *args, campaign, on, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["bodies"].queryset = (Body.objects.todays().in_force_on(on)
                                          .exclude(requests__campaign=campaign))

    def clean(self):
        cleaned = super().clean()
        if not self.errors and not (cleaned.get("camhs_providers") or cleaned.get("body_types")
                                    or cleaned.get("bodies")):
            raise forms.ValidationError("Choose CAMHS providers, body types or bodies to ask")
        return cleaned

    def chosen_bodies(self, on):
        """The bodies the form names, in force on `on`, by name (a union of its choices)."""
        data = self.cleaned_data
        in_force = Body.objects.todays().in_force_on(on)
        chosen = {body.pk for body in data.get("bodies") or ()}
        if data.get("body_types"):
            chosen |= set(in_force.of_type(*data["body_types"]).values_list("pk", flat=True))
        if data.get("camhs_providers"):
            chosen |= set(in_force.recorded_camhs_providers().values_list("pk", flat=True))
        return Body.objects.filter(pk__in=chosen).order_by("name")
