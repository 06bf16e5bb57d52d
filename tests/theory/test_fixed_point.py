"""The shared damped fixed-point solver: converges, damps, and refuses to return garbage."""

import math

import numpy as np
import pytest

from tests.argument_validation import invalid_call_test, rejects
from theory.fixed_point import ConvergenceError, FixedPointResult, solve_fixed_point

DOTTIE = 0.7390851332151607  # the solution of x = cos x


def test_converges_to_the_dottie_number():
    result = solve_fixed_point(math.cos, 1.0, tol=1e-14)
    assert isinstance(result, FixedPointResult)
    assert result.converged
    assert result.value == pytest.approx(DOTTIE, abs=1e-13)
    assert result.trajectory[0] == 1.0
    assert result.trajectory.shape == (result.iterations + 1,)
    assert result.trajectory[-1] == result.value


def test_damping_changes_the_path_not_the_fixed_point():
    plain = solve_fixed_point(math.cos, 0.0, tol=1e-14)
    damped = solve_fixed_point(math.cos, 0.0, damping=0.5, tol=1e-14)
    assert damped.value == pytest.approx(plain.value, abs=1e-13)
    # x_{t+1} = (1 - β) T(x_t) + β x_t, exactly
    t = damped.trajectory
    np.testing.assert_allclose(t[1:], 0.5 * np.cos(t[:-1]) + 0.5 * t[:-1], rtol=0, atol=1e-16)


def test_damping_makes_an_oscillating_map_converge():
    def flip(x):
        return 1.0 - x  # undamped: 0, 1, 0, 1, ... never converges

    with pytest.raises(ConvergenceError) as info:
        solve_fixed_point(flip, 0.0, max_iter=50)
    assert not info.value.result.converged
    assert info.value.result.trajectory.shape == (51,)
    assert "did not converge in 50 iterations" in str(info.value)
    assert "\n" not in str(info.value)
    assert solve_fixed_point(flip, 0.0, damping=0.5).value == pytest.approx(0.5, abs=1e-12)


def test_vector_iterates():
    matrix = np.array([[0.5, 0.1], [0.2, 0.3]])
    offset = np.array([1.0, -1.0])
    result = solve_fixed_point(lambda x: matrix @ x + offset, np.zeros(2), tol=1e-15)
    np.testing.assert_allclose(result.value, np.linalg.solve(np.eye(2) - matrix, offset), atol=1e-13)
    assert result.trajectory.shape == (result.iterations + 1, 2)


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_update_raises(bad):
    with pytest.raises(ConvergenceError, match="non-finite") as info:
        solve_fixed_point(lambda x: bad, 1.0)
    assert isinstance(info.value, RuntimeError)
    assert info.value.result.iterations == 0


def test_misshaped_update_raises():
    with pytest.raises(ConvergenceError, match="misshaped"):
        solve_fixed_point(lambda x: np.zeros(3), np.zeros(2))


test_invalid_calls = invalid_call_test(
    rejects("x0=", solve_fixed_point, math.cos, np.nan),
    rejects("damping=", solve_fixed_point, math.cos, 0.0, damping=1.0),
    rejects("damping=", solve_fixed_point, math.cos, 0.0, damping=-0.1),
    rejects("tol=", solve_fixed_point, math.cos, 0.0, tol=0.0),
    rejects("tol=", solve_fixed_point, math.cos, 0.0, tol=np.inf),
    rejects("max_iter=", solve_fixed_point, math.cos, 0.0, max_iter=0),
    rejects("max_iter=", solve_fixed_point, math.cos, 0.0, max_iter=2.5),
)
