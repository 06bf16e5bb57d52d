"""Reports a person would rather look at: the paper's figure first, pages that fit the
screen, one page for all claims, and the theory alone with --predict-only."""

import json
import shutil
import subprocess

import pytest

from compare.cli import main
from compare.report import Report
from compare.runner import run_claim
from compare.checks import CheckResult

from . import toy_claims  # noqa: F401

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def _report_with_pipes():
    check = CheckResult(name="a|b", kind="scalar", quantity="q", predicted=1.0, measured=1.0, stderr=0.1,
                        tolerance=0.5, tolerance_reason="x | y <b>", deviation=0.0, passed=True,
                        min_detectable=0.5, status="pass", effect=0.6)
    return Report(claim="c", title="t | u", reference="r <script>", verdict="pass", preset="quick",
                  params={}, sizes=[8], seeds=2, root_seed=0, backend="numpy", perturb=1.0, label="c[]",
                  checks=[check], headline="a|b")


def test_markdown_escapes_pipes_and_html_escapes_everything():
    report = _report_with_pipes()
    md = report.render_markdown()
    table = [line for line in md.splitlines() if line.startswith("| ")]
    assert all(line.replace("\\|", "").count("|") == 11 for line in table)
    page = report.render_html()
    assert "<script>" not in page and "&lt;b&gt;" in page


def test_a_check_result_is_found_by_its_name_or_the_known_names_are_listed():
    report = _report_with_pipes()
    assert report.check("a|b") is report.checks[0]
    with pytest.raises(KeyError, match=r"no check 'c'.*\['a\|b'\]"):
        report.check("c")


def test_a_one_signed_tolerance_shows_both_sides():
    report = _report_with_pipes()
    report.checks[0].details["tolerance_below"] = 0.125
    assert "+0.5 / −0.125" in report.render_terminal() and "+0.5 / −0.125" in report.render_markdown()


def test_the_figure_scales_to_the_page_and_comes_before_the_table():
    report = run_claim("toy_normal_curve", preset="quick", workers=1, cache=False)
    from compare.plots import report_png
    page = report.render_html(report_png(report))
    assert "img{max-width:100%" in page and page.index("<img") < page.index("<table")
    assert "href='#check-0'" in page and "id='check-0'" in page


def _page_width(path, width):
    probe = path.with_name(path.stem + "-probe.html")
    probe.write_text(path.read_text().replace(
        "</body>", "<script>document.title = document.documentElement.scrollWidth + 'x' + "
                   "window.innerWidth;</script></body>"))
    out = subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                          "--no-first-run", "--disable-background-networking", "--disable-component-update",
                          "--disable-sync", f"--user-data-dir={path.parent / 'chromium'}",
                          f"--window-size={width},900", "--dump-dom", probe.as_uri()],
                         capture_output=True, text=True, timeout=120)
    title = out.stdout.split("<title>")[1].split("</title>")[0]
    scroll, inner = (int(v) for v in title.split("x"))
    return scroll, inner


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    """Every claim's quick report as a page, and the index page over them."""
    from compare.plots import figure_png, headline_figure, report_png
    from compare.registry import registry
    from compare.site import SummaryRow, write_site
    from compare.testing import quick_report

    directory = tmp_path_factory.mktemp("site")
    rows = []
    for name in sorted(n for n in registry() if not n.startswith("toy_")):
        report = quick_report(name)
        (directory / f"{name}.html").write_text(report.render_html(report_png(report)))
        row = SummaryRow.from_report(report, report.run["wall_time_s"])
        row.report, row.thumbnail = f"{name}.html", figure_png(headline_figure(report), dpi=80)
        rows.append(row)
    write_site(directory, rows, "quick", 0)
    return directory


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium is not installed (apt-get install chromium)")
@pytest.mark.parametrize("width", [1000, 1600])
def test_pages_have_no_horizontal_scroll_in_chromium(site, width):
    for page in sorted(site.glob("*.html")):
        if page.stem.endswith("-probe"):
            continue
        scroll, inner = _page_width(page, width)
        assert scroll <= inner, (page.name, scroll, inner)


def test_all_writes_an_index_a_report_per_claim_and_a_summary(tmp_path, monkeypatch):
    from compare import registry as reg
    table = {name: reg.registry()[name] for name in ("toy_normal_curve", "toy_normal_mean")}
    monkeypatch.setattr(reg, "_TABLE", table)
    site = tmp_path / "site"
    assert main(["--all", "--preset", "quick", "--no-cache", "--workers", "1", "--quiet",
                 "--report-dir", str(site), "--json", str(tmp_path / "s.json")]) == 0
    summary = json.loads((tmp_path / "s.json").read_text())
    assert summary["schema"] == "verify-summary/1" and summary == json.loads((site / "summary.json").read_text())
    assert [c["claim"] for c in summary["claims"]] == ["toy_normal_curve", "toy_normal_mean"]
    index = (site / "index.html").read_text()
    assert "href='toy_normal_mean.html'" in index and "data:image/png;base64" in index
    assert (site / "toy_normal_mean.html").read_text().startswith("<!doctype html>")


@pytest.mark.parametrize("flag", [["--plot", "f.png"], ["--report", "r.html"]])
def test_all_with_plot_or_report_points_to_report_dir(flag, capsys):
    assert main(["--all", "--preset", "quick", *flag]) == 2
    assert "--report-dir" in capsys.readouterr().err


def test_predict_only_draws_the_theory_alone(tmp_path):
    png, page = tmp_path / "f.png", tmp_path / "r.html"
    assert main(["--claim", "gamp_rie", "--predict-only", "--no-cache", "--quiet", "--plot", str(png),
                 "--report", str(page)]) == 0
    assert png.read_bytes()[:4] == b"\x89PNG"
    text = page.read_text()
    assert "data:image/png;base64" in text and "NOT-CHECKED" in text and "Predictions" in text
