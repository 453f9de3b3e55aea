import Foundation

/// A map from data values to pixels, linear or logarithmic.
struct PlotScale {
    var lower: Double
    var upper: Double
    var logarithmic: Bool
    /// Pixels of `lower` and `upper` (for a y axis, `from` is the bottom).
    var from: Double
    var to: Double

    /// The pixel of `v`, clamped to the axis (a log axis sends v <= 0 to its lower end).
    func pixel(_ v: Double) -> Double {
        let t: Double
        if logarithmic {
            t = v > 0 ? (log10(v) - log10(lower)) / (log10(upper) - log10(lower)) : 0
        } else {
            t = (v - lower) / (upper - lower)
        }
        return from + Swift.min(Swift.max(t.isNaN ? 0 : t, 0), 1) * (to - from)
    }

    /// The data value at pixel `p` (inverse of ``pixel(_:)`` inside the axis).
    func value(atPixel p: Double) -> Double {
        let t = (p - from) / (to - from)
        return logarithmic ? pow(10, log10(lower) + t * (log10(upper) - log10(lower))) : lower + t * (upper - lower)
    }

    /// A scale covering the finite `values` and `extra` (positive ones on a log
    /// axis), with 4% room at both ends. It is logarithmic when every value of
    /// `values` is positive and the largest is at least `logRatio` times the
    /// smallest; `extra` (interval ends) widens the range but does not decide that.
    static func fitting(_ values: [Double], extra: [Double] = [], logRatio: Double, from: Double, to: Double,
                        padding: Double = 0.04) -> PlotScale {
        let core = values.filter(\.isFinite)
        guard let coreLow = core.min(), let coreHigh = core.max() else {
            return PlotScale(lower: 0, upper: 1, logarithmic: false, from: from, to: to)
        }
        let logarithmic = coreLow > 0 && coreHigh / coreLow >= logRatio
        let finite = core + extra.filter { $0.isFinite && (!logarithmic || $0 > 0) }
        let lo = finite.min()!, hi = finite.max()!
        if logarithmic {
            let a = log10(lo), b = log10(hi), pad = (b - a) * padding
            return PlotScale(lower: pow(10, a - pad), upper: pow(10, b + pad), logarithmic: true, from: from, to: to)
        }
        if lo == hi {
            let half = lo == 0 ? 0.5 : abs(lo) * 0.1
            return PlotScale(lower: lo - half, upper: hi + half, logarithmic: false, from: from, to: to)
        }
        let pad = (hi - lo) * padding
        return PlotScale(lower: lo - pad, upper: hi + pad, logarithmic: false, from: from, to: to)
    }

    /// Tick values inside the axis: 1, 2 or 5 times a power of ten apart on a
    /// linear axis; powers of ten (and 2 and 5 times them when the axis spans
    /// less than two decades) on a log axis.
    var ticks: [Double] {
        if logarithmic {
            let a = Int(floor(log10(lower))), b = Int(ceil(log10(upper)))
            let multiples: [Double] = b - a <= 2 ? [1, 2, 5] : [1]
            let stride = Swift.max(1, (b - a) / 6)
            var out: [Double] = []
            for k in Swift.stride(from: a, through: b, by: stride) {
                for m in multiples {
                    let v = m * pow(10, Double(k))
                    if v >= lower * (1 - 1e-12), v <= upper * (1 + 1e-12) { out.append(v) }
                }
            }
            return out
        }
        let raw = (upper - lower) / 5
        guard raw > 0, raw.isFinite else { return [lower] }
        let magnitude = pow(10, floor(log10(raw)))
        let n = raw / magnitude
        let step = (n < 1.5 ? 1 : n < 3 ? 2 : n < 7 ? 5 : 10) * magnitude
        let first = Int(ceil(lower / step - 1e-9)), last = Int(floor(upper / step + 1e-9))
        guard first <= last else { return [] }
        return (first...last).map { Double($0) * step }
    }

    /// A tick's label: %g with 4 significant digits, and "0" for values that are
    /// zero up to rounding.
    func label(_ v: Double) -> String {
        if !logarithmic, abs(v) < (upper - lower) * 1e-9 { return "0" }
        return String(format: "%.4g", v)
    }
}

/// One chart: a frame with labelled axes and ticks; marks are added in data coordinates.
struct SVGPlot {
    static let width = 640.0
    static let height = 280.0
    static let left = 76.0, right = 18.0, top = 14.0, bottom = 52.0

    var x: PlotScale
    var y: PlotScale

    /// Horizontal and vertical pixel ranges of the plotting area.
    static var xPixels: (Double, Double) { (left, width - right) }
    static var yPixels: (Double, Double) { (height - bottom, top) }

    func px(_ v: Double) -> String { HTMLText.coordinate(x.pixel(v)) }
    func py(_ v: Double) -> String { HTMLText.coordinate(y.pixel(v)) }

    /// The opening `<svg>` with its accessible title and description, the axes,
    /// tick marks, tick labels and axis labels. Close it with `</svg>`.
    func open(id: String, title: String, description: String, xLabel: String, yLabel: String, cssClass: String) -> String {
        let (x0, x1) = Self.xPixels, (y0, y1) = Self.yPixels
        let c = HTMLText.coordinate
        var out = "<svg class=\"plot \(cssClass)\" id=\"\(id)\" viewBox=\"0 0 \(Int(Self.width)) \(Int(Self.height))\" role=\"img\" aria-labelledby=\"\(id)-title \(id)-desc\""
        out += " data-x-lower=\"\(x.lower)\" data-x-upper=\"\(x.upper)\" data-x-log=\"\(x.logarithmic)\" data-px-from=\"\(x.from)\" data-px-to=\"\(x.to)\""
        out += " data-y-lower=\"\(y.lower)\" data-y-upper=\"\(y.upper)\" data-y-log=\"\(y.logarithmic)\" data-py-from=\"\(y.from)\" data-py-to=\"\(y.to)\">\n"
        out += "<title id=\"\(id)-title\">\(HTMLText.escape(title))</title>\n<desc id=\"\(id)-desc\">\(HTMLText.escape(description))</desc>\n"
        out += "<g class=\"axes\" aria-hidden=\"true\">"
        out += "<path class=\"frame\" d=\"M\(c(x0)),\(c(y1))V\(c(y0))H\(c(x1))\"/>"
        for t in x.ticks {
            let p = x.pixel(t)
            out += "<path class=\"grid\" d=\"M\(c(p)),\(c(y0))V\(c(y1))\"/><path class=\"tick\" d=\"M\(c(p)),\(c(y0))v5\"/>"
            out += "<text class=\"tick-label\" x=\"\(c(p))\" y=\"\(c(y0 + 18))\" text-anchor=\"middle\">\(HTMLText.escape(x.label(t)))</text>"
        }
        for t in y.ticks {
            let p = y.pixel(t)
            out += "<path class=\"grid\" d=\"M\(c(x0)),\(c(p))H\(c(x1))\"/><path class=\"tick\" d=\"M\(c(x0)),\(c(p))h-5\"/>"
            out += "<text class=\"tick-label\" x=\"\(c(x0 - 8))\" y=\"\(c(p + 4))\" text-anchor=\"end\">\(HTMLText.escape(y.label(t)))</text>"
        }
        out += "<text class=\"axis-label\" x=\"\(c((x0 + x1) / 2))\" y=\"\(c(Self.height - 10))\" text-anchor=\"middle\">\(HTMLText.escape(xLabel + (x.logarithmic ? " (log scale)" : "")))</text>"
        out += "<text class=\"axis-label\" transform=\"translate(16 \(c((y0 + y1) / 2))) rotate(-90)\" text-anchor=\"middle\">\(HTMLText.escape(yLabel + (y.logarithmic ? " (log scale)" : "")))</text>"
        out += "</g>\n"
        return out
    }

    /// A polyline through the points, broken where a value is missing or not
    /// finite (or not positive on a log axis).
    func path(_ points: [(x: Double, y: Double?)]) -> String {
        var d = "", pen = false
        for p in points {
            guard let v = p.y, v.isFinite, !y.logarithmic || v > 0 else { pen = false; continue }
            d += (pen ? "L" : "M") + px(p.x) + "," + py(v)
            pen = true
        }
        return d
    }
}
