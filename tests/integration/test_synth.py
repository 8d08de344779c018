"""`cradle synth` against the database: labelled synthetic teams whose records pass every
model rule, never shown publicly (search, service pages, coverage, home page figures, `cradle
coverage`), the same rows for the same seed, one audit entry per run, and `--clear`."""

from __future__ import annotations

import datetime
import json
import re
from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import CommandError, call_command
from django.db import connection
from django.urls import reverse

from cradle.audit.models import AuditEntry
from cradle.directory.models import Service
from cradle.outcomes import models
from cradle.outcomes.synth import clear, load
from cradle.outcomes.synth.rows import ROW_LISTS

pytestmark = pytest.mark.django_db

TODAY = datetime.date.today()
MODELS = {
    "cases": models.Case, "referrals": models.Referral, "caregivers": models.Caregiver,
    "risk_factors": models.ReferralRiskFactor, "episodes": models.Episode,
    "interventions": models.EpisodeIntervention, "contacts": models.Contact,
    "measures": models.MeasureAdministration, "feedback": models.Feedback,
    "workforce": models.WorkforceActivity,
}
TEAM_PATH = {"cases": "team", "workforce": "team", "referrals": "case__team",
             "episodes": "case__team", "measures": "case__team",
             "caregivers": "referral__case__team", "risk_factors": "referral__case__team",
             "interventions": "episode__case__team", "contacts": "episode__case__team",
             "feedback": "episode__case__team"}


def synth(*args: str) -> str:
    out = StringIO()
    call_command("synth", *args, stdout=out)
    return out.getvalue()


def synthetic_rows(name: str):
    return MODELS[name].objects.filter(**{f"{TEAM_PATH[name]}__synthetic": True})


@pytest.fixture
def three_teams():
    synth("--teams", "3", "--years", "1", "--seed", "5")
    return list(Service.objects.filter(synthetic=True).order_by("name"))


def test_synth_makes_labelled_teams_with_every_kind_of_record(three_teams):
    assert [team.name for team in three_teams] == [
        f"Synthetic team {n:03d} (not a real service)" for n in (1, 2, 3)]
    for team in three_teams:
        assert team.kind == "team" and team.register_ref is None
        assert "Not a real service" in team.source_note
        assert not team.coverage.exists()
        assert team.status_on(TODAY) == "operating"
    for name in ROW_LISTS:
        assert synthetic_rows(name).exists(), name
    assert not models.Case.objects.filter(nhs_number_pseudonym__isnull=False).exists()


def test_the_records_pass_every_model_rule(three_teams):
    # Foreign keys are checked at commit, which a test never reaches: check them now.
    connection.check_constraints()
    for name in ROW_LISTS:
        for row in synthetic_rows(name).iterator():
            # Field rules (choices, lengths, ranges) and the CHECK constraints; the database
            # already enforced its constraints, this checks the models' own validation too.
            row.full_clean(validate_unique=False)
    for name in ROW_LISTS:  # uniqueness, through the ORM, for a sample of each
        for row in synthetic_rows(name)[:25]:
            row.validate_unique()


def test_synthetic_teams_are_not_in_search_or_service_pages(three_teams, client):
    for query in ({}, {"q": "Synthetic"}, {"kind": "team"}, {"status": "operating"}):
        html = client.get(reverse("directory:service-search"), query).content.decode()
        assert "Synthetic team" not in html
        assert "not a real service" not in html
    found = client.get(reverse("directory:service-search"), {"status": "operating"})
    assert int(re.search(r'data-services-found="(\d+)"', found.content.decode())[1]) == (
        Service.objects.real().operating_on(TODAY).count())
    detail = reverse("directory:service-detail", args=[three_teams[0].pk])
    assert client.get(detail).status_code == 404


def test_synthetic_teams_do_not_count_in_coverage_or_home_figures(client):
    cache.clear()
    before_json = _coverage_json()
    before_home = client.get("/").content.decode()
    synth("--teams", "3", "--years", "1", "--seed", "5")
    cache.clear()
    # They would count if nothing kept them out: they operate today.
    assert Service.objects.operating_on(TODAY).filter(synthetic=True).count() == 3
    assert _coverage_json() == before_json
    home = client.get("/").content.decode()
    for pattern in (r'data-headline="confirmed">(\d+)<', r'data-headline="unconfirmed">(\d+)<',
                    r"The register lists (\d+)",
                    r'data-headline="pct-recorded">Counting these too, ([\d.]+)%'):
        assert re.search(pattern, home)[1] == re.search(pattern, before_home)[1]
    assert "Synthetic" not in home
    geojson = client.get(reverse("directory:coverage-geojson"))
    assert "Synthetic" not in geojson.content.decode()
    coverage_page = client.get(reverse("directory:coverage-map")).content.decode()
    assert "Synthetic" not in coverage_page


def _coverage_json() -> dict:
    out = StringIO()
    call_command("coverage", "--on", TODAY.isoformat(), "--json", stdout=out)
    return json.loads(out.getvalue())


def _snapshot() -> list:
    """Every synthetic row's values, ids replaced by the references they stand for."""
    rows = [tuple(Service.objects.filter(synthetic=True).order_by("name")
                  .values_list("name", "nation", "source_note"))]
    rows.append(tuple(models.Case.objects.filter(team__synthetic=True).order_by(
        "team__name", "team_reference").values_list(
        "team__name", "team_reference", "baby_birth_month", "birth_month_is_due_month")))
    rows.append(tuple(models.Referral.objects.filter(case__team__synthetic=True).order_by(
        "case__team__name", "case__team_reference").values_list(
        "case__team__name", "case__team_reference", "referred_on", "referrer_type",
        "single_caregiver_household", "first_time_parent", "decision", "decided_on")))
    rows.append(tuple(models.MeasureAdministration.objects.filter(
        case__team__synthetic=True).order_by("case__team__name", "case__team_reference",
                                             "administered_on", "instrument", "timepoint")
        .values_list("case__team_reference", "instrument", "timepoint", "administered_on",
                     "entered_as", "items", "total", "subscales", "band", "caseness",
                     "flags", "complete")))
    rows.append(tuple(models.Contact.objects.filter(episode__case__team__synthetic=True)
                      .order_by("episode__case__team__name", "episode__case__team_reference",
                                "on", "id")
                      .values_list("episode__case__team_reference", "on", "mode", "outcome",
                                   "minutes", "caregivers_attended", "baby_attended")))
    return rows


def test_the_same_seed_gives_the_same_rows_and_clear_replaces_them():
    end = TODAY - datetime.timedelta(days=40)
    first = load(teams=3, years=1, seed=5, end=end)
    snapshot = _snapshot()
    again = load(teams=3, years=1, seed=5, end=end, clear_first=True)
    assert again == first
    assert _snapshot() == snapshot
    other = load(teams=3, years=1, seed=6, end=end, clear_first=True)
    assert _snapshot() != snapshot
    assert other["teams"] == 3


def test_load_returns_the_counts_it_wrote():
    counts = load(teams=2, years=1, seed=9, referrals_per_year=40)
    assert counts["teams"] == Service.objects.filter(synthetic=True).count() == 2
    for name in ROW_LISTS:
        assert counts[name] == synthetic_rows(name).count(), name
    assert 40 <= counts["referrals"] <= 160  # two teams, skewed around 40 a year each


def test_one_audit_entry_per_run_with_the_counts():
    before = AuditEntry.objects.count()
    counts = load(teams=2, years=1, seed=2)
    entries = list(AuditEntry.objects.order_by("-sequence")[:AuditEntry.objects.count() - before])
    assert len(entries) == 1
    entry = entries[0]
    assert (entry.action, entry.actor, entry.model_label) == ("load", "system",
                                                              "directory.service")
    assert f"{counts['measures']} measures" in entry.note and "seed 2" in entry.note
    clear()
    assert AuditEntry.objects.count() == before + 2
    assert AuditEntry.objects.order_by("-sequence").first().action == "delete"


def test_clear_removes_synthetic_data_and_nothing_else(three_teams):
    real_services = Service.objects.real().count()
    real_case = models.Case.objects.create(team=Service.objects.real().first(),
                                           team_reference="REAL-1")
    out = synth("--clear-only")
    assert "Deleted 3 synthetic teams" in out
    assert not Service.objects.filter(synthetic=True).exists()
    for name in ROW_LISTS:
        assert not synthetic_rows(name).exists(), name
    assert Service.objects.real().count() == real_services
    assert models.Case.objects.filter(pk=real_case.pk).exists()
    connection.check_constraints()


def test_synth_again_needs_clear(three_teams):
    with pytest.raises(CommandError, match="--clear"):
        synth("--teams", "1", "--years", "1")
    out = synth("--teams", "1", "--years", "1", "--seed", "5", "--clear")
    assert "Made 1 synthetic teams" in out
    assert Service.objects.filter(synthetic=True).count() == 1


@pytest.mark.parametrize(("args", "message"), [
    (("--teams", "0", "--years", "1"), "teams must be"),
    (("--teams", "2"), "Give --teams and --years"),
    (("--teams", "1", "--years", "1", "--end", "31/12/2024"), "--end must be a date"),
    (("--teams", "1", "--years", "1", "--end", "2999-01-01"), "future"),
])
def test_bad_arguments_are_refused_and_write_nothing(args, message):
    with pytest.raises(CommandError, match=message):
        synth(*args)
    assert not Service.objects.filter(synthetic=True).exists()


def test_a_load_refreshes_the_planners_statistics_of_what_it_wrote_on_postgresql():
    """Without it PostgreSQL plans every later write as if the tables were empty (ADR 0023)."""
    from django.test.utils import CaptureQueriesContext

    from cradle.outcomes.synth.loader import refresh_planner_statistics
    from cradle.pooled.models import SUMMARY_MODELS

    with CaptureQueriesContext(connection) as queries:
        refresh_planner_statistics()
    analysed = {query["sql"] for query in queries if query["sql"].startswith("ANALYZE")}
    if connection.vendor != "postgresql":
        assert analysed == set()
        return
    for model in (Service, models.Contact, models.Referral, *SUMMARY_MODELS):
        assert f'ANALYZE "{model._meta.db_table}"' in analysed
