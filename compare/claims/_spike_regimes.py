"""The edge and outlier regimes of a spiked batch Hessian, shared by two claims.

``batch_hessian_additive`` (spike + GOE noise) and ``batch_hessian_least_squares`` (spiked
Wishart) ask the same question of ``λ₁(H_B)`` (Granziol, Zohren & Roberts 2022,
arXiv:2006.09092; science note §2): below the critical batch size ``B*`` it is the bulk edge,
above it the outlier. Both read the regime off the squared signal-to-noise ratio ``r``
(``β²/s_B² = B/B*`` in the additive model, ``(ℓ − 1)²/γ`` for least squares), leave the
smooth transition ``0.7 < √r < 1.25`` uncompared, and measure the per-step learning-rate
exponent as the log–log slope of ``2/λ₁`` over the edge regime. The claims differ only in
their laws and floors, which they pass in.
"""

from __future__ import annotations

import numpy as np

from ..errors import UsageError

EDGE_REGIME = 0.49        # r = (signal/noise)² ≤ 0.7²: the top eigenvalue is the bulk edge
OUTLIER_REGIME = 1.5625   # r ≥ 1.25²: the top eigenvalue is the outlier


def edge_slope(batch_size: np.ndarray, rates: np.ndarray, edge: np.ndarray) -> float:
    """Log–log slope of ``rates`` against ``batch_size`` over the edge-regime points ``edge``."""
    return float(np.polyfit(np.log(batch_size[edge]), np.log(rates[edge]), 1)[0])


def regime_predictions(spike: float, n_params: int, ratio, batch_size: np.ndarray, snr: np.ndarray,
                       limit: np.ndarray, centred: np.ndarray, rate: np.ndarray,
                       edge_floor: float) -> dict:
    """The predictions both claims share, from their laws at the batch sizes.

    Parameters
    ----------
    spike : float
        ``λ₁(H_emp)`` in the limit (β, or ℓ), subtracted for the excess.
    n_params : int
        ``P``, which sets the floor of the edge regime.
    ratio, batch_size : array_like
        ``B/B*`` as given and the batch sizes used.
    snr : ndarray
        Squared signal-to-noise ratio ``r`` at each batch size; it picks the regime.
    limit, centred, rate : ndarray
        The limit of ``λ₁`` (outlier above ``B*``, edge below), the finite-size centring of the
        edge, and the per-step learning rate ``2/λ₁``.
    edge_floor : float
        Relative floor of the edge regime in units of ``P^{-1/3}``.

    Returns
    -------
    dict
        ``top_eigenvalue`` is the centring in the edge regime and the limit elsewhere;
        ``outlier`` and ``edge_regime`` mask the compared points; ``lr_exponent`` is the slope
        of ``2/centring`` over the edge regime.
    """
    edge = snr <= EDGE_REGIME
    return {
        "batch_ratio": ratio,
        "batch_size": batch_size,
        "top_eigenvalue": np.where(edge, centred, limit),
        "limit_top_eigenvalue": limit,
        "excess": limit - spike,
        "per_step_learning_rate": rate,
        "outlier": snr >= OUTLIER_REGIME,
        "edge_regime": edge,
        "edge_floor": np.where(edge, edge_floor * n_params ** (-1.0 / 3.0) * centred, 0.0),
        "lr_exponent": edge_slope(batch_size, 2.0 / centred, edge),
    }


def regime_measurements(spike: float, batch_size: np.ndarray, snr: np.ndarray, tops: np.ndarray) -> dict:
    """Mean ``λ₁``, its excess over ``spike`` and the edge-regime exponent of the mean ``2/λ₁``.

    ``tops`` holds the sampled top eigenvalues, one row per batch size.
    """
    mean_top = tops.mean(axis=1)
    rates = (2.0 / tops).mean(axis=1)
    return {"top_eigenvalue": mean_top, "excess": mean_top - spike,
            "lr_exponent": edge_slope(batch_size, rates, snr <= EDGE_REGIME)}


def require_both_regimes(snr: np.ndarray, batch_ratio) -> None:
    """Raise ``UsageError`` unless two batch sizes lie in the edge regime and one in the outlier regime."""
    if (snr <= EDGE_REGIME).sum() < 2 or not np.any(snr >= OUTLIER_REGIME):
        raise UsageError(f"parameter batch_ratio={batch_ratio!r} is invalid: needs two batch sizes with "
                         f"B/B* <= {EDGE_REGIME} (edge regime) and one >= {OUTLIER_REGIME} (outlier regime)")
