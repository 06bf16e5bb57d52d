"""pytest plug-in: run claims from a user's own test suite.

Installed with the package (entry point ``pytest11``). Two ways to use it::

    @pytest.mark.verify_claim("marchenko_pastur", ratio=0.25)
    def test_mp_claim(verify_report):
        assert verify_report.verdict == "pass"   # the marker already fails the test otherwise

    def test_my_claim(verify_claim):
        report = verify_claim("my_claim", preset="quick", kappa=0.5)

``verify_claim(name, preset="quick", seed=0, perturb=1.0, **params)`` runs the claim
without the result store, on one worker, and fails the test (with the failing checks listed) unless every
check passes; it returns the :class:`~compare.report.Report`.
"""

from __future__ import annotations

import pytest


def pytest_configure(config):
    config.addinivalue_line("markers", "verify_claim(name, preset='quick', **params): run a claim "
                                       "of the verify toolkit and fail unless it passes")
    # compare.testing groups each claim's generic tests for pytest-xdist's --dist loadgroup;
    # declared here too so that --strict-markers accepts it when xdist is absent.
    config.addinivalue_line("markers", "xdist_group(name): run tests of one group in one xdist worker")


def _run(name: str, preset: str = "quick", seed: int = 0, perturb: float = 1.0, **values):
    from .runner import run_claim

    report = run_claim(name, preset=preset, values=values, root_seed=seed, perturb=perturb, workers=1,
                       cache=False)
    if report.verdict != "pass":
        failed = "; ".join(f"{c.name}: {c.status}, deviation {c.deviation:.2f} × tolerance"
                           for c in report.checks if c.status != "pass")
        pytest.fail(f"claim {report.label}: verdict {report.verdict}: {failed or report.summary()}",
                    pytrace=False)
    return report


@pytest.fixture
def verify_claim():
    """A function ``(name, preset='quick', **params) -> Report`` that fails the test on a failed verdict."""
    return _run


@pytest.fixture
def verify_report(request):
    """The report of the claim named by the test's ``verify_claim`` marker."""
    marker = request.node.get_closest_marker("verify_claim")
    if marker is None:
        raise pytest.UsageError("verify_report needs @pytest.mark.verify_claim(name, ...)")
    return _run(*marker.args, **marker.kwargs)
