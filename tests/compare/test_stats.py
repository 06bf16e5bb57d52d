import numpy as np
from scipy import stats as sps

from compare.stats import critical_value, mean_and_stderr, weighted_linear_fit


def test_critical_value_matches_t_and_normal_with_bonferroni():
    assert np.isclose(critical_value(0.05, np.inf), 1.959963984540054)
    assert np.isclose(critical_value(0.05, 9), sps.t.ppf(0.975, 9))
    assert np.isclose(critical_value(0.05, np.inf, 10), sps.norm.ppf(1 - 0.0025))


def test_mean_and_stderr():
    x = np.array([1.0, 2.0, 3.0, 4.0])
    mean, se = mean_and_stderr(x)
    assert mean == 2.5 and np.isclose(se, np.std(x, ddof=1) / 2)


def test_weighted_fit_recovers_line_and_matches_numpy_polyfit():
    x = np.array([0.0, 1.0, 2.0, 3.0])
    y = 1.5 - 0.25 * x + np.array([0.01, -0.02, 0.015, -0.005])
    se = np.full(4, 0.02)
    a, b, cov = weighted_linear_fit(x, y, se)
    slope, intercept = np.polyfit(x, y, 1)
    assert np.isclose(a, intercept) and np.isclose(b, slope)
    assert cov.shape == (2, 2) and cov[0, 0] > 0


def test_weighted_fit_inflates_for_bad_fit():
    x = np.arange(5.0)
    y = np.array([0.0, 1.0, 0.0, 1.0, 0.0])
    _, _, cov_bad = weighted_linear_fit(x, y, np.full(5, 0.01))
    _, _, cov_nominal = weighted_linear_fit(x, 0.3 * x, np.full(5, 0.01))
    assert cov_bad[0, 0] > 100 * cov_nominal[0, 0]


def test_weighted_fit_vectorised_over_columns():
    x = np.array([1.0, 2.0, 3.0])
    y = np.stack([2 + x, 5 - 2 * x], axis=1)
    a, b, _ = weighted_linear_fit(x, y, np.full((3, 2), 0.1))
    assert np.allclose(a, [2, 5]) and np.allclose(b, [1, -2])
