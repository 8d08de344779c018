"""Distribution functions against published table values and direct summation."""

from fractions import Fraction
from math import comb

import pytest

from cradle.stats.distributions import (
    binomial_cdf,
    binomial_quantile,
    normal_quantile,
    regularized_incomplete_beta,
    t_cdf,
    t_quantile,
)

# Two-sided 95% critical values of Student's t (e.g. Abramowitz & Stegun table 26.10).
T_975 = {1: 12.7062047362, 2: 4.30265272975, 3: 3.18244630528, 5: 2.57058183564,
         10: 2.22813885196, 30: 2.04227245630, 120: 1.97993040505}


@pytest.mark.parametrize(("df", "expected"), sorted(T_975.items()))
def test_t_quantile_matches_tables(df, expected):
    assert t_quantile(0.975, df) == pytest.approx(expected, abs=1e-9)
    assert t_quantile(0.025, df) == pytest.approx(-expected, abs=1e-9)


def test_t_cdf_of_one_degree_of_freedom_is_the_cauchy():
    # P(T <= 1) for df = 1 is 1/2 + atan(1)/pi = 3/4.
    assert t_cdf(1.0, 1) == pytest.approx(0.75, abs=1e-14)
    assert t_cdf(-1.0, 1) == pytest.approx(0.25, abs=1e-14)
    assert t_quantile(0.5, 7) == 0.0


def test_normal_quantile():
    assert normal_quantile(0.975) == pytest.approx(1.959963984540054, abs=1e-12)
    assert normal_quantile(0.999) == pytest.approx(3.090232306167813, abs=1e-12)


def _exact_cdf(k, n, p):
    p = Fraction(p)
    return float(sum(comb(n, i) * p**i * (1 - p) ** (n - i) for i in range(k + 1)))


@pytest.mark.parametrize(("k", "n", "p"), [(3, 10, 0.3), (0, 5, 0.5), (4, 5, 0.5),
                                           (50, 200, 0.27), (7, 8, 0.9), (1, 400, 0.01)])
def test_binomial_cdf_matches_direct_summation(k, n, p):
    assert binomial_cdf(k, n, p) == pytest.approx(_exact_cdf(k, n, p), rel=1e-12, abs=1e-15)


def test_binomial_cdf_edges():
    assert binomial_cdf(-1, 5, 0.3) == 0.0
    assert binomial_cdf(5, 5, 0.3) == 1.0
    assert binomial_cdf(2, 5, 0.0) == 1.0
    assert binomial_cdf(2, 5, 1.0) == 0.0


def test_binomial_quantile_is_the_smallest_r_reaching_q():
    # Binomial(10, 1/2): P(X <= 7) = 968/1024 < 0.975 <= P(X <= 8) = 1013/1024.
    assert binomial_quantile(0.975, 10, 0.5) == 8
    assert binomial_quantile(0.025, 10, 0.5) == 2  # P(X <= 1) = 11/1024, P(X <= 2) = 56/1024
    assert binomial_quantile(0.5, 1, 0.5) == 0


def test_bad_arguments_are_refused():
    with pytest.raises(ValueError, match="a > 0"):
        regularized_incomplete_beta(0, 1, 0.5)
    with pytest.raises(ValueError, match="strictly between"):
        t_quantile(1.0, 3)
    with pytest.raises(ValueError, match="degrees of freedom"):
        t_cdf(1.0, 0)
