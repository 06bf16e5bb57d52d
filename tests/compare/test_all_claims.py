"""One generic suite over every registered claim (built-in and plug-in), in the spirit of
scipy.stats' tests over all distributions: adding a claim adds these tests.

The checks live in :mod:`compare.testing` (the claim test kit that plug-in authors use
too): the static contract and declared effects, predictions at the bounds of every
declared range, the ``quick`` preset passes, the JSON report is complete, each power
check fails alone when its prediction is scaled by 1 ± 1.5 × its quick effect, and bad
input exits 2 with one line. The ``standard``-preset power is ``make power`` (on demand).
"""

from compare.registry import registry
from compare.testing import parametrize_with_claims

CLAIMS = sorted(name for name in registry() if not name.startswith("toy_"))


@parametrize_with_claims(CLAIMS)
def test_claim(claim, check):
    check(claim)
