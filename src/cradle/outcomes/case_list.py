"""The team's cases list: every case, found by its reference, filtered by status, sorted and
paged. The page (case_list_views.py) is thin; this module reads through the named queryset
methods of `Case` and shapes the rows.

Statuses are not stored: they follow from the records (a case is *waiting* with an accepted
referral and no episode since it, *open* with an episode not ended, *discharged* when every
episode has ended), so a case can be waiting and discharged at once (a re-referral)."""

from __future__ import annotations

import datetime

from django import forms
from django.db.models import F, Max, Q

from .measures_due import due_by_case
from .models import Case

PAGE_SIZE = 50

STATUSES = (("", "Any"), ("waiting", "Waiting"), ("open", "Open"),
            ("discharged", "Discharged"))

#: Sortable columns: the key in the URL, the heading, the queryset ordering.
SORTS = {
    "reference": ("Case", ("team_reference",)),
    "started": ("Latest episode started", ("latest_start", "team_reference")),
    "contact": ("Last contact", ("last_contact", "team_reference")),
}


class CaseFilterForm(forms.Form):
    """The filters, as a GET form: every field optional, so an empty form lists every case."""

    ref = forms.CharField(
        required=False, max_length=40, label="Team reference",
        help_text="The whole reference, or how it starts. Capitals do not matter.")
    status = forms.ChoiceField(required=False, choices=STATUSES, label="Status",
                               widget=forms.RadioSelect,
                               error_messages={"invalid_choice": "Choose a status from the list"})
    only = forms.MultipleChoiceField(
        required=False, label="Only cases", widget=forms.CheckboxSelectMultiple,
        choices=(("mine", "I have held a contact with"), ("due", "With measures due"),
                 ("flags", "With flags not yet reviewed")),
        error_messages={"invalid_choice": "Choose from the list"})
    sort = forms.ChoiceField(required=False, choices=[
        (f"{sign}{key}", key) for key in SORTS for sign in ("", "-")])

    def filters(self) -> dict:
        """The filters chosen; a field with a bad value is left out (and shown as an error)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {"ref": data.get("ref", ""), "status": data.get("status", ""),
                "only": data.get("only", []), "sort": data.get("sort") or "reference"}


def cases_for(*, team, user, ref: str, status: str, only, sort: str,
              today: datetime.date):
    """The team's cases the filters select, sorted; the user is "me" for `mine`."""
    cases = Case.objects.visible_to(user).current().for_team(team).search(ref)
    if status == "waiting":
        cases = cases.waiting()
    elif status == "open":
        cases = cases.with_open_episode()
    elif status == "discharged":
        cases = cases.discharged()
    if "mine" in only:
        cases = cases.worked_with_by(user)
    if "flags" in only:
        cases = cases.with_unreviewed_flags()
    if "due" in only:
        cases = cases.filter(pk__in=list(due_by_case(cases, today)))
    cases = cases.annotate(latest_start=Max("episodes__started_on"),
                           last_contact=Max("episodes__contacts__on"),
                           open_episode_started=Max(
                               "episodes__started_on",
                               filter=Q(episodes__ended_on__isnull=True)))
    key = sort.lstrip("-")
    first, *ties = SORTS[key][1]
    # Cases without an episode or contact come last either way, on both databases.
    first = (F(first).desc(nulls_last=True) if sort.startswith("-")
             else F(first).asc(nulls_last=True))
    return cases.order_by(first, *ties, "pk")


def sort_headers(sort: str) -> list[dict]:
    """Each sortable column's heading, its aria-sort and the sort a click on it asks for."""
    key = sort.lstrip("-")
    descending = sort.startswith("-")
    headers = []
    for name, (heading, _ordering) in SORTS.items():
        current = name == key
        headers.append({
            "key": name, "heading": heading,
            "aria_sort": ("descending" if descending else "ascending") if current else "none",
            "next": f"-{name}" if current and not descending else name,
        })
    return headers
