"""The bulk import applies the checks the forms apply: errors refuse the file naming the row
and column; what a form would ask the user to confirm is listed in the preview as a warning,
and does not stop the import (a file cannot be confirmed row by row)."""

from __future__ import annotations

import datetime
import re

import pytest

from cradle.outcomes import actions
from cradle.outcomes.models import Case, Episode, MeasureAdministration
from tests.outcomes_helpers import confirm_import, upload_import, xlsx_bytes

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
REFERRED = TODAY - datetime.timedelta(days=90)
STARTED = TODAY - datetime.timedelta(days=80)
NEXT_MONTH = (TODAY.replace(day=1) + datetime.timedelta(days=32)).strftime("%Y-%m")
REFERRALS = ("team_reference", "referred_on", "referrer_type", "baby_birth_month",
             "birth_month_is_due_month")
EPISODES = ("team_reference", "started_on", "referred_on")
MEASURES = ("team_reference", "instrument", "timepoint", "administered_on", "total")


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    settings.CRADLE_IMPORT_STAGING_DIR = tmp_path / "staging"


def main_text(response) -> str:
    """The page's main content as the user reads it (tags dropped, spaces collapsed)."""
    main = response.content.decode().split("<main")[1].split("</main>")[0]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", main))


def upload(client, team, **sheets):
    return upload_import(client, team, "f.xlsx", xlsx_bytes(sheets))


def test_a_future_birth_month_needs_the_due_month_column(signed_in, team):
    response = upload(signed_in, team, referrals=[
        REFERRALS, ("R-1", REFERRED, "gp", NEXT_MONTH, ""), ("R-2", REFERRED, "gp", NEXT_MONTH,
                                                            "yes")])
    text = main_text(response)
    assert response.status_code == 400
    assert "row 2, column baby_birth_month The month of birth is in the future" in text
    assert "row 3" not in text


def test_an_episode_before_its_referral_is_refused(signed_in, team):
    response = upload(signed_in, team,
                      referrals=[REFERRALS, ("E-1", REFERRED, "gp", "", "")],
                      episodes=[EPISODES, ("E-1", REFERRED - datetime.timedelta(days=1),
                                           REFERRED)])
    assert response.status_code == 400
    assert "row 2, column started_on The work cannot start before the referral" in \
        main_text(response)


def test_a_second_open_episode_on_one_referral_is_refused(signed_in, team, practitioner):
    case = actions.create_case(user=practitioner, team=team, team_reference="O-1")
    referral = actions.record_referral(user=practitioner, case=case, referred_on=REFERRED,
                                       referrer_type="gp")
    actions.open_episode(user=practitioner, case=case, started_on=STARTED, referral=referral)
    response = upload(signed_in, team, episodes=[
        EPISODES, ("O-1", STARTED + datetime.timedelta(days=3), REFERRED)])
    assert response.status_code == 400
    assert "row 2, column referred_on The referral already has an open episode" in \
        main_text(response)
    assert Episode.objects.count() == 1


def test_warnings_are_listed_in_the_preview_and_do_not_block(signed_in, team, practitioner):
    case = actions.create_case(user=practitioner, team=team, team_reference="W-2")
    actions.record_measure(user=practitioner, case=case, instrument="phq9",
                           timepoint="baseline", administered_on=STARTED, total=14)
    response = upload(signed_in, team,
                      referrals=[REFERRALS, ("Jane Smith", REFERRED, "gp", "", "")],
                      measures=[MEASURES,
                                ("Jane Smith", "phq9", "baseline",
                                 REFERRED - datetime.timedelta(days=3), 12),
                                ("W-2", "phq9", "baseline", STARTED + datetime.timedelta(days=9),
                                 10)])
    page, text = response.content.decode(), main_text(response)
    assert response.status_code == 200
    assert 'data-import-warning="2"' in page and "looks like a person" in text
    assert "row 2, column administered_on: the date is before the case started" in text
    assert "row 3, column timepoint: a baseline PHQ-9 is already recorded" in text
    assert confirm_import(signed_in, team, page).status_code == 302
    assert Case.objects.filter(team_reference="Jane Smith").exists()
    assert MeasureAdministration.objects.count() == 3

