"""Test-suite configuration: hypothesis profiles by environment.

``ci`` (the default under CI=true) keeps property tests short; ``thorough`` is for local
runs (``HYPOTHESIS_PROFILE=thorough``). Numerical code gets ``deadline=None``: the first
call of a function may compile or warm a cache.
"""

import os

from hypothesis import HealthCheck, settings

settings.register_profile("ci", max_examples=25, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("dev", max_examples=60, deadline=None)
settings.register_profile("thorough", max_examples=500, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev"))
