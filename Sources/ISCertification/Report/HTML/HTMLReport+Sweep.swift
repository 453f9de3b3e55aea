import Foundation
import ISProbability
import ISScenario

extension HTMLReport {
    /// One sweep: a table of the points, ESS/N and each estimator's variance
    /// against the swept variable, the slider (densities, ESS/N and spread at each
    /// point), the checks across points, and every point's own section.
    func sweepSection(_ sw: SweepReport, index: Int) -> String {
        let s = sw.scenario, variable = s.sweep?.variable ?? "value"
        let id = HTMLText.id("sweep", s.name)
        let values = sw.points.map { $0.scenario.sweepPoint?.value ?? .nan }
        let xLabel = variable == Sweep.samplesVariable ? "N (draws per trial)" : variable
        var out = "<section class=\"sweep \(sw.met ? "met" : "not-met")\" id=\"\(id)\" aria-labelledby=\"\(id)-heading\">\n"
        out += "<h2 id=\"\(id)-heading\">\(HTMLText.escape(s.name)) \(Self.verdictBadge(sw.met))</h2>\n"
        let notMet = sw.points.filter { !$0.met }.count
        out += "<p class=\"verdict\"><strong>\(sw.met ? "MET" : "NOT MET")</strong>: sweep over \(HTMLText.escape(variable)), \(sw.points.count) points, "
        out += notMet == 0 ? "every point met its expectation" : "\(notMet) point\(notMet == 1 ? "" : "s") not met"
        let failedAcross = sw.checks.filter { $0.status == .fail }.count
        if failedAcross > 0 { out += "; \(failedAcross) check\(failedAcross == 1 ? "" : "s") across points failed" }
        out += ".</p>\n<p class=\"description\">\(HTMLText.escape(s.summary))</p>\n"
        if let file = s.file { out += "<p class=\"file\">file: <code>\(HTMLText.escape(file))</code></p>\n" }
        let (x0, x1) = SVGPlot.xPixels
        let xScale = PlotScale.fitting(values, logRatio: 10, from: x0, to: x1)
        let zStar = report.thresholds.zStar
        if (2...Self.maxSliderPoints).contains(sw.points.count), values.allSatisfy(\.isFinite) {
            out += explorer(sw, values: values, x: xScale, id: "\(id)-explorer")
        }
        out += "<div class=\"charts\">\n"
        out += essFigure(sw, values: values, x: xScale, xLabel: xLabel, zStar: zStar, id: "\(id)-ess")
        for (i, name) in (sw.points.first?.estimators ?? []).enumerated() {
            out += varianceFigure(sw, estimator: i, name: name, values: values, x: xScale, xLabel: xLabel, zStar: zStar,
                                  id: "\(id)-variance-\(i)")
        }
        out += "</div>\n" + pointTable(sw, id: id)
        if !sw.checks.isEmpty { out += checksTable(sw.checks, caption: "Checks across points", id: "\(id)-checks") }
        out += "<details class=\"points\">\n<summary>Each point's certification (\(sw.points.count) sections)</summary>\n"
        for p in sw.points { out += scenarioSection(p, headingLevel: 3) }
        return out + "</details>\n</section>\n"
    }

    func pointTable(_ sw: SweepReport, id: String) -> String {
        let g = { (x: Double?) in HTMLText.escape(TextReport.g(x, 4)) }
        let names = sw.points.first?.estimators ?? []
        var out = "<table class=\"points\" id=\"\(id)-points\">\n<caption>Points: ESS/N and each estimator's variance, observed against exact</caption>\n<thead><tr>"
        out += "<th scope=\"col\">\(HTMLText.escape(sw.scenario.sweep?.variable ?? "value"))</th><th scope=\"col\">verdict</th>"
        out += "<th scope=\"col\">ESS/N observed</th><th scope=\"col\">E[ESS/N] exact at N</th><th scope=\"col\">ESS/N as N → ∞</th>"
        for n in names { out += "<th scope=\"col\">variance of <code>\(HTMLText.escape(n))</code>: observed / exact</th>" }
        out += "</tr></thead>\n<tbody>\n"
        for p in sw.points {
            out += "<tr><th scope=\"row\"><a href=\"#\(HTMLText.id("scenario", p.scenario.name))\">\(g(p.scenario.sweepPoint?.value))</a></th>"
            out += "<td>\(Self.verdictBadge(p.met))</td><td class=\"num\">\(g(p.statistics.essFraction.mean))</td>"
            out += "<td class=\"num\">\(g(p.reference.ess?.mean))</td><td class=\"num\">\(g(p.reference.essFraction))</td>"
            for i in names.indices {
                out += "<td class=\"num\">\(g(p.statistics.estimates[i].variance)) / \(HTMLText.escape(TextReport.moment(p.reference.estimators[i].variance)))</td>"
            }
            out += "</tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }

    /// A series of observed points with intervals over exact curves.
    struct Series {
        /// Observed value at each point, and its standard error when a check applied.
        var observed: [(value: Double?, standardError: Double?)]
        /// Exact curves: CSS class, legend text, value at each point.
        var curves: [(cssClass: String, legend: String, values: [Double?])]
    }

    func seriesFigure(_ series: Series, values: [Double], x: PlotScale, xLabel: String, yLabel: String, zStar: Double,
                      title: String, id: String) -> String {
        let (y0, y1) = SVGPlot.yPixels
        var core: [Double] = series.curves.flatMap { $0.values.compactMap { $0 } }, ends: [Double] = []
        for o in series.observed {
            guard let v = o.value else { continue }
            core.append(v)
            if let se = o.standardError { ends += [v - zStar * se, v + zStar * se] }
        }
        let plot = SVGPlot(x: x, y: PlotScale.fitting(core, extra: ends, logRatio: 100, from: y0, to: y1))
        let shown = series.observed.filter { $0.value?.isFinite == true }.count
        let withInterval = series.observed.filter { $0.value?.isFinite == true && $0.standardError != nil }.count
        let description = "\(yLabel) against \(xLabel) at \(values.count) points: \(shown) observed values, \(withInterval) of them with an interval of plus or minus z* = \(TextReport.g(zStar, 4)) standard errors, over "
            + series.curves.map(\.legend).joined(separator: " and ") + "."
        var out = "<figure class=\"sweep-chart\" id=\"\(id)\">\n"
        out += plot.open(id: "\(id)-svg", title: title, description: description, xLabel: xLabel, yLabel: yLabel, cssClass: "sweep-plot")
        for c in series.curves {
            out += "<path class=\"curve \(c.cssClass)\" d=\"\(plot.path(zip(values, c.values).map { ($0, $1) }))\"/>\n"
        }
        var whiskers = "", marks = ""
        for (xv, o) in zip(values, series.observed) {
            guard let v = o.value, v.isFinite, !plot.y.logarithmic || v > 0 else { continue }
            let cx = plot.px(xv), cy = plot.py(v)
            if let se = o.standardError {
                whiskers += "M\(cx),\(plot.py(v - zStar * se))V\(plot.py(v + zStar * se))"
                marks += "<circle class=\"observed\" cx=\"\(cx)\" cy=\"\(cy)\" r=\"3.5\"/>"
            } else {
                marks += "<circle class=\"observed no-interval\" cx=\"\(cx)\" cy=\"\(cy)\" r=\"3.5\"/>"
            }
        }
        out += "<path class=\"interval\" d=\"\(whiskers)\"/>\n<g class=\"marks\">\(marks)</g>\n"
        let first = values.first.map { plot.px($0) } ?? "0"
        out += "<path class=\"cursor\" d=\"M\(first),\(HTMLText.coordinate(y0))V\(HTMLText.coordinate(y1))\"/>\n</svg>\n"
        out += "<figcaption><span class=\"chart-title\">\(HTMLText.escape(title))</span> "
        out += "<span class=\"key observed\">observed ± z* standard errors (z* = \(HTMLText.escape(TextReport.g(zStar, 4))))</span>"
        if withInterval < shown { out += " <span class=\"key no-interval\">observed, check not applicable (no interval)</span>" }
        for c in series.curves { out += " <span class=\"key \(c.cssClass)\">\(HTMLText.escape(c.legend))</span>" }
        return out + "</figcaption>\n</figure>\n"
    }

    func essFigure(_ sw: SweepReport, values: [Double], x: PlotScale, xLabel: String, zStar: Double, id: String) -> String {
        let series = Series(
            observed: sw.points.map { p in
                let c = p.check(.ess)
                let se = c?.status == .notApplicable ? nil : c?.standardError
                return (c?.observed ?? p.statistics.essFraction.mean, se)
            },
            curves: [
                ("exact", "exact E[ESS/N] at each point's N", sw.points.map { $0.check(.ess)?.expected ?? $0.reference.ess?.mean }),
                ("limit", "ESS/N as N → ∞", sw.points.map { $0.reference.essFraction }),
            ])
        return seriesFigure(series, values: values, x: x, xLabel: xLabel, yLabel: "ESS/N", zStar: zStar,
                            title: "ESS/N against \(xLabel)", id: id)
    }

    func varianceFigure(_ sw: SweepReport, estimator i: Int, name: String, values: [Double], x: PlotScale, xLabel: String,
                        zStar: Double, id: String) -> String {
        let series = Series(
            observed: sw.points.map { p in
                let c = p.check(.variance, estimator: name)
                let se = c?.status == .notApplicable ? nil : c?.standardError
                return (c?.observed ?? p.statistics.estimates[i].variance, se)
            },
            curves: [("exact", "exact variance of one trial's estimate", sw.points.map { $0.reference.estimators[i].variance.value })])
        return seriesFigure(series, values: values, x: x, xLabel: xLabel, yLabel: "variance of \(name)", zStar: zStar,
                            title: "Variance of the \(name) estimate against \(xLabel)", id: id)
    }
}
