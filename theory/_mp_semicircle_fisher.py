r"""Free Fisher information of MP ⊞ SC, vectorised over the law's parameters.

:math:`\int\rho^3\,dx` for the law of :class:`theory.free_convolution.MarchenkoPasturSemicircle`
at many ``(p, c, v)`` at once (:math:`p = q\sigma^2`, :math:`c = q\sigma^4`, :math:`v` the noise
variance), for :func:`theory.gamp_rie.bayes_optimal_mmse` on whole (α, κ, Δ) grids.

On the support, :math:`u = 1/G(x + i0) = a + ib` (:math:`b > 0`) satisfies
:math:`\operatorname{Im} z(u) = 0` for :math:`z(u) = \sigma^2 u/(u - p) + v/u + u`, i.e.

.. math::

    \frac{c}{(a - p)^2 + t} + \frac{v}{a^2 + t} = 1, \qquad t = b^2,

a quadratic in :math:`t` whose larger root is the only positive one (the left side decreases
in :math:`t`). So the support is parametrised explicitly by :math:`a`, with
:math:`\rho = b/(\pi|u|^2)` and :math:`x = \operatorname{Re} z(u)`; :math:`dx/da` follows by
implicit differentiation. The :math:`a`-intervals are where the left side exceeds 1 at
:math:`t = 0`: between the real roots of :math:`a^2(a - p)^2 - c a^2 - v (a - p)^2`, one around
0 and one around :math:`p`, joined iff :math:`c(1 + w)^3 \ge p^2`, :math:`w = (v/c)^{1/3}`
(the minimum of the left side on :math:`(0, p)`). In :math:`a`, :math:`b = \sqrt t` has square
root ends (Gauss–Legendre in the angle, :mod:`theory._quadrature`) and branch points at the
quartic's other roots and at :math:`a = (p^2 - c + v \pm 2i\sqrt{cv})/(2p)` (double roots in
:math:`t`); the intervals are cut geometrically towards those that come close.

References
----------
P. Biane, "On the free convolution with a semi-circular distribution", Indiana Univ. Math. J.
46 (1997): the support and density of μ ⊞ SC through the subordination function, of which
this curve is the image.
D. Voiculescu, "The analogues of entropy and of Fisher's information measure in free
probability theory I", Commun. Math. Phys. 155 (1993): :math:`\Phi = (4\pi^2/3)\int\rho^3`.
"""

from __future__ import annotations

import numpy as np

from theory._quadrature import interval_nodes

__all__ = ["cube_integral"]

_GRADING = 6.0  # pieces reach 6× their distance to the nearest branch point
_NEAR = 0.5  # branch points farther than this many widths from an interval are left alone
_CHUNK = 8192  # points per vectorised pass
_NEWTON_STEPS = 1  # polishing the eigenvalues of the companion matrix (then ~1e-15 relative)


def _quartic(a, p, c, v):
    """``a²(a − p)² − c a² − v(a − p)²`` and its derivative: the ends of the ``a``-intervals."""
    d = a - p
    return a * a * d * d - c * a * a - v * d * d, 2.0 * a * d * (a + d) - 2.0 * c * a - 2.0 * v * d


def _polish(a, p, c, v):
    """Newton steps on :func:`_quartic`, each kept only where it lowers the residual."""
    g, slope = _quartic(a, p, c, v)
    for _ in range(_NEWTON_STEPS):
        with np.errstate(divide="ignore", invalid="ignore"):
            new = a - g / slope
        new_g, new_slope = _quartic(new, p, c, v)
        keep = np.abs(new_g) < np.abs(g)
        a, g, slope = np.where(keep, new, a), np.where(keep, new_g, g), np.where(keep, new_slope, slope)
    return a


def _intervals(p, c, v):
    """Ends ``r1 < c1 <= c2 < r4`` of the ``a``-intervals, and whether ``[c1, c2]`` is a gap.

    The roots of the quartic are the eigenvalues of its companion matrix (batched), polished:
    ``c/(a − p)² + v/a² = 1`` has one root below 0 and one above ``p`` (where it is monotone), and
    two on either side of its minimum on ``(0, p)`` iff that minimum ``c(1 + w)³/p²`` is below 1.
    """
    w = np.cbrt(v / c)
    split = c * (1.0 + w) ** 3 < p * p
    companion = np.zeros(p.shape + (4, 4))
    companion[..., 1:, :-1] = np.eye(3)
    companion[..., 0, :] = np.stack([2.0 * p, c + v - p * p, -2.0 * p * v, v * p * p], axis=-1)
    roots = np.linalg.eigvals(companion)
    real = roots.imag == 0  # LAPACK: real eigenvalues have zero imaginary part
    joined = np.stack([np.where(real, roots.real, np.inf).min(axis=-1),
                       np.where(real, roots.real, -np.inf).max(axis=-1)], axis=-1)[:, [0, 1, 1, 1]]
    # split: four real roots in order (a near-double pair may come out complex: its real part)
    ends = np.where(split[:, None], np.sort(roots.real, axis=-1), joined)
    r1, c1, c2, r4 = _polish(ends, p[:, None], c[:, None], v[:, None]).T
    return r1, c1, c2, r4, split


def _singular_points(p, c, v, r1, c1, c2, r4, split):
    """Branch points of ``b(a)`` other than the ends, for ``[r1, c1]`` and ``[c2, r4]``: two ``(n, 2)``."""
    double_t = (p * p - c + v + 2j * np.sqrt(c * v)) / (2.0 * p)
    # the quartic divided by (a − r1)(a − r4) is a² + βa + γ: the pair near a_min when joined
    beta, gamma = r1 + r4 - 2.0 * p, -v * p * p / (r1 * r4)
    pair = 0.5 * (-beta + np.sqrt((beta * beta - 4.0 * gamma).astype(complex)))
    return (np.stack([double_t, np.where(split, c2, pair)], axis=-1),
            np.stack([double_t, c1.astype(complex)], axis=-1))


def _cuts(lo, hi, points):
    """Sorted cut points of ``[lo, hi]`` graded towards ``points``; ragged, with the owner's index."""
    width = hi - lo
    centre = np.clip(points.real, lo[:, None], hi[:, None])
    distance = np.maximum(np.abs(points - centre), 1e-10 * width[:, None])
    near = distance < _NEAR * width[:, None]
    ratio = np.where(near, width[:, None] / np.where(near, distance, 1.0), 1.0)
    steps = np.ceil(np.log(ratio) / np.log(_GRADING)).astype(int)
    counts = np.where(near, 2 * steps + 1, 0).ravel()
    first = np.repeat(np.cumsum(counts) - counts, counts)
    k = np.arange(counts.sum()) - first  # 0: the centre, then ± distance·6^j
    j = (k + 1) // 2 - 1
    sign = np.where(k % 2 == 1, -1.0, 1.0)
    offset = np.where(k == 0, 0.0, sign * np.repeat(distance.ravel(), counts) * _GRADING ** np.maximum(j, 0))
    cut = np.repeat(centre.ravel(), counts) + offset
    owner = np.repeat(np.repeat(np.arange(lo.size), points.shape[1]), counts)
    keep = (cut > lo[owner]) & (cut < hi[owner])
    owner = np.concatenate([np.arange(lo.size), np.arange(lo.size), owner[keep]])
    cut = np.concatenate([lo, hi, cut[keep]])
    order = np.lexsort((cut, owner))
    return cut[order], owner[order]


def _integrand(a, p, c, v):
    r"""``ρ³ dx/da`` at ``a`` on the curve :math:`c/|u - p|^2 + v/|u|^2 = 1`."""
    d2, a2 = (a - p) ** 2, a * a
    linear = d2 + a2 - c - v
    constant = d2 * a2 - c * a2 - v * d2
    root = np.sqrt((d2 - a2 - c + v) ** 2 + 4.0 * c * v)
    with np.errstate(divide="ignore", invalid="ignore"):  # the larger root, without cancellation
        t = np.where(linear > 0, -2.0 * constant / (linear + root), 0.5 * (root - linear))
    t = np.maximum(t, 0.0)
    r, q = d2 + t, a2 + t
    cr, vq = c / (r * r), v / (q * q)
    pull = cr * (a - p) + vq * a  # dt/da = −2 pull/(cr + vq) on the curve
    dx = c / r + v / q + 1.0 - 2.0 * (cr * d2 + vq * a2) + 2.0 * pull * pull / (cr + vq)
    rho = np.sqrt(t) / (np.pi * q)
    return rho ** 3 * dx


def cube_integral(p, c, v, nodes: int = 20) -> np.ndarray:
    r""":math:`\int\rho^3\,dx` of MP ⊞ SC at 1-D arrays ``p = qσ²``, ``c = qσ⁴``, ``v > 0`` of equal shape.

    ``nodes`` Gauss nodes (in the angle) per piece: 20 give below 1e-10 relative accuracy in
    the worst case (just after the intervals merge), 10 below 1e-6.
    """
    if p.size > _CHUNK:  # bounded memory: about 140 nodes per point, a dozen arrays of them
        return np.concatenate([cube_integral(p[i:i + _CHUNK], c[i:i + _CHUNK], v[i:i + _CHUNK], nodes)
                               for i in range(0, p.size, _CHUNK)])
    r1, c1, c2, r4, split = _intervals(p, c, v)
    singular = _singular_points(p, c, v, r1, c1, c2, r4, split)
    lo = np.concatenate([r1, c2])
    hi = np.concatenate([c1, r4])
    points = np.concatenate(singular)
    cut, owner = _cuts(lo, hi, points)
    same = owner[1:] == owner[:-1]
    left, right, piece_owner = cut[:-1][same], cut[1:][same], owner[:-1][same]
    a, weight = interval_nodes(left[:, None], right[:, None], nodes)
    point = piece_owner % p.size
    values = _integrand(a, p[point, None], c[point, None], v[point, None]) * weight
    return np.bincount(np.repeat(point, nodes), weights=values.ravel(), minlength=p.size)
