#!/usr/bin/env python3
"""Checks what headless Chromium makes of iscert's HTML report.

    python3 ci/html_check.py REPORTS_DIR

REPORTS_DIR holds, from `iscert check`:
  gap-sweep.html   Scenarios/gap-sweep.iscert, --format html
  gap-sweep.json   the same run, --format json (the numbers the page must show)
  iscert.html      Scenarios/, --format html

The page is loaded in Chromium (`--dump-dom` after its script ran), with and
without a URL fragment that moves the slider (`#gap=1.5`). The script asserts
on the DOM the browser built: the slider's point, the ESS/N and spreads it shows
against the JSON report, the density paths (their peaks, read back through the
plot's axes), the cursors on the sweep charts, and that every chart and
histogram is drawn. It keeps screenshots in REPORTS_DIR and exits 1 if anything
is wrong. Standard library only.
"""
import json
import math
import os
import re
import subprocess
import sys
from html.parser import HTMLParser

CHROMIUM = os.environ.get("CHROMIUM", "chromium")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--disable-dev-shm-usage", "--mute-audio"]
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)
    return condition


# ---------------------------------------------------------------- the DOM

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class Node:
    def __init__(self, tag, attrs, parent):
        self.tag, self.attrs, self.parent, self.children = tag, dict(attrs), parent, []

    def classes(self):
        return (self.attrs.get("class") or "").split()

    def text(self):
        return "".join(c if isinstance(c, str) else c.text() for c in self.children)

    def all(self, tag=None, cls=None, **attrs):
        out = []
        for c in self.children:
            if isinstance(c, str):
                continue
            if (tag is None or c.tag == tag) and (cls is None or cls in c.classes()) \
                    and all(c.attrs.get(k.replace("_", "-")) == v for k, v in attrs.items()):
                out.append(c)
            out += c.all(tag, cls, **attrs)
        return out

    def one(self, tag=None, cls=None, **attrs):
        found = self.all(tag, cls, **attrs)
        return found[0] if found else None


class TreeBuilder(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag, attrs):
        node = Node(tag, attrs, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag, attrs):
        self.current.children.append(Node(tag, attrs, self.current))

    def handle_endtag(self, tag):
        node = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data):
        self.current.children.append(data)


def parse(html):
    builder = TreeBuilder()
    builder.feed(html)
    return builder.root


def chromium(args, path, fragment=""):
    url = "file://" + os.path.abspath(path) + fragment
    return subprocess.run([CHROMIUM, *FLAGS, *args, url], capture_output=True, text=True, timeout=180)


def load(path, fragment=""):
    """The DOM after the page's script ran, and any JavaScript errors."""
    run = chromium(["--virtual-time-budget=5000", "--enable-logging=stderr", "--v=0", "--dump-dom"], path, fragment)
    errors = [line for line in run.stderr.splitlines() if "CONSOLE" in line or "Uncaught" in line]
    if not check(run.returncode == 0 and "</html>" in run.stdout, f"chromium loads {os.path.basename(path)}{fragment}"):
        print(run.stderr[-2000:])
    return parse(run.stdout), errors


# ---------------------------------------------------------------- reading what is drawn

def vertices(d):
    return [(float(x), float(y)) for x, y in re.findall(r"[ML](-?[\d.]+),(-?[\d.]+)", d or "")]


class Axes:
    """The data coordinates of a plot's pixels, from the attributes of its <svg>."""

    def __init__(self, svg):
        a = svg.attrs
        self.x = (float(a["data-x-lower"]), float(a["data-x-upper"]), a["data-x-log"] == "true",
                  float(a["data-px-from"]), float(a["data-px-to"]))
        self.y = (float(a["data-y-lower"]), float(a["data-y-upper"]), a["data-y-log"] == "true",
                  float(a["data-py-from"]), float(a["data-py-to"]))

    @staticmethod
    def value(axis, pixel):
        lo, hi, log, p0, p1 = axis
        t = (pixel - p0) / (p1 - p0)
        if log:
            return 10 ** (math.log10(lo) + t * (math.log10(hi) - math.log10(lo)))
        return lo + t * (hi - lo)

    def data(self, point):
        return self.value(self.x, point[0]), self.value(self.y, point[1])

    def pixel_step_x(self):
        lo, hi, _, p0, p1 = self.x
        return (hi - lo) / abs(p1 - p0)


def g4(x):
    """The report's numbers: %g with 4 significant digits."""
    if isinstance(x, str):
        return x
    return "%.4g" % x


def readout(explorer, field):
    node = explorer.one(data_field=field)
    return node.text().strip() if node is not None else None


# ---------------------------------------------------------------- the slider of gap-sweep

def check_gap_sweep(reports):
    page = os.path.join(reports, "gap-sweep.html")
    report = json.load(open(os.path.join(reports, "gap-sweep.json")))
    points = {p["sweep_point"]["value"]: p for p in report["sweeps"][0]["points"]}

    initial, errors = load(page)
    check(not errors, "no JavaScript error on load" + (": " + "; ".join(errors) if errors else ""))
    check("js" in initial.one("html").classes(), "the page's script ran")
    explorer = initial.one("div", "explorer", id="sweep-gap-sweep-explorer")
    if not check(explorer is not None, "gap-sweep has a slider"):
        return
    check(explorer.attrs.get("data-ready") == "true", "the slider was set up by the script")
    slider = explorer.one("input", type="range")
    check(slider is not None and "disabled" not in slider.attrs, "the slider is enabled")
    check(slider is not None and slider.attrs.get("max") == "12", "the slider has 13 positions, one per gap")
    check(explorer.attrs.get("data-index") == "0", "without a fragment the slider shows the first point")
    check(readout(explorer, "ess-observed") == g4(points[0.0]["observed"]["mean_ess_fraction"]),
          f"ESS/N at gap 0 is {g4(points[0.0]['observed']['mean_ess_fraction'])}, shown {readout(explorer, 'ess-observed')}")
    path_at_0 = explorer.one("path", "target").attrs.get("d")

    # Every chart of the sweep is drawn: axes, titles, 13 observed points, the exact curve.
    sweep = initial.one("section", "sweep", id="sweep-gap-sweep")
    for chart_id, y_label in [("sweep-gap-sweep-ess-svg", "ESS/N"), ("sweep-gap-sweep-variance-0-svg", "variance of is"),
                              ("sweep-gap-sweep-variance-1-svg", "variance of truncated(cap: 2)")]:
        svg = sweep.one("svg", id=chart_id)
        if not check(svg is not None, f"chart {chart_id} is present"):
            continue
        labels = [t.text() for t in svg.all("text", "axis-label")]
        check(len(labels) == 2 and labels[0] == "gap" and labels[1].startswith(y_label),
              f"{chart_id}: axes labelled gap and {y_label} ({labels})")
        check(svg.one("title") is not None and svg.one("title").text() != "", f"{chart_id}: has an accessible title")
        check(len(svg.all("circle", "observed")) == 13, f"{chart_id}: 13 observed points")
        exact = svg.one("path", "exact")
        check(exact is not None and len(vertices(exact.attrs.get("d"))) == 13, f"{chart_id}: the exact curve joins 13 points")
        check(len(svg.all("text", "tick-label")) >= 4, f"{chart_id}: tick labels")
    ess_svg = sweep.one("svg", id="sweep-gap-sweep-ess-svg")
    whiskers = ess_svg.one("path", "interval").attrs.get("d", "")
    check(whiskers.count("M") == 13 and whiskers.count("V") == 13, "ESS/N: an interval (observed ± z* SE) at every gap")
    # The exact ESS/N curve, read back through the axes, is the JSON's exact E[ESS/N].
    axes = Axes(ess_svg)
    drawn = [axes.data(v) for v in vertices(ess_svg.one("path", "exact").attrs.get("d"))]
    worst = max(abs(math.log(y / points[x_round]["exact"]["ess_mean"]))
                for (x, y), x_round in zip(drawn, sorted(points)))
    check(worst < 0.02, f"the exact ESS/N curve passes through the exact values (largest log error {worst:.4f})")
    histograms = sweep.all("figure", "histogram")
    check(len(histograms) == 13 and all(h.one("path", "bars") is not None and h.one("path", "bars").attrs.get("d") for h in histograms),
          f"a histogram of log-weights drawn for each of the 13 points ({len(histograms)})")

    # Move the slider through the URL fragment: gap 1.5.
    moved, errors = load(page, "#gap=1.5")
    check(not errors, "no JavaScript error after moving the slider")
    explorer = moved.one("div", "explorer", id="sweep-gap-sweep-explorer")
    point = points[1.5]
    check(explorer.attrs.get("data-index") == "6", f"#gap=1.5 moves the slider to point 6 (at {explorer.attrs.get('data-index')})")
    check(explorer.one("input").attrs.get("aria-valuetext") == "gap = 1.5", "the slider announces gap = 1.5")
    check(readout(explorer, "value") == "1.5", f"the label shows gap = {readout(explorer, 'value')}")
    check(readout(explorer, "target") == "normal(mean: 1.5, sd: 1)", f"p shown as {readout(explorer, 'target')}")
    expected = {
        "ess-observed": g4(point["observed"]["mean_ess_fraction"]),
        "ess-exact": g4(point["exact"]["ess_mean"]),
        "ess-limit": g4(point["exact"]["ess_fraction"]),
        "sd-observed-0": g4(math.sqrt(point["estimators"][0]["observed_variance"])),
        "sd-exact-0": g4(math.sqrt(point["estimators"][0]["exact_variance"])),
        "sd-observed-1": g4(math.sqrt(point["estimators"][1]["observed_variance"])),
        "sd-exact-1": g4(math.sqrt(point["estimators"][1]["exact_variance"])),
    }
    for field, want in expected.items():
        shown = readout(explorer, field)
        check(shown == want, f"at gap 1.5, {field} = {want} (shown {shown})")
    check(abs(float(expected["ess-limit"]) - math.exp(-1.5 ** 2)) < 1e-3, "ESS/N as N -> inf is exp(-gap^2) at gap 1.5")
    verdict = explorer.one("dd", data_field="verdict")
    check(verdict is not None and "MET" in verdict.text() and verdict.attrs.get("class") in ("met", "not-met"),
          "the point's verdict is shown in words and colour")

    # The density curves moved: p = N(1.5, 1) peaks at 1.5, q = N(0, 1) stays at 0.
    density_svg = explorer.one("svg", "density-plot")
    axes = Axes(density_svg)
    step = axes.pixel_step_x() * 0.1 + 0.06   # one grid step of the curves, plus pixel rounding
    target_d = explorer.one("path", "target").attrs.get("d")
    check(target_d != path_at_0, "the path of p changed when the slider moved")
    for cls, centre in [("target", 1.5), ("behavior", 0.0)]:
        pts = [axes.data(v) for v in vertices(explorer.one("path", cls).attrs.get("d"))]
        check(len(pts) == 161, f"density of {cls} drawn through 161 points ({len(pts)})")
        peak_x, peak_y = max(pts, key=lambda p: p[1])
        check(abs(peak_x - centre) <= step, f"density of {cls} peaks at x = {peak_x:.3f}, expected {centre}")
        check(abs(peak_y - 1 / math.sqrt(2 * math.pi)) < 0.01, f"density of {cls} peaks at height {peak_y:.4f} (1/sqrt(2 pi) = 0.3989)")
        # Away from the peak the curve is the normal density: check at every drawn point.
        worst = max(abs(y - math.exp(-(x - centre) ** 2 / 2) / math.sqrt(2 * math.pi)) for x, y in pts)
        check(worst < 0.01, f"density of {cls} is N({centre}, 1) at every drawn point (largest error {worst:.4f})")
    # The cursors on the sweep charts stand at gap 1.5.
    ess_axes = Axes(moved.one("svg", id="sweep-gap-sweep-ess-svg"))
    cursors = moved.one("section", id="sweep-gap-sweep").all("path", "cursor")
    at = [ess_axes.value(ess_axes.x, vertices(c.attrs.get("d"))[0][0]) for c in cursors]
    check(len(at) == 3 and all(abs(x - 1.5) < 0.01 for x in at), f"the charts' cursors stand at gap 1.5 ({at})")

    # A value between points selects the nearest: 2.9 -> gap 3.
    nearest, _ = load(page, "#gap=2.9")
    explorer = nearest.one("div", "explorer", id="sweep-gap-sweep-explorer")
    check(explorer.attrs.get("data-index") == "12", "#gap=2.9 selects the nearest point, gap 3")
    check(readout(explorer, "ess-observed") == g4(points[3.0]["observed"]["mean_ess_fraction"]), "ESS/N at gap 3 shown")

    shot = os.path.join(reports, "html-gap-sweep-gap-1.5.png")
    chromium(["--window-size=1280,2200", f"--screenshot={shot}"], page, "#gap=1.5")
    # A blank page of this size compresses to about 10 KB.
    check(os.path.exists(shot) and os.path.getsize(shot) > 50_000, f"screenshot {shot} ({os.path.getsize(shot) if os.path.exists(shot) else 0} bytes)")


# ---------------------------------------------------------------- the whole report

def check_full_report(reports, scenario_count):
    page = os.path.join(reports, "iscert.html")
    dom, errors = load(page)
    check(not errors, "full report: no JavaScript error" + (": " + "; ".join(errors) if errors else ""))
    title = dom.one("title").text()
    m = re.fullmatch(r"iscert report: (\d+) of (\d+) scenarios met", title)
    check(m is not None and int(m.group(2)) == scenario_count, f"full report: title '{title}' counts {scenario_count} scenarios")
    summary = dom.one("p", "summary")
    check(summary is not None and ("met" in summary.classes() or "not-met" in summary.classes()) and "scenarios met" in summary.text(),
          "full report: a summary line with its verdict in words and colour")
    sections = dom.all("section", "scenario")
    drawn = [s for s in sections if (s.one("path", "bars") is not None and s.one("path", "bars").attrs.get("d"))
             or "No finite log-weight" in (s.one("figure", "histogram").text() if s.one("figure", "histogram") else "")]
    check(len(sections) > scenario_count and len(drawn) == len(sections),
          f"full report: {len(drawn)} of {len(sections)} scenario sections have their log-weight histogram")
    tables = [s.one("table", "checks") for s in sections]
    check(all(t is not None and len(t.all("tr")) >= 2 for t in tables), "full report: every section has its checks table")
    for s in sections:
        for cell in s.all("td", "status"):
            word = cell.text().split()[-1] if cell.text().split() else ""
            if word not in ("pass", "fail", "applicable"):
                check(False, f"a status cell without its word: {cell.text()!r}")
                break
    plots = dom.all("svg", "plot")
    check(all(p.one("title") is not None and len(p.all("text", "axis-label")) == 2 for p in plots),
          f"full report: all {len(plots)} charts have a title and two axis labels")
    explorers = dom.all("div", "explorer")
    check(len(explorers) >= 2 and all(e.attrs.get("data-ready") == "true" for e in explorers),
          f"full report: {len(explorers)} sliders set up")
    shot = os.path.join(reports, "html-report-top.png")
    chromium(["--window-size=1280,1600", f"--screenshot={shot}"], page)
    check(os.path.exists(shot) and os.path.getsize(shot) > 50_000, f"screenshot {shot}")


def main():
    reports = sys.argv[1] if len(sys.argv) > 1 else ".build/reports"
    scenario_count = int(sys.argv[2]) if len(sys.argv) > 2 else len(
        [f for f in os.listdir("Scenarios") if f.endswith(".iscert")])
    check_gap_sweep(reports)
    check_full_report(reports, scenario_count)
    if failures:
        print(f"html-check: {len(failures)} of the checks above failed")
        sys.exit(1)
    print("html-check: every check passed")


if __name__ == "__main__":
    main()
