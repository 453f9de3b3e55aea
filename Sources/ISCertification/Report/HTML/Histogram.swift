import Foundation
import ISScenario

/// Counts of values in equal-width bins over their finite range.
struct Histogram {
    let lower: Double
    let binWidth: Double
    let counts: [Int]
    /// Values of -inf (a weight of exactly 0: p = 0 at the draw).
    let negativeInfinite: Int
    /// Values of +inf or NaN.
    let otherNonFinite: Int

    var upper: Double { lower + binWidth * Double(counts.count) }

    init(_ values: [Double], bins: Int = 40) {
        let finite = values.filter(\.isFinite)
        negativeInfinite = values.filter { $0 == -.infinity }.count
        otherNonFinite = values.count - finite.count - negativeInfinite
        guard let lo = finite.min(), let hi = finite.max() else {
            lower = 0; binWidth = 1; counts = []
            return
        }
        if hi - lo <= 1e-12 * Swift.max(1, abs(lo)) {
            // All weights equal (p = q, or a constant ratio): one bar.
            lower = lo - 0.5; binWidth = 1; counts = [finite.count]
            return
        }
        lower = lo
        binWidth = (hi - lo) / Double(bins)
        var c = Array(repeating: 0, count: bins)
        for v in finite { c[Swift.min(bins - 1, Int((v - lo) / binWidth))] += 1 }
        counts = c
    }
}

extension HTMLReport {
    /// The histogram of log r over the replayed trials, as an SVG figure.
    func histogramFigure(_ w: LogWeights, scenario s: Scenario, id: String) -> String {
        let h = Histogram(w.values)
        let trials = w.trials.count == 1 ? "trial \(w.trials.lowerBound)" : "trials \(w.trials.lowerBound)–\(w.trials.upperBound - 1)"
        var caption = "Log-weights log r = log p(x) − log q(x) of the \(w.values.count) draws of \(trials), replayed from their streams"
        if h.negativeInfinite > 0 { caption += "; \(h.negativeInfinite) draws with r = 0 (log r = −∞, p = 0 there) are not shown" }
        if h.otherNonFinite > 0 { caption += "; \(h.otherNonFinite) draws with an infinite or undefined log r are not shown" }
        caption += "."
        guard !h.counts.isEmpty else {
            return "<figure class=\"histogram\" id=\"\(id)\"><figcaption>\(HTMLText.escape(caption)) No finite log-weight to show.</figcaption></figure>\n"
        }
        let largest = Double(h.counts.max() ?? 1)
        let (x0, x1) = SVGPlot.xPixels, (y0, y1) = SVGPlot.yPixels
        let plot = SVGPlot(x: PlotScale(lower: h.lower, upper: h.upper, logarithmic: false, from: x0, to: x1),
                           y: PlotScale(lower: 0, upper: largest * 1.05, logarithmic: false, from: y0, to: y1))
        let finite = h.counts.reduce(0, +)
        let description = "Histogram of \(finite) finite log-weights in \(h.counts.count) bins from \(TextReport.g(h.lower, 4)) to \(TextReport.g(h.upper, 4)); the fullest bin holds \(Int(largest)) draws."
        var out = "<figure class=\"histogram\" id=\"\(id)\">\n"
        out += plot.open(id: "\(id)-svg", title: "Histogram of the log-weights of \(s.name)", description: description,
                         xLabel: "log r = log p(x) − log q(x)", yLabel: "draws", cssClass: "histogram-plot")
        var d = ""
        for (i, c) in h.counts.enumerated() where c > 0 {
            let a = h.lower + Double(i) * h.binWidth
            d += "M\(plot.px(a)),\(plot.py(0))V\(plot.py(Double(c)))H\(plot.px(a + h.binWidth))V\(plot.py(0))Z"
        }
        out += "<path class=\"bars\" d=\"\(d)\"/>\n"
        if h.lower < 0, h.upper > 0 {
            out += "<path class=\"marker\" d=\"M\(plot.px(0)),\(HTMLText.coordinate(y0))V\(HTMLText.coordinate(y1))\"/>"
            out += "<text class=\"marker-label\" x=\"\(HTMLText.coordinate(plot.x.pixel(0) + 4))\" y=\"\(HTMLText.coordinate(y1 + 12))\">r = 1</text>\n"
        }
        out += "</svg>\n<figcaption>\(HTMLText.escape(caption))</figcaption>\n</figure>\n"
        return out
    }
}
