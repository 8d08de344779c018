"""The pooled summaries kept by the bulk import and the synthetic load, `cradle pooled rebuild`
and `verify`, and the migration that builds them for records already held (ADR 0023).
The property test over the single-record actions is test_pooled_summaries_exact.py."""

from __future__ import annotations

import datetime
import importlib
import io
import threading
import time

import pytest
from django.apps import apps as django_apps
from django.core.management import CommandError, call_command
from django.db import connection

from cradle.directory.models import Service
from cradle.outcomes import actions, synth
from cradle.outcomes.synth import loader
from cradle.pooled import summaries
from cradle.pooled.data import Scope
from cradle.pooled.extract import extract
from cradle.pooled.models import (
    SUMMARY_MODELS,
    MonthlyChange,
    MonthlyFact,
    YearlyChange,
    YearlyFact,
)
from tests import pooled_reference
from tests.accounts_helpers import make_user
from tests.outcomes_helpers import confirm_import, upload_import, xlsx_bytes

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
REFERRED = TODAY - datetime.timedelta(days=90)
STARTED = TODAY - datetime.timedelta(days=80)


def days(n: int) -> datetime.date:
    return STARTED + datetime.timedelta(days=n)


@pytest.fixture(autouse=True)
def staging(settings, tmp_path):
    settings.CRADLE_IMPORT_STAGING_DIR = tmp_path / "staging"


def first_file() -> bytes:
    return xlsx_bytes({
        "referrals": [("team_reference", "referred_on", "referrer_type", "decision",
                       "decided_on"),
                      ("IMP-1", REFERRED, "gp", "accepted", REFERRED),
                      ("IMP-2", REFERRED, "health_visitor", "accepted", REFERRED),
                      ("IMP-3", REFERRED - datetime.timedelta(days=40), "midwife", "", "")],
        "episodes": [("team_reference", "started_on", "referred_on"),
                     ("IMP-1", STARTED, REFERRED), ("IMP-2", STARTED, REFERRED)],
        "contacts": [("team_reference", "episode_started_on", "on", "mode", "outcome",
                      "minutes", "caregivers_attended"),
                     ("IMP-1", STARTED, days(3), "video", "attended", 50, "yes")],
        "measures": [("team_reference", "instrument", "timepoint", "administered_on", "total"),
                     ("IMP-1", "phq9", "baseline", STARTED, 19),
                     ("IMP-2", "gad7", "baseline", STARTED, 12)],
    })


def second_file() -> bytes:
    """Records for the cases of the first file: a first attended contact for IMP-2 (its wait
    changes from none to 5 days) and a discharge score."""
    return xlsx_bytes({
        "contacts": [("team_reference", "episode_started_on", "on", "mode", "outcome",
                      "minutes", "caregivers_attended"),
                     ("IMP-2", STARTED, days(5), "home_visit", "attended", 60, "yes")],
        "measures": [("team_reference", "instrument", "timepoint", "administered_on", "total"),
                     ("IMP-1", "phq9", "discharge", days(20), 7)],
    })


def same_as_the_records(team_ids, start, end) -> None:
    scope = Scope(tuple(team_ids), start, end)
    assert extract(scope) == pooled_reference.extract(scope)


def test_an_import_keeps_the_summaries_and_so_does_one_adding_to_cases_it_made(
        signed_in, team):
    for data in (first_file(), second_file()):
        page = upload_import(signed_in, team, "records.xlsx", data).content.decode()
        assert confirm_import(signed_in, team, page).status_code == 302
        assert summaries.verify([team.pk]) == (1, [])
    year = REFERRED.year
    same_as_the_records([team.pk], datetime.date(year - 1, 1, 1), TODAY)
    data = extract(Scope((team.pk,), REFERRED - datetime.timedelta(days=60), TODAY))
    assert sum(data.referrals_by_team.values()) == 3
    assert data.waits == {(days(3) - REFERRED).days: 1, (days(5) - REFERRED).days: 1}
    assert data.accepted_without_contact == 0


def test_an_import_that_fails_after_writing_the_summaries_leaves_none(signed_in, team,
                                                                        monkeypatch):
    from cradle.outcomes.bulk import writing

    page = upload_import(signed_in, team, "records.xlsx", first_file()).content.decode()

    def fail(**_arguments):
        assert MonthlyFact.objects.filter(team=team).exists()  # written, in the transaction
        raise RuntimeError("the import's last audit entry could not be written")

    monkeypatch.setattr(writing.recorder, "record", fail)
    with pytest.raises(RuntimeError):
        confirm_import(signed_in, team, page)
    assert not MonthlyFact.objects.filter(team=team).exists()
    assert not MonthlyChange.objects.filter(team=team).exists()


def test_the_synthetic_load_leaves_summaries_that_verify_and_match_the_records():
    synth.load(teams=2, years=2, referrals_per_year=30, seed=3)
    teams = list(loader.synthetic_teams().values_list("pk", flat=True))
    assert MonthlyFact.objects.filter(team__in=teams).exists()
    assert MonthlyChange.objects.filter(team__in=teams).exists()
    out = io.StringIO()
    call_command("pooled", "verify", stdout=out)
    assert "pooled summaries match the records" in out.getvalue()
    same_as_the_records(teams, datetime.date(TODAY.year - 1, 1, 1),
                        datetime.date(TODAY.year - 1, 12, 31))
    same_as_the_records(teams, datetime.date(TODAY.year - 1, 7, 15), TODAY)
    synth.clear()
    assert not MonthlyFact.objects.filter(team__in=teams).exists()


def test_verify_names_each_difference_and_rebuild_mends_it():
    synth.load(teams=2, years=1, referrals_per_year=30, seed=4)
    first, second = loader.synthetic_teams().order_by("pk")
    fact = MonthlyFact.objects.filter(team=first, name="referrer_type").order_by("pk").first()
    fact.n += 2
    fact.save()
    change = MonthlyChange.objects.filter(team=second).order_by("pk").first()
    change.improved += 1
    change.save()
    with pytest.raises(CommandError) as failure:
        call_command("pooled", "verify")
    message = str(failure.value)
    assert "2 differences in" in message
    assert (f"team {first.pk}, {fact.month:%Y-%m}, referrer_type {fact.key!r}: stored "
            f"{fact.n}, from the records {fact.n - 2}") in message
    assert (f"team {second.pk}, {change.month:%Y-%m}, measure pairs on {change.instrument}: "
            "the stored sums differ from the records'") in message
    # One team at a time: rebuilding the first leaves the second's difference.
    out = io.StringIO()
    call_command("pooled", "rebuild", "--team", str(first.pk), stdout=out)
    assert "pooled summaries rebuilt: 1 teams" in out.getvalue()
    with pytest.raises(CommandError, match="1 difference in"):
        call_command("pooled", "verify")
    call_command("pooled", "rebuild", stdout=out)
    call_command("pooled", "verify", "--team", str(second.pk), stdout=out)
    assert summaries.verify()[1] == []


def test_verify_names_a_yearly_fact_that_differs_from_its_records():
    synth.load(teams=1, years=1, referrals_per_year=20, seed=7)
    fact = YearlyFact.objects.filter(name="decision").order_by("pk").first()
    fact.n += 1
    fact.save()
    assert summaries.verify()[1] == [
        f"team {fact.team_id}, year {fact.year}, decision {fact.key!r}: stored {fact.n}, "
        f"from the records {fact.n - 1}"]
    summaries.rebuild([fact.team_id])
    assert summaries.verify()[1] == []


def test_an_unknown_team_is_refused_by_name():
    with pytest.raises(CommandError, match="--team T9999: no such team"):
        call_command("pooled", "verify", "--team", "T9999")


def test_the_migration_builds_the_summaries_of_records_already_held():
    synth.load(teams=1, years=1, referrals_per_year=20, seed=5)
    for model in SUMMARY_MODELS:
        model.objects.all().delete()
    assert summaries.verify()[1]
    migration = importlib.import_module("cradle.pooled.migrations.0004_yearly_summaries")
    migration.build(django_apps, None)
    assert summaries.verify()[1] == []


def test_the_migration_sums_the_monthly_summaries_already_built_into_years():
    synth.load(teams=2, years=2, referrals_per_year=20, seed=6)
    YearlyFact.objects.all().delete()
    YearlyChange.objects.all().delete()
    problems = summaries.verify()[1]
    assert any(", year " in problem and "referrer_type" in problem for problem in problems)
    assert any(", year " in problem and "measure pairs" in problem for problem in problems)
    migration = importlib.import_module("cradle.pooled.migrations.0004_yearly_summaries")
    migration.build(django_apps, None)
    assert summaries.verify()[1] == []


@pytest.mark.skipif("connection.vendor != 'postgresql'", reason="PostgreSQL only: the test "
                    "database of SQLite is in memory, where threads cannot share commits")
@pytest.mark.django_db(transaction=True)
def test_writers_on_one_team_at_the_same_moment_keep_the_summaries_exact(monkeypatch):
    """Contacts recorded on one case from four connections at once, each slowed down between
    reading its "before" and writing: the team lock makes each wait for the one before it, so
    none counts from a stale "before" (without the lock the waits and counts drift)."""
    # Made here: a transactional test's database may have been emptied by the one before.
    team = Service.objects.create(name="Concurrency test team", kind="team", nation="england")
    user = make_user("concurrent@example.org", team=team)
    case = actions.create_case(user=user, team=team, team_reference="CONCURRENT-1")
    referral = actions.record_referral(user=user, case=case, referred_on=REFERRED,
                                       referrer_type="gp", decision="accepted",
                                       decided_on=REFERRED)
    episode = actions.open_episode(user=user, case=case, referral=referral, started_on=STARTED)
    changing = summaries.Keeper.changing_cases

    def slow_changing(self, team_id, case_ids):
        changing(self, team_id, case_ids)
        time.sleep(0.3)  # the others arrive while this one holds its "before"

    monkeypatch.setattr(summaries.Keeper, "changing_cases", slow_changing)
    start, errors = threading.Barrier(4), []

    def record(offset):
        try:
            start.wait()
            actions.record_contact(user=user, episode=episode, on=days(offset),
                                   mode="home_visit", outcome="attended", minutes=45,
                                   caregivers_attended=True)
        except Exception as error:  # reported below
            errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(offset,)) for offset in (4, 2, 6, 3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert summaries.verify([team.pk]) == (1, [])
    data = extract(Scope((team.pk,), REFERRED - datetime.timedelta(days=31), TODAY))
    assert data.contact_outcomes == {"attended": 4}
    assert data.waits == {(days(2) - REFERRED).days: 1}
