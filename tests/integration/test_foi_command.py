"""`cradle foi deadline`: prints the statutory due date; bad input is a CommandError."""

import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def deadline(*args):
    out = StringIO()
    call_command("foi", "deadline", *args, stdout=out)
    return out.getvalue()


@pytest.mark.parametrize(("received", "regime", "expected"), [
    # Across Easter 2024 (see tests/unit/test_deadlines.py for the counts).
    ("2024-03-27", "foia", "2024-04-26"),
    ("2024-03-27", "foisa", "2024-04-25"),
    # St Patrick's Day 2023 stops the FOIA clock only.
    ("2023-03-01", "foia", "2023-03-30"),
    ("2023-03-01", "foisa", "2023-03-29"),
    # Received on a Saturday.
    ("2024-06-08", "foia", "2024-07-05"),
    ("2024-06-08", "FOISA", "2024-07-05"),
])
def test_deadline_prints_the_iso_due_date_alone(received, regime, expected):
    assert deadline("--received", received, "--regime", regime) == expected + "\n"


def test_deadline_accepts_options_as_keywords():
    out = StringIO()
    call_command("foi", "deadline", received="2024-03-27", regime="foia", stdout=out)
    assert out.getvalue() == "2024-04-26\n"


@pytest.mark.parametrize("received", ["2024-02-30", "27/03/2024", "2024-3-27", "20240327",
                                      "yesterday", ""])
def test_a_bad_date_is_a_command_error(received):
    with pytest.raises(CommandError, match="--received must be a real date written YYYY-MM-DD"):
        deadline("--received", received, "--regime", "foia")


@pytest.mark.parametrize("regime", ["eir", "foi", ""])
def test_a_bad_regime_is_a_command_error(regime):
    with pytest.raises(CommandError, match="--regime must be foia or foisa"):
        deadline("--received", "2024-03-27", "--regime", regime)


def test_a_date_outside_the_holiday_data_is_a_command_error():
    with pytest.raises(CommandError, match="outside the bank holiday data"):
        deadline("--received", "2030-12-20", "--regime", "foia")


@pytest.mark.parametrize("args", [
    (),  # no subcommand
    ("deadline", "--regime", "foia"),  # no --received
    ("deadline", "--received", "2024-03-27"),  # no --regime
    ("nonsense",),
])
def test_missing_arguments_are_command_errors(args):
    with pytest.raises(CommandError):
        call_command("foi", *args, stdout=StringIO(), stderr=StringIO())


def test_the_cradle_script_prints_the_date():
    result = subprocess.run(
        [sys.executable, "-m", "cradle.cli",
         "foi", "deadline", "--received", "2023-11-15", "--regime", "foisa"],
        capture_output=True, text=True, timeout=120, check=False,
        env={**os.environ, "CRADLE_DEBUG": "1"})
    assert (result.returncode, result.stdout) == (0, "2023-12-14\n"), result.stderr
