"""The measure form: one question per item of the chosen instrument, built from the registry.

Each item is a set of radios with its response options: the item's wording and the responses'
wording where the instrument's licence lets Cradle show them (PHQ-9, GAD-7), otherwise a neutral
"Item 1" with the values as printed on the scoring key (or the position of the response ticked,
for the EPDS). Where the instrument takes a total (or subscale totals), the form offers that
path too. Scoring stays in `instruments.score`, called by `actions.record_measure`.
"""

from __future__ import annotations

import math
import re

from django import forms

from cradle.core.forms import today_field

from . import validation
from . import vocabulary as v
from .forms import choice_pairs, episode_label, show_rule
from .instruments import REGISTRY, Instrument

NOT_ANSWERED = ""
ITEM_NAMED = re.compile(r"item (\d+)\b")
INSTRUMENT_CHOICES = sorted(((code, inst.name) for code, inst in REGISTRY.items()),
                            key=lambda pair: pair[1])


class InstrumentChoiceForm(forms.Form):
    """The first step: which measure (a GET form, so the item form can be built for it)."""

    instrument = forms.ChoiceField(label="Measure",
                                   choices=[("", "Choose a measure"), *INSTRUMENT_CHOICES],
                                   error_messages={"required": "Choose the measure",
                                                   "invalid_choice": "Choose the measure"})


def _number(text: str, what: str):
    try:
        number = float(text)
    except ValueError:
        number = math.nan
    if not math.isfinite(number):
        raise forms.ValidationError(f"Enter {what} as a number")
    return int(number) if number.is_integer() else number


class MeasureForm(forms.Form):
    timepoint = forms.ChoiceField(label="Timepoint", choices=choice_pairs(v.TIMEPOINTS),
                                  widget=forms.RadioSelect,
                                  error_messages={"required": "Choose the timepoint"})
    administered_on = today_field("Date completed")
    episode = forms.ModelChoiceField(
        queryset=None, required=False, label="Episode (optional)",
        empty_label="Not linked to an episode",
        error_messages={"invalid_choice": "Choose one of the case's episodes"})

    def __init__(self, *args, episodes, instrument: Instrument, **kwargs):
        super().__init__(*args, **kwargs)
        self.instrument = instrument
        self.fields["episode"].queryset = episodes
        self.fields["episode"].label_from_instance = episode_label
        ways = []
        if instrument.items:
            ways.append(("items", "Each item's score"))
        if instrument.accepts_total:
            ways.append(("total", "The total score only"))
        if instrument.subscales:
            ways.append(("subscales", "The subscale totals"))
        self.ways = [key for key, _label in ways]
        if len(ways) > 1:
            self.fields["entered_as"] = forms.ChoiceField(
                required=False, label="What you are entering", choices=ways,
                widget=forms.RadioSelect, initial=ways[0][0],
                error_messages={"invalid_choice": "Choose what you are entering"},
                help_text="Item flags (such as a self-harm item) can be checked only from the "
                          "item scores." if instrument.flags else "")
        self.item_names = []
        for item in instrument.items:
            name = f"item_{item.number}"
            self.fields[name] = forms.ChoiceField(
                required=False, label=f"{item.number}. {instrument.item_text(item.number)}"
                if instrument.shows_wording and item.label else f"Item {item.number}",
                widget=forms.RadioSelect, initial=NOT_ANSWERED,
                choices=[*((str(value), text) for value, text
                           in instrument.response_options(item.number)),
                         (NOT_ANSWERED, "Not answered")])
            self.item_names.append(name)
        if instrument.accepts_total:
            low, high = instrument.total_range
            self.fields["total"] = forms.CharField(
                required=False, label="Total score",
                help_text=f"From {low:g} to {high:g}.",
                widget=forms.TextInput(attrs={"inputmode": "decimal"}))
        self.subscale_names = []
        for sub in instrument.subscales:
            name = f"subscale_{sub.name}"
            self.fields[name] = forms.IntegerField(
                required=False, label=f"{sub.name.capitalize()} subscale total",
                help_text=f"From {sub.score_range[0]} to {sub.score_range[1]}.",
                error_messages={"invalid": f"Enter the {sub.name} total as a whole number"},
                widget=forms.TextInput(attrs={"inputmode": "numeric"}))
            self.subscale_names.append(name)

    @property
    def item_fields(self):
        return [self[name] for name in self.item_names]

    @property
    def subscale_fields(self):
        return [self[name] for name in self.subscale_names]

    def entered_as(self) -> str:
        if len(self.ways) == 1:
            return self.ways[0]
        return self.cleaned_data.get("entered_as") or self.ways[0]

    def clean_total(self):
        text = self.cleaned_data["total"].strip()
        return _number(text, "the total") if text else None

    def clean(self):
        data = super().clean()
        if "entered_as" in self.fields and "entered_as" not in data:
            return data
        way = self.entered_as()
        if way == "items":
            answered = [name for name in self.item_names if data.get(name)]
            if not answered:
                self.add_error(self.item_names[0], "Answer the items"
                               + (", or choose to enter the total" if "total" in self.ways
                                  else ""))
        elif way == "total" and data.get("total") is None and "total" not in self.errors:
            self.add_error("total", "Enter the total score")
        elif way == "subscales":
            for name in self.subscale_names:
                if data.get(name) is None and name not in self.errors:
                    self.add_error(name, "Enter the subscale total")
        fields = {"items": self.item_names, "total": ["total"],
                  "subscales": self.subscale_names}[way]
        if not any(name in self.errors for name in fields):
            show_rule(self, validation.measure_score, self.instrument.code, way,
                      aliases=self.field_for, **self.scores(data))
        return data

    def scores(self, data) -> dict:
        """The scores as entered: {"items": [...]}, {"total": n} or {"subscales": {...}}."""
        way = self.entered_as()
        if way == "items":
            return {"items": [int(data[name]) if data[name] else None
                              for name in self.item_names]}
        if way == "total":
            return {"total": data["total"]}
        return {"subscales": {name.removeprefix("subscale_"): data[name]
                              for name in self.subscale_names}}

    def action_arguments(self) -> dict:
        data = self.cleaned_data
        return {"instrument": self.instrument.code, "timepoint": data["timepoint"],
                "administered_on": data["administered_on"], "episode": data["episode"],
                **self.scores(data)}

    def field_for(self, field: str, message: str) -> str | None:
        """The form field an action's refusal belongs to: the item it names, if any."""
        named = ITEM_NAMED.match(message)
        if field == "items" and named and f"item_{named[1]}" in self.fields:
            return f"item_{named[1]}"
        first = {"items": self.item_names, "subscales": self.subscale_names}.get(field)
        if first:
            return first[0]
        return field if field in self.fields else None
