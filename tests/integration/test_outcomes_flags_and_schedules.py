"""Issue 13, slice 1: a risk flag can be marked reviewed (who, when, note) and the cases with
flags not yet reviewed can be listed; "measures due" follows each instrument's schedule
instead of listing every open case with a baseline."""

from __future__ import annotations

import pytest
from django.urls import reverse

from cradle.audit.models import Action, AuditEntry
from cradle.directory.models import Service
from cradle.outcomes import actions
from cradle.outcomes.flag_actions import review_flags
from cradle.outcomes.models import FlagReview
from cradle.outcomes.validation import InvalidRecord
from tests.accounts_helpers import make_user, sign_in
from tests.outcomes_helpers import ago

pytestmark = pytest.mark.django_db

SELF_HARM = [0, 0, 0, 0, 0, 0, 0, 0, 2]   # PHQ-9 item 9 above 0: flagged
CALM = [0] * 9


def flagged_case(user, team, reference="PIT-1", items=SELF_HARM):
    case = actions.create_case(user=user, team=team, team_reference=reference)
    episode = actions.open_episode(user=user, case=case, started_on=ago(30))
    measure = actions.record_measure(user=user, case=case, episode=episode, instrument="phq9",
                                     timepoint="baseline", administered_on=ago(20),
                                     items=items)
    return case, measure


def listed(page: str) -> list[int]:
    return [int(chunk.split('"')[0]) for chunk in page.split('data-case="')[1:]]


def test_a_flag_is_reviewed_by_whom_when_with_a_note(signed_in, team, practitioner):
    case, measure = flagged_case(practitioner, team)
    actions.create_case(user=practitioner, team=team, team_reference="QUIET-1")
    list_url = reverse("outcomes:team-cases", args=[team.pk])
    assert listed(signed_in.get(list_url, {"only": "flags"}).content.decode()) == [case.pk]
    page = signed_in.get(reverse("outcomes:case", args=[case.pk])).content.decode()
    review_url = reverse("outcomes:measure-flag-review", args=[measure.pk])
    assert 'data-flag-reviewed="no"' in page and review_url in page

    form = signed_in.get(review_url).content.decode()
    assert 'name="submission_token"' in form
    token = form.split('name="submission_token" value="')[1].split('"')[0]
    note = "Risk discussed with the caregiver; safety plan agreed."
    response = signed_in.post(review_url, {"note": note, "submission_token": token})
    assert response.status_code == 302
    review = FlagReview.objects.get(measure=measure)
    assert review.reviewed_by == practitioner and review.note == note
    # Posting the same form again (a double click) does not review it twice.
    again = signed_in.post(review_url, {"note": note, "submission_token": token})
    assert again.status_code == 302 and FlagReview.objects.count() == 1

    entry = AuditEntry.objects.filter(action=Action.CREATE,
                                      model_label="outcomes.flagreview").get()
    assert "note" in entry.fields and "caregiver" not in entry.note
    page = signed_in.get(reverse("outcomes:case", args=[case.pk])).content.decode()
    assert 'data-flag-reviewed="yes"' in page and "safety plan agreed" in page
    assert listed(signed_in.get(list_url, {"only": "flags"}).content.decode()) == []


@pytest.mark.parametrize("note, problem", [
    ("Called mum on 07700 900123", "long number"),
    ("NHS 943 476 5919 checked", "long number"),
    ("Visited at LS1 4AP", "full postcode"),
    ("Emailed mum@example.org", "email address"),
])
def test_a_note_holding_an_identifier_is_refused(signed_in, team, practitioner, note, problem):
    _case, measure = flagged_case(practitioner, team)
    response = signed_in.post(reverse("outcomes:measure-flag-review", args=[measure.pk]),
                              {"note": note})
    page = response.content.decode()
    assert response.status_code == 400 and problem in page
    assert not FlagReview.objects.exists()
    # The message never repeats the identifier (only the box gives the text back).
    message = page.split('id="id_note-error"')[1].split("</span>\n")[0]
    assert note.split()[-1] not in message and note.split()[-2] not in message


def test_a_review_is_refused_where_it_does_not_belong(client, team, practitioner):
    _case, quiet = flagged_case(practitioner, team, "QUIET-1", items=CALM)
    _case, flagged = flagged_case(practitioner, team, "PIT-2")
    with pytest.raises(InvalidRecord):
        review_flags(user=practitioner, measure=quiet, note="")
    review_flags(user=practitioner, measure=flagged, note="")
    with pytest.raises(InvalidRecord):
        review_flags(user=practitioner, measure=flagged, note="again")
    sign_in(client, practitioner)
    assert client.get(reverse("outcomes:measure-flag-review",
                              args=[quiet.pk])).status_code == 404
    sign_in(client, make_user("bradford@example.org",
                              team=Service.objects.get(register_ref="T16")))
    response = client.post(reverse("outcomes:measure-flag-review", args=[flagged.pk]),
                           {"note": "sneaky"})
    assert response.status_code == 404 and FlagReview.objects.count() == 1


def due_on_caseload(client, team) -> str:
    return client.get(reverse("outcomes:team", args=[team.pk])).content.decode()


def test_measures_due_follow_the_schedules(signed_in, team, practitioner):
    def case_with(reference, *, started, measures=(), ended=None):
        case = actions.create_case(user=practitioner, team=team, team_reference=reference)
        episode = actions.open_episode(user=practitioner, case=case, started_on=ago(started))
        for instrument, timepoint, days, total in measures:
            actions.record_measure(user=practitioner, case=case, episode=episode,
                                   instrument=instrument, timepoint=timepoint,
                                   administered_on=ago(days), total=total)
        if ended is not None:
            actions.close_episode(user=practitioner, episode=episode, ended_on=ago(ended),
                                  discharge_reason="planned")
        return case

    # The old rule listed every open case with a baseline and no review: all of these.
    fresh = case_with("FRESH", started=20, measures=[("phq9", "baseline", 14, 8)])
    review = case_with("REVIEW", started=120, measures=[("phq9", "baseline", 100, 12)])
    reviewed = case_with("REVIEWED", started=200, measures=[
        ("phq9", "baseline", 190, 12), ("phq9", "review", 100, 9)])
    asq = case_with("ASQ", started=120, measures=[("asqse2", "baseline", 100, 40)])
    none_yet = case_with("NONE-YET", started=50)
    discharge = case_with("DISCHARGE", started=200, ended=5,
                          measures=[("gbo", "baseline", 190, 3)])
    long_gone = case_with("LONG-GONE", started=300, ended=60,
                          measures=[("gbo", "baseline", 290, 3)])

    page = due_on_caseload(signed_in, team)
    due = {case.pk for case in (fresh, review, reviewed, asq, none_yet, discharge, long_gone)
           if f'data-measure-due="{case.pk}"' in page}
    assert due == {review.pk, reviewed.pk, none_yet.pk, discharge.pk}
    assert 'data-due="phq9:review"' in page and 'data-due="gbo:discharge"' in page
    assert 'data-due="any:baseline"' in page and "(late)" in page
    # ASQ:SE-2 is reviewed every 182 days (its age intervals are six months apart).
    assert 'data-due="asqse2:review"' not in page

    listed_due = listed(signed_in.get(reverse("outcomes:team-cases", args=[team.pk]),
                                      {"only": "due"}).content.decode())
    assert sorted(listed_due) == sorted(due)
