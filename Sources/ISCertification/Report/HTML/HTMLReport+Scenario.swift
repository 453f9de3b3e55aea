import Foundation
import ISProbability
import ISScenario

extension HTMLReport {
    /// One scenario (or one point of a sweep): verdict, facts, exact references,
    /// k-hat, the estimators' exact moments, the checks and the log-weight histogram.
    func scenarioSection(_ r: ScenarioReport, headingLevel h: Int) -> String {
        let s = r.scenario
        let id = HTMLText.id("scenario", s.name)
        var out = "<section class=\"scenario \(r.met ? "met" : "not-met")\" id=\"\(id)\" aria-labelledby=\"\(id)-heading\">\n"
        out += "<h\(h) id=\"\(id)-heading\">\(HTMLText.escape(s.name)) \(Self.verdictBadge(r.met))</h\(h)>\n"
        out += "<p class=\"verdict\"><strong>\(r.met ? "MET" : "NOT MET")</strong>: \(HTMLText.escape(r.verdict))</p>\n"
        out += "<p class=\"description\">\(HTMLText.escape(s.summary))</p>\n"
        out += "<dl class=\"facts\">\n"
        func fact(_ term: String, _ value: String) { out += "<div><dt>\(term)</dt><dd>\(value)</dd></div>\n" }
        fact("target p", "<code>\(HTMLText.escape(s.targetDescription))</code>")
        fact("behaviour q", "<code>\(HTMLText.escape(s.behaviorDescription))</code>")
        fact("f(x)", "<code>\(HTMLText.escape(s.f.canonicalText))</code>")
        fact("N (draws per trial)", "\(s.samples)")
        fact("K (trials)", "\(s.trials)")
        fact("seed", "\(r.seed)")
        fact("expect", "<code>\(HTMLText.escape(s.expectation.canonicalText))</code>")
        fact("regime", HTMLText.escape(r.regime.rawValue.replacingOccurrences(of: "_", with: " ")))
        if let file = s.file { fact("file", "<code>\(HTMLText.escape(file))</code>") }
        if !r.met { fact("replay", "<code>\(HTMLText.escape(r.replay))</code>") }
        out += "</dl>\n"
        if r.statistics.nonFiniteTrials > 0 {
            out += "<p class=\"warning\">Warning: \(r.statistics.nonFiniteTrials) trials produced non-finite weights or values (first: trial \(r.statistics.firstNonFiniteTrial ?? 0)).</p>\n"
        }
        out += "<div class=\"columns\">\n" + exactTable(r, id: id) + khatTable(r, id: id) + "</div>\n"
        if r.estimators.count > 1 || r.estimators.first != "is" { out += estimatorTable(r, id: id) }
        out += checksTable(r.checks, caption: "Checks", id: "\(id)-checks")
        if let weights = logWeights[s.name] { out += histogramFigure(weights, scenario: s, id: "\(id)-weights") }
        return out + "</section>\n"
    }

    static func moment(_ m: Moment) -> String { HTMLText.escape(TextReport.moment(m)) }

    func exactTable(_ r: ScenarioReport, id: String) -> String {
        let ref = r.reference, g = { (x: Double?) in HTMLText.escape(TextReport.g(x)) }
        var rows: [(String, String)] = [
            ("E_p[f], the estimand", Self.moment(ref.mean)),
            ("E_q[r f], what IS converges to", Self.moment(ref.isMean)),
            ("E_q[r²]", Self.moment(ref.r2)),
            ("E_q[r² f²]", Self.moment(ref.y2)),
            ("E_q[r⁴ f⁴]", Self.moment(ref.y4)),
            ("N × Var of the IS estimate", Self.moment(ref.varianceN)),
            ("ESS/N as N → ∞", g(ref.essFraction)),
        ]
        if let e = ref.ess { rows.append(("E[ESS/N] at N = \(r.scenario.samples)", "\(g(e.mean)) (sd \(g(e.sd)))")) }
        if let why = ref.essFailure { rows.append(("E[ESS/N] at this N", "not computed: " + HTMLText.escape(why))) }
        rows += [
            ("tail index k of r", Self.moment(ref.tailIndex)),
            ("KL(q ‖ p)", Self.moment(ref.klBehaviorToTarget)),
            ("KL(p ‖ q)", Self.moment(ref.klTargetToBehavior)),
            ("χ² = E_q[r²] − 1", Self.moment(ref.chiSquare)),
        ]
        for v in ref.supportViolations {
            rows.append(("support violation", "q never draws from [\(g(v.lower)), \(g(v.upper))], where p |f| has mass \(Self.moment(v.mass))"))
        }
        var out = "<table class=\"exact\" id=\"\(id)-exact\">\n<caption>Exact references <span class=\"note\">(\(HTMLText.escape(ref.method)))</span></caption>\n<tbody>\n"
        for (name, value) in rows { out += "<tr><th scope=\"row\">\(name)</th><td class=\"num\">\(value)</td></tr>\n" }
        return out + "</tbody>\n</table>\n"
    }

    func khatTable(_ r: ScenarioReport, id: String) -> String {
        let stats = r.statistics, threshold = TailIndex.threshold(samples: r.scenario.samples)
        let g = { (x: Double?) in HTMLText.escape(TextReport.g(x, 4)) }
        var out = "<table class=\"khat\" id=\"\(id)-khat\">\n<caption>PSIS k-hat of the weights</caption>\n<tbody>\n"
        if stats.khat.count > 0 {
            out += "<tr><th scope=\"row\">mean k-hat</th><td class=\"num\" data-field=\"mean-khat\">\(g(stats.khat.mean))</td></tr>\n"
            out += "<tr><th scope=\"row\">trials fitted</th><td class=\"num\">\(stats.khat.count)</td></tr>\n"
        } else {
            out += "<tr><th scope=\"row\">mean k-hat</th><td class=\"num\" data-field=\"mean-khat\">- (no trial had enough distinct weights for a tail fit)</td></tr>\n"
        }
        out += "<tr><th scope=\"row\">reliability threshold min(1 − 1/log10 N, 0.7)</th><td class=\"num\" data-field=\"khat-threshold\">\(g(threshold))</td></tr>\n"
        out += "<tr><th scope=\"row\">trials above the threshold</th><td class=\"num\">\(stats.khatAboveThreshold)</td></tr>\n"
        out += "<tr><th scope=\"row\">exact tail index k</th><td class=\"num\">\(Self.moment(r.reference.tailIndex))</td></tr>\n"
        return out + "</tbody>\n</table>\n"
    }

    func estimatorTable(_ r: ScenarioReport, id: String) -> String {
        let ref = r.reference, g = { (x: Double?) in HTMLText.escape(TextReport.g(x)) }
        var out = "<table class=\"estimators\" id=\"\(id)-estimators\">\n<caption>Estimators: exact moments of one trial's estimate, and what the trials gave</caption>\n"
        out += "<thead><tr><th scope=\"col\">estimator</th><th scope=\"col\">exact mean</th><th scope=\"col\">exact bias</th><th scope=\"col\">exact variance</th><th scope=\"col\">exact MSE</th><th scope=\"col\">observed mean</th><th scope=\"col\">observed variance</th></tr></thead>\n<tbody>\n"
        for (i, name) in r.estimators.enumerated() {
            let t = ref.estimators[i]
            let estimand = r.estimand(i)
            let bias = t.mean.value.flatMap { m in estimand.value.map { m - $0 } }
            let mse = bias.flatMap { b in t.variance.value.map { $0 + b * b } }
            out += "<tr><th scope=\"row\"><code>\(HTMLText.escape(name))</code></th><td class=\"num\">\(Self.moment(t.mean))</td><td class=\"num\">\(g(bias))</td>"
            out += "<td class=\"num\">\(Self.moment(t.variance))</td><td class=\"num\">\(mse.map { g($0) } ?? (t.variance.isInfinite ? "inf" : "-"))</td>"
            out += "<td class=\"num\">\(g(r.statistics.estimates[i].mean))</td><td class=\"num\">\(g(r.statistics.estimates[i].variance))</td></tr>\n"
        }
        out += "</tbody>\n</table>\n"
        for (estimator, reference) in r.referencesInOrder {
            out += "<p class=\"reference\" id=\"\(id)-\(HTMLText.id("reference", estimator))\">Simulated reference for <code>\(HTMLText.escape(estimator))</code>: \(HTMLText.escape(reference.summary))</p>\n"
        }
        return out
    }

    func checksTable(_ checks: [CheckResult], caption: String, id: String) -> String {
        let g = { (x: Double?, d: Int) in HTMLText.escape(TextReport.g(x, d)) }
        var out = "<table class=\"checks\" id=\"\(id)\">\n<caption>\(caption)</caption>\n"
        out += "<thead><tr><th scope=\"col\">check</th><th scope=\"col\">estimator</th><th scope=\"col\">status</th><th scope=\"col\">observed</th><th scope=\"col\">expected</th><th scope=\"col\">tolerance (±)</th><th scope=\"col\">z</th><th scope=\"col\">detects</th><th scope=\"col\">reason</th></tr></thead>\n<tbody>\n"
        for c in checks {
            out += "<tr class=\"\(c.status.rawValue.replacingOccurrences(of: "_", with: "-"))\"><th scope=\"row\">\(HTMLText.escape(c.name.rawValue))</th>"
            out += "<td><code>\(HTMLText.escape(c.estimator ?? "-"))</code></td>\(Self.statusCell(c.status))"
            out += "<td class=\"num\">\(g(c.observed, 6))</td><td class=\"num\">\(g(c.expected, 6))</td><td class=\"num\">\(g(c.tolerance, 3))</td>"
            out += "<td class=\"num\">\(g(c.z, 3))</td><td class=\"num\">\(g(c.minDetectable, 3))</td><td class=\"reason\">\(HTMLText.escape(c.reason))</td></tr>\n"
        }
        return out + "</tbody>\n</table>\n"
    }
}
