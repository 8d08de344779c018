"""Marking a measure's flags reviewed: who (the signed-in user), when (now) and a short note.

Shaped like episode_views.py: the measure is looked up among the records of the teams where
the user holds `case_edit` (another team's is a 404, audited), the case read is audited, and
the review is written through `flag_actions.review_flags`, once (core.submissions)."""

from __future__ import annotations

from django import forms
from django.views.decorators.http import require_http_methods

from cradle.accounts.access import require_permission
from cradle.accounts.permissions import Permission

from . import actions
from .flag_actions import MAX_NOTE, review_flags
from .models import MeasureAdministration
from .views import not_found, record_page


class FlagReviewForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=MAX_NOTE, label="What was done (optional)",
        help_text="For example: risk discussed with the caregiver, safety plan agreed, GP told. "
                  "Do not write names, NHS numbers, addresses or phone numbers.",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": f"Keep the note to {MAX_NOTE} characters"})


@require_permission(Permission.CASE_EDIT)
@require_http_methods(["GET", "POST"])
def measure_flag_review(request, pk: int):
    measure = (MeasureAdministration.objects.current().editable_by(request.user)
               .select_related("case__team").filter(pk=pk).exclude(flags=[]).first())
    if measure is None:
        raise not_found(request.user, MeasureAdministration._meta.label_lower, pk)
    case = actions.read_case(user=request.user, case=measure.case)
    review = getattr(measure, "flag_review", None)
    form = FlagReviewForm(request.POST or None)
    return record_page(
        request, case=case, form=form, template="outcomes/flag_review.html",
        what="Flag review", done="saved", once="outcomes.flag_review",
        context={"measure": measure, "review": review},
        write=lambda f: review_flags(user=request.user, measure=measure,
                                     note=f.cleaned_data["note"]))
