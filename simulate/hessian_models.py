r"""Per-sample Hessians of small models on synthetic data, computed exactly in NumPy.

A model here is a data set plus a point ``w`` in weight space (the batch-Hessian statements are
pointwise in ``w``). It exposes what a batch-Hessian experiment needs:

* ``batch_hessian(index)``: :math:`H_B = \frac1B\sum_{i\in\text{index}}\nabla^2\ell_i(w)`, a
  dense ``P × P`` array (``index`` of all ``N`` samples gives :math:`H_{\rm emp}`);
* ``sample_products(v)``: the ``N × P`` array of :math:`\nabla^2\ell_i(w)\,v`;
* ``factors`` (rank-one models only): rows :math:`f_i` with :math:`\nabla^2\ell_i = f_if_i^\top`,
  so :math:`H_B = F_B^\top F_B/B` and its nonzero spectrum is that of the ``B × B`` Gram
  :math:`F_BF_B^\top/B`.

Models: logistic regression (rank one: :math:`\sigma'(w\cdot x_i)\,x_ix_i^\top`) and a
one-hidden-layer tanh network with the logistic loss (exact Hessian: Gauss–Newton part plus the
residual term, which makes it indefinite). Data: a two-class Gaussian mixture, and Gaussian rows
with a spiked covariance (least squares, whose per-sample Hessians are :math:`x_ix_i^\top`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulate._validate import check_int, check_real, check_rng, fail

__all__ = ["LogisticRegression", "TanhNetwork", "gaussian_mixture", "spiked_gaussian_rows"]


def gaussian_mixture(n_data: int, dim: int, separation: float, rng: np.random.Generator):
    r"""Two balanced classes :math:`x = y\mu + z`, :math:`y = \pm1`, :math:`z \sim N(0, I)`.

    :math:`\mu` = ``separation`` times the first basis vector.

    Returns
    -------
    (ndarray (n_data, dim), ndarray (n_data,))
        Inputs and labels in ``{-1, +1}``.
    """
    n_data = check_int("n_data", n_data, low=1)
    dim = check_int("dim", dim, low=1)
    separation = check_real("separation", separation, low=0.0)
    rng = check_rng(rng)
    labels = rng.choice(np.array([-1.0, 1.0]), size=n_data)
    x = rng.standard_normal((n_data, dim))
    x[:, 0] += separation * labels
    return x, labels


def spiked_gaussian_rows(n_data: int, n_params: int, spike: float, rng: np.random.Generator) -> np.ndarray:
    r"""Rows :math:`x \sim N(0, I + (\ell - 1)e_1e_1^\top)`: the design of least squares with a spiked covariance.

    Returns
    -------
    ndarray, shape (n_data, n_params)
    """
    n_data = check_int("n_data", n_data, low=1)
    n_params = check_int("n_params", n_params, low=1)
    spike = check_real("spike", spike, low=0.0, closed_low=False)
    rng = check_rng(rng)
    x = rng.standard_normal((n_data, n_params))
    x[:, 0] *= np.sqrt(spike)
    return x


def _index(index, n_data: int) -> np.ndarray:
    idx = np.asarray(index)
    if idx.ndim != 1 or idx.size < 1 or idx.dtype.kind not in "iu" or idx.min() < 0 or idx.max() >= n_data:
        fail("index", f"array of shape {idx.shape}", f"a non-empty 1-D integer array with entries in [0, {n_data})")
    return idx


def _vector(v, n_params: int) -> np.ndarray:
    v = np.asarray(v, dtype=float)
    if v.shape != (n_params,) or not np.all(np.isfinite(v)):
        fail("v", f"array of shape {v.shape}", f"a finite vector of length {n_params}")
    return v


def _sigmoid(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))


@dataclass(frozen=True)
class LogisticRegression:
    r"""Logistic regression at a fixed ``w``: :math:`\nabla^2\ell_i = \sigma'(w\cdot x_i)\,x_ix_i^\top`.

    The loss :math:`\log(1 + e^{-y\,w\cdot x})` has second derivative
    :math:`\sigma(z)\sigma(-z)`, :math:`z = w\cdot x`, whatever the label, so the per-sample
    Hessians are rank one with factors :math:`f_i = \sqrt{\sigma(z_i)\sigma(-z_i)}\,x_i`.
    """

    factors: np.ndarray

    @classmethod
    def at(cls, inputs, weights) -> "LogisticRegression":
        x = np.asarray(inputs, dtype=float)
        if x.ndim != 2 or not np.all(np.isfinite(x)):
            fail("inputs", f"array of shape {x.shape}", "a finite 2-D array (N × P)")
        w = _vector(weights, x.shape[1])
        z = x @ w
        return cls(x * np.sqrt(_sigmoid(z) * _sigmoid(-z))[:, None])

    @property
    def n_data(self) -> int:
        return self.factors.shape[0]

    @property
    def n_params(self) -> int:
        return self.factors.shape[1]

    def batch_hessian(self, index) -> np.ndarray:
        f = self.factors[_index(index, self.n_data)]
        return f.T @ f / f.shape[0]

    def sample_products(self, v) -> np.ndarray:
        v = _vector(v, self.n_params)
        return self.factors * (self.factors @ v)[:, None]


@dataclass(frozen=True)
class TanhNetwork:
    r"""Exact Hessian of :math:`\ell_i = \log(1 + e^{-y_if(x_i)})`, :math:`f(x) = \sum_k a_k\tanh(w_k\cdot x + b_k)`.

    Parameters are ordered unit by unit, :math:`(w_k, b_k, a_k)`, ``P = m(d + 2)``. With
    :math:`\tilde x = (x, 1)`, :math:`t = \tanh(z)`, :math:`t' = 1 - t^2`, :math:`t'' = -2tt'`:
    :math:`\nabla f = (a_kt'_k\tilde x, t_k)_k` and :math:`\nabla^2 f` is block diagonal over
    units, block :math:`\begin{pmatrix} a_kt''_k\tilde x\tilde x^\top & t'_k\tilde x \\
    t'_k\tilde x^\top & 0\end{pmatrix}`. The loss's derivatives in ``f`` are
    :math:`\ell' = -y\sigma(-yf)`, :math:`\ell'' = \sigma(f)\sigma(-f)`, and
    :math:`\nabla^2\ell_i = \ell''_i\nabla f\nabla f^\top + \ell'_i\nabla^2 f` (Gauss–Newton plus
    residual term; indefinite in general).
    """

    inputs: np.ndarray      # (N, d + 1): x̃
    slope: np.ndarray       # (N, m): t'
    curvature: np.ndarray   # (N, m): t''
    jacobian: np.ndarray    # (N, P): ∇f
    first: np.ndarray       # (N,): ℓ'
    second: np.ndarray      # (N,): ℓ''
    readout: np.ndarray     # (m,): a

    @classmethod
    def at(cls, inputs, labels, hidden_weights, hidden_biases, readout) -> "TanhNetwork":
        x = np.asarray(inputs, dtype=float)
        w = np.asarray(hidden_weights, dtype=float)
        if x.ndim != 2:
            fail("inputs", f"array of shape {x.shape}", "a 2-D array (N × d)")
        if w.ndim != 2 or w.shape[1] != x.shape[1]:
            fail("hidden_weights", f"array of shape {w.shape}", f"a 2-D array (m × {x.shape[1]})")
        expected = {"labels": (x.shape[0],), "hidden_biases": (w.shape[0],), "readout": (w.shape[0],)}
        y, b, a = (np.asarray(value, dtype=float) for value in (labels, hidden_biases, readout))
        for name, value in (("labels", y), ("hidden_biases", b), ("readout", a)):
            if value.shape != expected[name]:
                fail(name, f"array of shape {value.shape}", f"of shape {expected[name]}")
        z = x @ w.T + b
        t = np.tanh(z)
        slope = 1.0 - t * t
        f = t @ a
        first = -y * _sigmoid(-y * f)
        second = _sigmoid(f) * _sigmoid(-f)
        x_tilde = np.hstack([x, np.ones((x.shape[0], 1))])
        jacobian = np.concatenate([(a * slope)[:, :, None] * x_tilde[:, None, :], t[:, :, None]], axis=2)
        return cls(x_tilde, slope, -2.0 * t * slope, jacobian.reshape(x.shape[0], -1), first, second, a)

    @property
    def n_data(self) -> int:
        return self.jacobian.shape[0]

    @property
    def n_params(self) -> int:
        return self.jacobian.shape[1]

    def batch_hessian(self, index) -> np.ndarray:
        idx = _index(index, self.n_data)
        count, (units, width) = idx.size, (self.readout.size, self.inputs.shape[1] + 1)
        j = self.jacobian[idx]
        hessian = (j * self.second[idx, None]).T @ j / count
        x, l1 = self.inputs[idx], self.first[idx]
        corner = np.einsum("ik,ij,il->kjl", l1[:, None] * self.readout * self.curvature[idx], x, x) / count
        edge = np.einsum("ik,ij->kj", l1[:, None] * self.slope[idx], x) / count
        blocks = np.zeros((units, width, width))
        blocks[:, :-1, :-1] = corner
        blocks[:, :-1, -1] = edge
        blocks[:, -1, :-1] = edge
        units_index = np.arange(units)
        view = hessian.reshape(units, width, units, width)
        view[units_index, :, units_index, :] += blocks
        return hessian

    def sample_products(self, v) -> np.ndarray:
        v = _vector(v, self.n_params)
        units, width = self.readout.size, self.inputs.shape[1] + 1
        per_unit = v.reshape(units, width)
        v_in, v_out = per_unit[:, :-1], per_unit[:, -1]
        projected = self.inputs @ v_in.T                                      # (N, m): x̃·ṽ_k
        inner = (self.readout * self.curvature * projected)[:, :, None] * self.inputs[:, None, :] \
            + (self.slope * v_out)[:, :, None] * self.inputs[:, None, :]
        residual = np.concatenate([inner, (self.slope * projected)[:, :, None]], axis=2).reshape(self.n_data, -1)
        return (self.second * (self.jacobian @ v))[:, None] * self.jacobian + self.first[:, None] * residual
