import json
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db


def areas_json(*args):
    out = StringIO()
    call_command("areas", *args, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize(("scheme", "count"), [
    ("ccg2019", 191), ("subicb2022", 106), ("icb2023", 42), ("subicb2024", 106),
    ("icb2024", 42), ("icb2026", 36), ("lhb", 7), ("hb", 14), ("nitrust", 5), ("la", 379),
])
def test_areas_json_lists_every_area_with_the_agreed_keys(scheme, count):
    areas = areas_json("--scheme", scheme)
    assert len(areas) == count
    for area in areas:
        assert list(area) == ["code", "ods_code", "name", "nation", "population_0_2", "method"]
        assert area["population_0_2"] > 0
        assert area["method"] in {"ons-la-estimate", "msoa-centroid-sum", "la-union",
                                  "lsoa-apportioned", "area-apportioned", "derived-union"}


def test_areas_json_gives_codes_and_null_ods_codes():
    ccgs = {a["code"]: a for a in areas_json("--scheme", "ccg2019")}
    assert ccgs["E38000001"]["ods_code"] == "02N"
    assert ccgs["E38000001"]["nation"] == "England"
    trusts = {a["code"]: a for a in areas_json("--scheme", "nitrust")}
    assert trusts["BHSCT"]["ods_code"] is None
    assert trusts["BHSCT"]["method"] == "area-apportioned"


def test_areas_year_option_selects_the_estimate():
    hartlepool_2019 = next(a for a in areas_json("--scheme", "la", "--year", "2019")
                           if a["code"] == "E06000001")
    hartlepool_2020 = next(a for a in areas_json("--scheme", "la") if a["code"] == "E06000001")
    assert hartlepool_2019["population_0_2"] != hartlepool_2020["population_0_2"]


def run_cradle(*args, env_overrides):
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("CRADLE_") and k != "DJANGO_SETTINGS_MODULE"}
    env.update(env_overrides)
    return subprocess.run([sys.executable, "-m", "cradle.cli", *args], env=env,
                          capture_output=True, text=True, timeout=120, check=False)


def test_missing_production_secret_is_a_clear_start_up_error(tmp_path):
    result = run_cradle("check", env_overrides={"CRADLE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "CRADLE_SECRET_KEY is not set" in result.stderr


PRODUCTION = {
    "CRADLE_SECRET_KEY": "x" * 20 + "production-grade-random-value-Qm7vP2sL9dK4",
    "CRADLE_ALLOWED_HOSTS": "cradle.example.org",
    # Production must really send FOI letters; the console backend fails the checks.
    "CRADLE_EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
    "CRADLE_PSEUDONYM_KEY": "a production pseudonym key, long and random: Vb8-Qz3pLw",
    "CRADLE_AUDIT_KEY": "a production audit chain key, long and random: Kp4-Wq9xRt",
    "CRADLE_SECOND_FACTOR_KEY": "a production second factor key, long and random: Hs4-Kw9rTq",
}


def test_deploy_checks_pass_with_production_settings(tmp_path):
    result = run_cradle("check", "--deploy", "--fail-level", "WARNING", env_overrides={
        **PRODUCTION, "CRADLE_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_checks_need_the_pseudonym_key(tmp_path):
    settings = {key: value for key, value in PRODUCTION.items()
                if key != "CRADLE_PSEUDONYM_KEY"}
    result = run_cradle("check", "--deploy", env_overrides={
        **settings, "CRADLE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "cradle.outcomes.E001" in result.stderr and "CRADLE_PSEUDONYM_KEY" in result.stderr


def test_deploy_checks_need_the_second_factor_key(tmp_path):
    settings = {key: value for key, value in PRODUCTION.items()
                if key != "CRADLE_SECOND_FACTOR_KEY"}
    result = run_cradle("check", "--deploy", env_overrides={
        **settings, "CRADLE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "cradle.accounts.E001" in result.stderr
    assert "CRADLE_SECOND_FACTOR_KEY is not set" in result.stderr
    short = run_cradle("check", "--deploy", env_overrides={
        **settings, "CRADLE_SECOND_FACTOR_KEY": "short", "CRADLE_VAR_DIR": str(tmp_path)})
    assert short.returncode != 0 and "too short" in short.stderr
    assert "short" not in short.stderr.replace("too short", "")  # the key is never shown
    assert not (tmp_path / "development-second-factor-key").exists()


def test_development_gets_its_own_second_factor_key(tmp_path):
    result = run_cradle(
        "shell", "--no-imports", "-c",
        "from django.conf import settings; print('key bytes', len(settings.SECOND_FACTOR_KEYS[0]))",
        env_overrides={"CRADLE_DEBUG": "1", "CRADLE_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split("key bytes")[1]) >= 32
    assert (tmp_path / "development-second-factor-key").stat().st_mode & 0o077 == 0


def test_development_gets_its_own_pseudonym_key(tmp_path):
    result = run_cradle(
        "shell", "--no-imports", "-c",
        "import os; print('key bytes', len(os.environ['CRADLE_PSEUDONYM_KEY']))",
        env_overrides={"CRADLE_DEBUG": "1", "CRADLE_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split("key bytes")[1]) >= 32
    assert (tmp_path / "development-pseudonym-key").stat().st_mode & 0o077 == 0


def test_deploy_checks_need_the_audit_key(tmp_path):
    settings = {key: value for key, value in PRODUCTION.items() if key != "CRADLE_AUDIT_KEY"}
    result = run_cradle("check", "--deploy", env_overrides={
        **settings, "CRADLE_VAR_DIR": str(tmp_path)})
    assert result.returncode != 0
    assert "cradle.audit.E001" in result.stderr and "CRADLE_AUDIT_KEY" in result.stderr
    assert PRODUCTION["CRADLE_AUDIT_KEY"] not in result.stderr + result.stdout


def test_development_gets_its_own_audit_key(tmp_path):
    result = run_cradle(
        "shell", "--no-imports", "-c",
        "import os; print('key bytes', len(os.environ['CRADLE_AUDIT_KEY']))",
        env_overrides={"CRADLE_DEBUG": "1", "CRADLE_VAR_DIR": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert int(result.stdout.split("key bytes")[1]) >= 32
    assert (tmp_path / "development-audit-key").stat().st_mode & 0o077 == 0
