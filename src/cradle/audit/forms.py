import datetime

from django import forms
from django.utils import timezone

from cradle.core.forms import DayMonthYearField

from .models import Action, AuditEntry


class SearchForm(forms.Form):
    """Filters for the audit log; every one optional."""

    actor = forms.CharField(required=False, max_length=254, label="Who",
                            help_text="Part of an email address, “system”, or a user id")
    model_label = forms.ChoiceField(required=False, label="What kind of record")
    object_id = forms.CharField(required=False, max_length=64, label="Record id")
    action = forms.ChoiceField(required=False, label="Action",
                               choices=[("", "Any action"), *Action.choices])
    start = DayMonthYearField(required=False, what="The first day", label="From",
                              help_text="For example, 15 3 2026")
    end = DayMonthYearField(required=False, what="The last day", label="To",
                            help_text="For example, 31 3 2026")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        labels = (AuditEntry.objects.order_by("model_label")
                  .values_list("model_label", flat=True).distinct())
        self.fields["model_label"].choices = [("", "Any kind"), *((m, m) for m in labels)]

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The last day must be the same as or after the first day")
        return data

    def filters(self) -> dict:
        """Keyword arguments for AuditEntryQuerySet.search (a valid form only)."""
        data = self.cleaned_data
        return {
            "actor": data["actor"].strip(), "model_label": data["model_label"],
            "object_id": data["object_id"].strip(), "action": data["action"],
            "start": _midnight(data["start"]),
            # The day after the last day; after 31 12 9999 there is none (nor any entry).
            "end": (_midnight(data["end"] + datetime.timedelta(days=1))
                    if data["end"] and data["end"] < datetime.date.max else None),
        }

    def used(self) -> list[str]:
        """The names of the filters given (names, not values, go in the log)."""
        return [name for name, value in self.cleaned_data.items() if value]


def _midnight(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))
