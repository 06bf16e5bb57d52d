r"""Finite-width ReLU networks at initialisation: output covariance and empirical NTK per network.

The network is that of :mod:`theory.wide_networks` (NTK parametrisation, weights and biases
i.i.d. :math:`N(0, 1)`, :math:`L` hidden layers of width :math:`n`, one output). For each
drawn network and a set of :math:`P` inputs this module returns

* the **readout covariance** :math:`C = \sigma_w^2\varphi(h^L)^\top\varphi(h^L)/n + \sigma_b^2`
  (:math:`P \times P`): the covariance of the output given the last hidden layer, i.e. the
  output's second moment with the readout weights integrated out exactly. Its mean over
  networks is :math:`E f(x)f(x')`, with less variance than :math:`f f'` itself; for one input
  :math:`E f^4 = 3E C^2`;
* the **empirical NTK** :math:`\hat\Theta(x, x') = \sum_p \partial_p f(x)\,\partial_p f(x')`
  over all weights and biases, by back-propagation: with :math:`\delta^l = \partial f/\partial h^l`
  and :math:`\varphi^0 = x`,

  .. math:: \hat\Theta = \sum_{l=1}^{L+1} (\delta^{l\top}\delta^l) \odot
            \Big(\frac{\sigma_w^2}{n_{l-1}}\varphi^{l-1\top}\varphi^{l-1} + \sigma_b^2\Big);

* one draw of the output :math:`f` itself.

Two routes to the same law (``method``):

* ``"weights"`` (the reference): every weight matrix is drawn, :math:`O(n^2)` numbers per
  layer and network.
* ``"projected"``: only the :math:`P`-dimensional projections the network uses are drawn.
  Write :math:`\varphi = QR` (thin QR, :math:`Q` with orthonormal columns). Then
  :math:`W\varphi = (WQ)R` and :math:`WQ` has i.i.d. :math:`N(0, 1)` entries, while
  :math:`W(I - QQ^\top)` is independent of :math:`WQ` (orthogonal projections of an i.i.d.
  Gaussian matrix). The backward pass needs :math:`W^\top\delta = Q(WQ)^\top\delta +
  (I - QQ^\top)W^\top\delta`; :math:`\delta` depends on :math:`W` only through :math:`W\varphi`
  (and on later layers), so the second term is :math:`(I - QQ^\top)G^\top\delta` for a fresh
  Gaussian :math:`G`, and :math:`G^\top\delta = (G^\top Q_\delta)R_\delta` with
  :math:`\delta = Q_\delta R_\delta`. The joint law of everything returned is exactly that
  of ``"weights"``, at :math:`O(nP^2)` cost per layer. The same random numbers are not
  used, so the two agree in law, not draw by draw (tests compare means and spreads).

Random numbers come from ``rng`` on the host, so every backend computes with the same
draws; ``"cupy"`` moves them to the GPU, ``"numba"`` runs the NumPy code (batched BLAS and
LAPACK calls are the whole cost; there is no loop for Numba to compile).

References
----------
J. Lee et al. (2018), arXiv:1711.00165; A. Jacot, F. Gabriel, C. Hongler (2018),
arXiv:1806.07572; G. Yang (2019), arXiv:1902.04760 (the Gaussian conditioning behind the
projected sampler).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from simulate._validate import check_choice, check_int, check_real, check_rng
from simulate.backend import array_namespace, resolve_backend, to_numpy

__all__ = ["METHODS", "NetworkDraws", "relu_network_draws"]

METHODS = ("projected", "weights")

_CHUNK_NUMBERS = 1 << 22
"""Random numbers drawn per chunk of networks (about 32 MB of float64)."""


@dataclass(frozen=True, eq=False)
class NetworkDraws:
    """Output of :func:`relu_network_draws`, one row per network (host arrays).

    Attributes
    ----------
    readout_covariance : numpy.ndarray, shape (n_nets, P, P)
        :math:`\\sigma_w^2\\varphi(h^L)^\\top\\varphi(h^L)/n_L + \\sigma_b^2`.
    ntk : numpy.ndarray or None, shape (n_nets, P, P)
        Empirical NTK (``None`` when not requested).
    output : numpy.ndarray, shape (n_nets, P)
        One draw of :math:`f` at the inputs.
    """

    readout_covariance: np.ndarray
    ntk: np.ndarray | None
    output: np.ndarray


def _gram(a, xp):
    """``aᵀa`` over the last two axes of a stack."""
    return xp.matmul(xp.swapaxes(a, -1, -2), a)


def _draw(rng, shape, xp):
    return xp.asarray(rng.standard_normal(shape))


def _forward_weights(x, fans, outs, wv, bv, rng, xp):
    """Explicit weights: pre-activations, activations and the weights of every layer."""
    nets = x.shape[0]
    phis, pres, weights = [x], [], []
    for layer, (fan, out) in enumerate(zip(fans, outs)):
        w = _draw(rng, (nets, out, fan), xp)
        b = _draw(rng, (nets, out, 1), xp)
        pres.append(math.sqrt(wv / fan) * xp.matmul(w, phis[-1]) + math.sqrt(bv) * b)
        weights.append(w)
        if layer < len(fans) - 1:
            phis.append(xp.maximum(pres[-1], 0.0))
    return phis, pres, weights


def _forward_projected(x, fans, outs, wv, bv, rng, xp):
    """Projected sampler: per layer ``Wφ = (WQ)R`` with ``WQ`` drawn, plus the basis ``Q``."""
    nets = x.shape[0]
    phis, pres, factors = [x], [], []
    for layer, (fan, out) in enumerate(zip(fans, outs)):
        q, r = xp.linalg.qr(phis[-1])
        wq = _draw(rng, (nets, out, q.shape[-1]), xp)
        b = _draw(rng, (nets, out, 1), xp)
        pres.append(math.sqrt(wv / fan) * xp.matmul(wq, r) + math.sqrt(bv) * b)
        factors.append((q, wq))
        if layer < len(fans) - 1:
            phis.append(xp.maximum(pres[-1], 0.0))
    return phis, pres, factors


def _weights_transpose_times(delta, factor, method, rng, xp):
    """``Wᵀδ`` for one layer: exact with explicit weights, in law for the projected sampler."""
    if method == "weights":
        return xp.matmul(xp.swapaxes(factor, -1, -2), delta)
    q, wq = factor
    inside = xp.matmul(q, xp.matmul(xp.swapaxes(wq, -1, -2), delta))
    q_delta, r_delta = xp.linalg.qr(delta)
    fresh = xp.matmul(_draw(rng, (delta.shape[0], q.shape[-2], q_delta.shape[-1]), xp), r_delta)
    outside = fresh - xp.matmul(q, xp.matmul(xp.swapaxes(q, -1, -2), fresh))
    return inside + outside


def _chunk_draws(x, depth, width, wv, bv, nets, rng, method, want_ntk, xp):
    n0, p = x.shape[-2:]
    fans = [n0] + [width] * depth
    outs = [width] * depth + [1]
    xs = xp.broadcast_to(x, (nets, n0, p))
    forward = _forward_weights if method == "weights" else _forward_projected
    phis, pres, factors = forward(xs, fans, outs, wv, bv, rng, xp)
    readout = (wv / fans[-1]) * _gram(phis[-1], xp) + bv
    ntk = None
    if want_ntk:
        delta = xp.ones((nets, 1, p), dtype=xs.dtype)
        ntk = xp.zeros((nets, p, p), dtype=xs.dtype)
        for layer in range(depth, -1, -1):
            ntk = ntk + _gram(delta, xp) * ((wv / fans[layer]) * _gram(phis[layer], xp) + bv)
            if layer > 0:
                back = _weights_transpose_times(delta, factors[layer], method, rng, xp)
                delta = xp.where(pres[layer - 1] > 0, math.sqrt(wv / fans[layer]) * back, 0.0)
    return readout, ntk, pres[-1][:, 0, :]


def relu_network_draws(inputs, depth: int, width: int, weight_variance: float, bias_variance: float,
                       n_nets: int, rng: np.random.Generator, *, method: str = "projected",
                       ntk: bool = True, backend: str = "numpy") -> NetworkDraws:
    r"""Draw ``n_nets`` independent ReLU networks and return their kernels at ``inputs``.

    Parameters
    ----------
    inputs : array_like, shape (n0, P)
        One input per column.
    depth : int
        Hidden layers :math:`L \ge 0`.
    width : int
        Hidden width :math:`n \ge 1`.
    weight_variance, bias_variance : float
        :math:`\sigma_w^2 > 0`, :math:`\sigma_b^2 \ge 0`.
    n_nets : int
        Networks to draw, ``>= 1``.
    rng : numpy.random.Generator
    method : {"projected", "weights"}
        Exact low-rank sampler or explicit weight matrices (module docstring); same law.
    ntk : bool
        Also back-propagate for the empirical NTK.
    backend : {"numpy", "numba", "cupy", "auto"}

    Returns
    -------
    NetworkDraws
    """
    rng = check_rng(rng)
    x = np.asarray(inputs, dtype=float)
    if x.ndim != 2 or x.size == 0 or not np.all(np.isfinite(x)):
        raise ValueError(f"inputs of shape {np.shape(inputs)} is out of range: must be a finite (n0, P) array")
    depth = check_int("depth", depth, low=0)
    width = check_int("width", width, low=1)
    wv = check_real("weight_variance", weight_variance, low=0.0, closed_low=False)
    bv = check_real("bias_variance", bias_variance, low=0.0)
    n_nets = check_int("n_nets", n_nets, low=1)
    check_choice("method", method, METHODS)
    backend = resolve_backend(backend)
    xp = array_namespace(backend)
    per_net = (width * width * depth + width * x.shape[0] if method == "weights"
               else 2 * (depth + 1) * width * x.shape[1]) + width * x.shape[1] * (depth + 1)
    chunk = max(1, _CHUNK_NUMBERS // per_net)
    parts = []
    x_dev = xp.asarray(x)
    for start in range(0, n_nets, chunk):
        parts.append(_chunk_draws(x_dev, depth, width, wv, bv, min(chunk, n_nets - start), rng,
                                  method, ntk, xp))
    return NetworkDraws(
        readout_covariance=np.concatenate([to_numpy(p[0]) for p in parts]),
        ntk=np.concatenate([to_numpy(p[1]) for p in parts]) if ntk else None,
        output=np.concatenate([to_numpy(p[2]) for p in parts]))
