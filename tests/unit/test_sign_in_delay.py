"""The progressive delay after failed sign-ins, as a table."""

import datetime

import pytest

from cradle.accounts.sign_in_delay import (
    FORGET_AFTER,
    forgotten,
    minutes_to_wait,
    next_try_at,
    wait_after,
)

MINUTE = datetime.timedelta(minutes=1)
T0 = datetime.datetime(2026, 12, 1, 9, 0, tzinfo=datetime.UTC)


@pytest.mark.parametrize(("failures", "minutes"), [
    (0, 0), (4, 0),          # the free tries (a mistyped password or two)
    (5, 1), (6, 2), (7, 4), (8, 8),
    (9, 15), (10, 15), (80, 15), (10_000, 15),  # never more than a quarter of an hour
])
def test_each_failure_after_the_free_ones_doubles_the_wait_up_to_a_ceiling(failures, minutes):
    assert wait_after(failures, free_failures=5) == minutes * MINUTE


def test_the_next_try_is_counted_from_the_last_failure():
    assert next_try_at(4, T0, 5) is None
    assert next_try_at(6, T0, 5) == T0 + 2 * MINUTE
    assert next_try_at(6, None, 5) is None


def test_failures_are_forgotten_after_a_quiet_day():
    assert not forgotten(T0, T0 + FORGET_AFTER - MINUTE)
    assert forgotten(T0, T0 + FORGET_AFTER)
    assert forgotten(None, T0)


@pytest.mark.parametrize(("seconds", "minutes"), [(1, 1), (60, 1), (61, 2), (899, 15)])
def test_minutes_to_wait_round_up(seconds, minutes):
    assert minutes_to_wait(T0 + datetime.timedelta(seconds=seconds), T0) == minutes
