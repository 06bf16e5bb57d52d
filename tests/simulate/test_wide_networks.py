"""ReLU network draws: explicit weights by hand, the projected sampler in law, exact finite-width facts.

Monte-Carlo comparisons use fixed seeds and 4.5 standard errors (deterministic given the
seed); with ~30 statistics compared at once that is a family-wise level below 2e-4.
"""

import numpy as np
import pytest

from tests.argument_validation import invalid_call_test, rejects
from simulate.backend import cupy_available
from simulate.wide_networks import relu_network_draws

X = np.array([[1.0, 0.2, -0.7], [0.3, -1.1, 0.4], [-0.5, 0.6, 1.2]])


def test_weights_method_is_the_textbook_network_and_backprop():
    """One network, drawn again by hand from the same stream: output, readout covariance, NTK."""
    depth, width, wv, bv = 2, 5, 1.7, 0.3
    out = relu_network_draws(X, depth, width, wv, bv, 1, np.random.default_rng(3), method="weights")
    rng = np.random.default_rng(3)
    fans, outs = [3, width, width], [width, width, 1]
    weights, biases, phis, pres = [], [], [X], []
    for fan, size in zip(fans, outs):
        w, b = rng.standard_normal((1, size, fan))[0], rng.standard_normal((1, size, 1))[0]
        weights.append(w)
        biases.append(b)
        pres.append(np.sqrt(wv / fan) * w @ phis[-1] + np.sqrt(bv) * b)
        phis.append(np.maximum(pres[-1], 0))
    f = pres[-1][0]
    np.testing.assert_allclose(out.output[0], f, rtol=1e-12)
    last = phis[depth]
    np.testing.assert_allclose(out.readout_covariance[0], wv / width * last.T @ last + bv, rtol=1e-12)

    # NTK by finite differences of f with respect to every weight and bias.
    def output(params):
        h = X
        for layer, (w, b) in enumerate(params):
            h = np.sqrt(wv / fans[layer]) * w @ h + np.sqrt(bv) * b
            if layer < depth:
                h = np.maximum(h, 0)
        return h[0]

    params = list(zip(weights, biases))
    jac = []
    for layer in range(depth + 1):
        for which in (0, 1):
            arr = params[layer][which]
            for idx in np.ndindex(arr.shape):
                step = 1e-6
                plus = [list(p) for p in params]
                minus = [list(p) for p in params]
                plus[layer][which] = arr.copy()
                minus[layer][which] = arr.copy()
                plus[layer][which][idx] += step
                minus[layer][which][idx] -= step
                jac.append((output(plus) - output(minus)) / (2 * step))
    jac = np.array(jac)
    np.testing.assert_allclose(out.ntk[0], jac.T @ jac, rtol=1e-7, atol=1e-9)


def law_statistics(draws):
    iu = np.triu_indices(3)
    k, c = draws.ntk[:, iu[0], iu[1]], draws.readout_covariance[:, iu[0], iu[1]]
    f = draws.output
    values = np.concatenate([k, k ** 2, c, c ** 2, k * c, f * f, f ** 4], axis=1)
    return values.mean(0), values.std(0, ddof=1) / np.sqrt(len(values))


def test_projected_sampler_has_the_law_of_explicit_weights():
    """Width 4, depth 2: means of Θ̂, Θ̂², C, C², Θ̂C, f², f⁴ agree between the two methods."""
    results = [law_statistics(relu_network_draws(X, 2, 4, 1.7, 0.2, 30000, np.random.default_rng(seed),
                                                 method=method))
               for seed, method in ((1, "weights"), (2, "projected"))]
    (a, sa), (b, sb) = results
    assert np.all(np.abs(a - b) < 4.5 * np.hypot(sa, sb))


def test_projected_sampler_handles_more_inputs_than_units():
    """Width 2 < P = 3: rank-deficient activations; Θ̂ still has the weights method's mean."""
    draws = [relu_network_draws(X, 2, 2, 1.0, 0.1, 20000, np.random.default_rng(seed), method=method)
             for seed, method in ((4, "weights"), (5, "projected"))]
    (a, sa), (b, sb) = (law_statistics(d) for d in draws)
    assert np.all(np.abs(a - b) < 4.5 * np.hypot(sa, sb))


@pytest.mark.parametrize("method", ["weights", "projected"])
def test_readout_covariance_diagonal_is_exact_at_every_width(method):
    """E C(x, x) = K(x, x): (σ_w²/2)^L Σ¹ + σ_b² Σ_j (σ_w²/2)^j, at width 3."""
    depth, wv, bv = 3, 2.0, 0.1
    draws = relu_network_draws(X, depth, 3, wv, bv, 20000, np.random.default_rng(8), method=method)
    k = wv * np.sum(X * X, axis=0) / 3 + bv
    for _ in range(depth):
        k = wv * k / 2 + bv
    diag = np.diagonal(draws.readout_covariance, axis1=1, axis2=2)
    assert np.all(np.abs(diag.mean(0) - k) < 4.5 * diag.std(0, ddof=1) / np.sqrt(len(diag)))


def test_single_input_fourth_moment():
    """σ_b = 0: E C²/(E C)² = (1 + 5/n)^L at n = 6, L = 2, with the readout covariance."""
    x = np.array([[1.0], [2.0]])
    c = relu_network_draws(x, 2, 6, 1.3, 0.0, 200000, np.random.default_rng(9), ntk=False).readout_covariance[:, 0, 0]
    batches = c.reshape(40, -1)
    ratios = np.mean(batches ** 2, axis=1) / np.mean(batches, axis=1) ** 2
    se = ratios.std(ddof=1) / np.sqrt(len(ratios))
    assert abs(ratios.mean() - (1 + 5 / 6) ** 2) < 4.5 * se


def test_chunked_draws_keep_their_law(monkeypatch):
    """One network per chunk (another order of the random stream): same mean diagonal as one chunk."""
    import simulate.wide_networks as wn
    monkeypatch.setattr(wn, "_CHUNK_NUMBERS", 1)
    draws = relu_network_draws(X, 1, 3, 2.0, 0.0, 3000, np.random.default_rng(10), ntk=False)
    assert draws.ntk is None and draws.readout_covariance.shape == (3000, 3, 3)
    diag = np.diagonal(draws.readout_covariance, axis1=1, axis2=2)
    exact = 2.0 * np.sum(X * X, axis=0) / 3          # (σ_w²/2) Σ¹ with σ_w² = 2, σ_b = 0
    assert np.all(np.abs(diag.mean(0) - exact) < 4.5 * diag.std(0, ddof=1) / np.sqrt(len(diag)))


def test_backends_numpy_and_numba_agree():
    runs = [relu_network_draws(X, 2, 8, 1.5, 0.1, 20, np.random.default_rng(11), backend=b) for b in ("numpy", "numba")]
    np.testing.assert_array_equal(runs[0].ntk, runs[1].ntk)


@pytest.mark.skipif(not cupy_available(), reason="needs CuPy and a CUDA GPU")
@pytest.mark.parametrize("method", ["weights", "projected"])
def test_backends_numpy_and_cupy_agree(method):
    runs = [relu_network_draws(X, 2, 8, 1.5, 0.1, 20, np.random.default_rng(11), method=method, backend=b)
            for b in ("numpy", "cupy")]
    np.testing.assert_allclose(runs[1].ntk, runs[0].ntk, rtol=1e-9)
    np.testing.assert_allclose(runs[1].readout_covariance, runs[0].readout_covariance, rtol=1e-9)


RNG = np.random.default_rng(0)


test_invalid_calls = invalid_call_test(
    rejects("depth=-1", relu_network_draws, X, -1, 4, 1.0, 0.0, 2, RNG),
    rejects("width=0", relu_network_draws, X, 2, 0, 1.0, 0.0, 2, RNG),
    rejects("weight_variance=0.0", relu_network_draws, X, 2, 4, 0.0, 0.0, 2, RNG),
    rejects("bias_variance=-1.0", relu_network_draws, X, 2, 4, 1.0, -1.0, 2, RNG),
    rejects("n_nets=0", relu_network_draws, X, 2, 4, 1.0, 0.0, 0, RNG),
    rejects("inputs of shape", relu_network_draws, X[0], 2, 4, 1.0, 0.0, 2, RNG),
    rejects("method='exact'", relu_network_draws, X, 2, 4, 1.0, 0.0, 2, RNG, method="exact"),
)
