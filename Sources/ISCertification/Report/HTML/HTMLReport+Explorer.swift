import Foundation
import ISProbability
import ISScenario

extension HTMLReport {
    /// The fields the slider fills at each point, in the order of a point's `text`
    /// in the embedded JSON: (data-field name, label).
    static func explorerFields(estimators: [String]) -> [(field: String, label: String)] {
        var fields: [(String, String)] = [
            ("value", "value"), ("verdict", "verdict"),
            ("target", "target p"), ("behavior", "behaviour q"),
            ("ess-observed", "ESS/N, observed mean"),
            ("ess-interval", "ESS/N check interval"),
            ("ess-exact", "E[ESS/N], exact at N"),
            ("ess-limit", "ESS/N as N → ∞"),
        ]
        for (i, name) in estimators.enumerated() {
            fields.append(("sd-observed-\(i)", "sd of \(name), observed"))
            fields.append(("sd-exact-\(i)", "sd of \(name), exact"))
        }
        return fields
    }

    /// The texts of the fields at one point.
    func explorerTexts(_ p: ScenarioReport) -> [String] {
        let g = { (x: Double?) in TextReport.g(x, 4) }
        let ess = p.check(.ess)
        var texts = [
            canonicalNumber(p.scenario.sweepPoint?.value ?? .nan), p.met ? "✓ MET" : "✗ NOT MET",
            p.scenario.targetDescription, p.scenario.behaviorDescription,
            g(p.statistics.essFraction.mean),
            ess?.status != .notApplicable && ess?.tolerance != nil ? "± " + TextReport.g(ess?.tolerance, 3) + " (z* SE)"
                : "none: the check does not apply",
            g(ess?.expected ?? p.reference.ess?.mean), g(p.reference.essFraction),
        ]
        for i in p.estimators.indices {
            let v = p.statistics.estimates[i].variance
            texts.append(g(v >= 0 ? v.squareRoot() : nil))
            let exact = p.reference.estimators[i].variance
            texts.append(exact.isInfinite ? "inf" : g(exact.value.map { Swift.max($0, 0).squareRoot() }))
        }
        return texts
    }

    /// The slider over a sweep's points: the densities of p and q drawn from
    /// their exact log-densities, and the point's ESS/N and each estimator's
    /// spread. Drawn at the first point without JavaScript; the script swaps in
    /// the precomputed paths and texts of the point the slider selects (or that
    /// the URL fragment names, `#gap=1.5`).
    func explorer(_ sw: SweepReport, values: [Double], x sweepX: PlotScale, id: String) -> String {
        // Densities of one-dimensional distributions only: a policy scenario has none to draw.
        guard sw.scenario.policy == nil,
              let curves = DensityCurves(pairs: sw.points.map { ($0.scenario.target, $0.scenario.behavior) }) else { return "" }
        let variable = sw.scenario.sweep?.variable ?? "value"
        let names = sw.points.first?.estimators ?? []
        let fields = Self.explorerFields(estimators: names)
        let (x0, x1) = SVGPlot.xPixels, (y0, y1) = SVGPlot.yPixels
        let plot = SVGPlot(x: PlotScale(lower: curves.xs.first!, upper: curves.xs.last!, logarithmic: false, from: x0, to: x1),
                           y: PlotScale(lower: 0, upper: curves.largest * 1.05, logarithmic: false, from: y0, to: y1))
        // A density beyond the axis (a pole of a gamma or beta) is drawn at its top.
        func path(_ ys: [Double]) -> String {
            plot.path(zip(curves.xs, ys).map { ($0, $1.isNaN ? nil : Swift.min($1, plot.y.upper)) })
        }
        let cursors = values.map { "M\(HTMLText.coordinate(sweepX.pixel($0))),\(HTMLText.coordinate(y0))V\(HTMLText.coordinate(y1))" }
        let texts = sw.points.map(explorerTexts)
        let label = { (v: Double) in "\(variable) = \(canonicalNumber(v))" }

        var json = "{\"variable\":\(HTMLText.jsonString(variable)),\"fields\":[" + fields.map { HTMLText.jsonString($0.field) }.joined(separator: ",")
        json += "],\"grid\":[" + curves.xs.map { HTMLText.jsonNumber($0) }.joined(separator: ",") + "],\"points\":[\n"
        json += sw.points.indices.map { i in
            "{\"value\":\(HTMLText.jsonNumber(values[i], 17)),\"label\":\(HTMLText.jsonString(label(values[i]))),\"met\":\(sw.points[i].met),"
                + "\"text\":[" + texts[i].map(HTMLText.jsonString).joined(separator: ",") + "],"
                + "\"path_target\":\(HTMLText.jsonString(path(curves.target[i]))),\"path_behavior\":\(HTMLText.jsonString(path(curves.behavior[i]))),"
                + "\"cursor\":\(HTMLText.jsonString(cursors[i])),"
                + "\"target\":[" + curves.target[i].map { HTMLText.jsonNumber($0) }.joined(separator: ",") + "],"
                + "\"behavior\":[" + curves.behavior[i].map { HTMLText.jsonNumber($0) }.joined(separator: ",") + "]}"
        }.joined(separator: ",\n") + "\n]}"

        var out = "<div class=\"explorer\" id=\"\(id)\" data-variable=\"\(HTMLText.escape(variable))\" data-json=\"\(id)-data\" data-index=\"0\">\n"
        out += "<h3>Explore the sweep: the densities of p and q, ESS/N and each estimator's spread at each \(HTMLText.escape(variable))</h3>\n"
        out += "<div class=\"slider\"><label for=\"\(id)-input\">\(HTMLText.escape(variable)) = <output data-field=\"value\">\(HTMLText.escape(texts[0][0]))</output></label>\n"
        out += "<input type=\"range\" id=\"\(id)-input\" min=\"0\" max=\"\(sw.points.count - 1)\" step=\"1\" value=\"0\" aria-valuetext=\"\(HTMLText.escape(label(values[0])))\" disabled>\n"
        out += "<span class=\"range-ends\" aria-hidden=\"true\">\(HTMLText.escape(canonicalNumber(values.first!))) … \(HTMLText.escape(canonicalNumber(values.last!)))</span>\n"
        out += "<noscript><p class=\"note\">The slider needs JavaScript. Shown here: \(HTMLText.escape(label(values[0]))); the charts above show every point.</p></noscript></div>\n"

        out += "<div class=\"explorer-body\">\n<figure class=\"density\">\n"
        out += plot.open(id: "\(id)-density", title: "Densities of the target p and the behaviour q",
                         description: "The exact densities p(x) (solid) and q(x) (dashed) at the point the slider selects, on a common scale for all points.",
                         xLabel: "x", yLabel: "density", cssClass: "density-plot")
        // q, dashed, over p: where the two coincide (p = q) both stay visible.
        out += "<path class=\"density target\" d=\"\(path(curves.target[0]))\"/>\n"
        out += "<path class=\"density behavior\" d=\"\(path(curves.behavior[0]))\"/>\n</svg>\n"
        out += "<figcaption><span class=\"key target\">p (target), solid</span> <span class=\"key behavior\">q (behaviour), dashed</span></figcaption>\n</figure>\n"
        out += "<dl class=\"readout\" aria-live=\"polite\">\n"
        for (k, f) in fields.enumerated() where f.field != "value" {
            let cls = f.field == "verdict" ? " class=\"\(sw.points[0].met ? "met" : "not-met")\"" : ""
            out += "<div><dt>\(HTMLText.escape(f.label))</dt><dd data-field=\"\(f.field)\"\(cls)>\(HTMLText.escape(texts[0][k]))</dd></div>\n"
        }
        out += "</dl>\n<p class=\"note readout-note\">sd: the standard deviation of one trial's estimate, observed over the K trials and exact. SE: standard error; z* = \(HTMLText.escape(TextReport.g(report.thresholds.zStar, 4))).</p>\n</div>\n<script type=\"application/json\" id=\"\(id)-data\">\(json)</script>\n</div>\n"
        return out
    }
}
