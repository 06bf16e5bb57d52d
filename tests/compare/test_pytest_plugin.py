"""The pytest plug-in: the fixture and the marker run a claim and fail the test on a failed verdict."""

pytest_plugins = ["pytester"]


def test_fixture_passes_and_marker_fails_on_a_wrong_parameter(pytester):
    pytester.makepyfile(
        """
        import pytest

        def test_passes(verify_claim):
            report = verify_claim("semicircle", preset="quick")
            assert report.verdict == "pass"

        @pytest.mark.verify_claim("semicircle", preset="quick", seed=3)
        def test_marker(verify_report):
            assert verify_report.claim == "semicircle"
        """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(passed=2)


def test_failed_verdict_fails_the_test_and_names_the_checks(pytester):
    pytester.makepyfile(
        """
        def test_wrong_theory(verify_claim):
            verify_claim("semicircle", preset="quick", perturb=1.1)
        """)
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*claim semicircle*verdict fail: density: fail*"])
