extension HTMLReport {
    /// The page's style: system fonts only, and a verdict is always a word and a
    /// symbol as well as a colour.
    static let css = """
    :root { --ink: #1f2328; --muted: #59636e; --line: #d1d9e0; --met: #116329; --met-bg: #dafbe1;
      --fail: #a40e26; --fail-bg: #ffebe9; --na: #6e4b00; --na-bg: #fff8c5; --p: #0550ae; --q: #bc4c00; --obs: #1f2328; }
    * { box-sizing: border-box; }
    body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink); margin: 0 auto; max-width: 1180px; padding: 1rem 1.25rem 3rem; }
    h1 { font-size: 1.6rem; margin: 0.5rem 0; }
    h2 { font-size: 1.3rem; margin: 0 0 0.4rem; }
    h3 { font-size: 1.1rem; margin: 0 0 0.4rem; }
    code { font: 0.92em ui-monospace, "DejaVu Sans Mono", monospace; }
    .summary { font-size: 1.15rem; padding: 0.5rem 0.75rem; border-left: 6px solid; }
    .summary.met { border-color: var(--met); background: var(--met-bg); }
    .summary.not-met { border-color: var(--fail); background: var(--fail-bg); }
    .thresholds, .note, .file { color: var(--muted); }
    .badge { font-size: 0.8rem; font-weight: 700; padding: 0.1rem 0.45rem; border-radius: 0.3rem; white-space: nowrap; vertical-align: middle; }
    .badge.met, dd.met { color: var(--met); background: var(--met-bg); }
    .badge.not-met, dd.not-met { color: var(--fail); background: var(--fail-bg); }
    section.scenario, section.sweep { border: 1px solid var(--line); border-left: 6px solid var(--met); border-radius: 0.4rem; padding: 0.8rem 1rem; margin: 1.2rem 0; }
    section.not-met { border-left-color: var(--fail); }
    section section.scenario { margin: 0.8rem 0; }
    .verdict { margin: 0.2rem 0; }
    .description { font-style: italic; margin: 0.2rem 0 0.6rem; }
    dl.facts { display: flex; flex-wrap: wrap; gap: 0.2rem 1.2rem; margin: 0.4rem 0; }
    dl.facts div { display: flex; gap: 0.4rem; }
    dt { color: var(--muted); }
    dt::after { content: ":"; }
    dd { margin: 0; }
    .columns { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
    table { border-collapse: collapse; margin: 0.6rem 0; font-size: 0.9rem; }
    caption { text-align: left; font-weight: 600; padding: 0.2rem 0; }
    th, td { border-bottom: 1px solid var(--line); padding: 0.2rem 0.5rem; text-align: left; vertical-align: top; }
    thead th { border-bottom: 2px solid var(--muted); }
    td.num { font-variant-numeric: tabular-nums; white-space: nowrap; }
    td.reason { max-width: 34rem; color: var(--muted); font-size: 0.85rem; }
    td.status { font-weight: 700; white-space: nowrap; }
    td.status.pass { color: var(--met); background: var(--met-bg); }
    td.status.fail { color: var(--fail); background: var(--fail-bg); }
    td.status.not-applicable { color: var(--na); background: var(--na-bg); }
    .warning { color: var(--fail); font-weight: 600; }
    figure { margin: 0.8rem 0; }
    .charts { display: flex; flex-wrap: wrap; gap: 0 1.5rem; }
    .charts figure { flex: 1 1 480px; max-width: 640px; }
    svg.plot { width: 100%; max-width: 640px; height: auto; display: block; font-size: 11px; }
    svg .frame { fill: none; stroke: var(--ink); }
    svg .grid { stroke: #eaeef2; }
    svg .tick { stroke: var(--ink); }
    svg .tick-label { fill: var(--muted); }
    svg .axis-label { fill: var(--ink); font-size: 12px; }
    svg .bars { fill: #8fb8e8; stroke: var(--p); stroke-width: 0.6; }
    svg .marker { stroke: var(--muted); stroke-dasharray: 3 3; }
    svg .marker-label { fill: var(--muted); }
    svg .curve { fill: none; stroke-width: 2; }
    svg .curve.exact { stroke: var(--p); }
    svg .curve.limit { stroke: var(--q); stroke-dasharray: 6 4; stroke-width: 1.5; }
    svg .interval { stroke: var(--obs); stroke-width: 1.2; fill: none; }
    svg .observed { fill: var(--obs); stroke: var(--obs); }
    svg .observed.no-interval { fill: #ffffff; }
    svg .cursor { display: none; stroke: #8250df; stroke-width: 1.5; stroke-dasharray: 2 3; }
    .js svg .cursor { display: inline; }
    svg .density { fill: none; stroke-width: 2.2; }
    svg .density.target { stroke: var(--p); }
    svg .density.behavior { stroke: var(--q); stroke-dasharray: 7 4; }
    figcaption { font-size: 0.85rem; color: var(--muted); }
    .chart-title { font-weight: 600; color: var(--ink); display: block; }
    .key { white-space: nowrap; margin-right: 1rem; }
    .key::before { content: ""; display: inline-block; width: 1.6em; margin-right: 0.3em; vertical-align: middle; border-top: 2px solid var(--ink); }
    .key.observed::before { width: 0.6em; height: 0.6em; border: 2px solid var(--obs); border-radius: 50%; background: var(--obs); }
    .key.no-interval::before { width: 0.6em; height: 0.6em; border: 2px solid var(--obs); border-radius: 50%; background: #fff; }
    .key.exact::before, .key.target::before { border-top-color: var(--p); }
    .key.limit::before, .key.behavior::before { border-top: 2px dashed var(--q); }
    .explorer { border: 1px solid var(--line); border-radius: 0.4rem; padding: 0.8rem 1rem; margin: 1rem 0; background: #f6f8fa; }
    .slider { display: flex; flex-wrap: wrap; align-items: center; gap: 0.8rem; font-size: 1.05rem; }
    .slider input { width: min(28rem, 100%); }
    .slider output { font-weight: 700; font-variant-numeric: tabular-nums; }
    .explorer-body { display: flex; flex-wrap: wrap; gap: 1.5rem; align-items: flex-start; }
    .explorer-body figure { flex: 1 1 420px; }
    dl.readout { flex: 1 1 340px; display: grid; grid-template-columns: max-content minmax(8rem, 1fr); gap: 0.3rem 0.8rem; margin: 0.8rem 0; align-content: start; }
    dl.readout div { display: contents; }
    dl.readout dd { justify-self: start; }
    .readout-note { flex: 1 1 100%; font-size: 0.85rem; margin: 0; }
    dl.readout dd { font-weight: 600; font-variant-numeric: tabular-nums; }
    details.points > summary { cursor: pointer; font-weight: 600; margin: 0.6rem 0; }
    nav table { width: 100%; }
    @media print { details.points { display: block; } .slider input { display: none; } }

    """

    /// The slider's script: reads the precomputed points from the JSON beside it
    /// and shows the selected one; `#gap=1.5` in the URL selects the point nearest
    /// gap 1.5 (any swept variable works the same way).
    static let script = """
    (function () {
      "use strict";
      document.documentElement.classList.add("js");
      var each = function (list, f) { Array.prototype.forEach.call(list, f); };
      var explorers = [];
      each(document.querySelectorAll(".explorer"), function (ex) {
        var data = JSON.parse(document.getElementById(ex.getAttribute("data-json")).textContent);
        var input = ex.querySelector("input[type=range]");
        var sweep = ex.closest(".sweep");
        var show = function (i) {
          var point = data.points[i];
          data.fields.forEach(function (field, k) {
            each(ex.querySelectorAll("[data-field='" + field + "']"), function (el) { el.textContent = point.text[k]; });
          });
          each(ex.querySelectorAll("[data-field='verdict']"), function (el) { el.className = point.met ? "met" : "not-met"; });
          ex.querySelector("path.density.target").setAttribute("d", point.path_target);
          ex.querySelector("path.density.behavior").setAttribute("d", point.path_behavior);
          each(sweep.querySelectorAll("path.cursor"), function (c) { c.setAttribute("d", point.cursor); });
          input.setAttribute("aria-valuetext", point.label);
          ex.setAttribute("data-index", String(i));
        };
        input.disabled = false;
        input.addEventListener("input", function () { show(Number(input.value)); });
        explorers.push({ element: ex, input: input, data: data });
        ex.setAttribute("data-ready", "true");
      });
      var fromFragment = function () {
        var fragment = decodeURIComponent(window.location.hash.replace(/^#/, ""));
        fragment.split("&").forEach(function (pair) {
          var eq = pair.indexOf("=");
          if (eq <= 0 || eq === pair.length - 1) { return; }
          var key = pair.slice(0, eq), value = Number(pair.slice(eq + 1));
          if (!isFinite(value)) { return; }
          explorers.forEach(function (e) {
            if (e.data.variable !== key) { return; }
            var best = 0;
            e.data.points.forEach(function (p, i) {
              if (Math.abs(p.value - value) < Math.abs(e.data.points[best].value - value)) { best = i; }
            });
            e.input.value = String(best);
            e.input.dispatchEvent(new Event("input", { bubbles: true }));
          });
        });
      };
      fromFragment();
      window.addEventListener("hashchange", fromFragment);
    })();

    """
}
