"""Speed comparisons reported as ratios measured in one run (``make bench``); never part of the tests."""
