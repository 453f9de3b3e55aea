import ISProbability
import ISScenario

extension TextReport {
    /// A gradient scenario's exact gradient, then per estimator its bias and the
    /// trace of its covariance, exact and observed (norms over theta's components).
    static func gradientTable(_ r: ScenarioReport, _ g: GradientReference) -> [String] {
        var out = ["  exact: J = E_(pi_theta)[f] = \(TextReport.g(g.objective))   grad J = ["
                   + g.gradient.map { TextReport.g($0, 4) }.joined(separator: ", ") + "] over theta = "
                   + "[" + g.parameterNames.joined(separator: ", ") + "]   (\(g.method))"]
        out.append("  " + pad("gradient estimator", 26) + pad("draws", 8) + pad("|bias| exact", 14) + pad("|bias| observed", 17)
                   + pad("tr Cov exact", 14) + pad("tr Cov observed", 17) + "clip active (exact P)")
        for (e, entry) in g.estimators.enumerated() {
            let (exactBias, seenBias, seenTrace) = summary(r, g, estimator: e)
            out.append("  " + pad(entry.name, 26) + pad(entry.drawsFromTarget ? "pi" : "pi_old", 8) + pad(TextReport.g(exactBias, 4), 14)
                       + pad(TextReport.g(seenBias, 4), 17) + pad(TextReport.g(entry.trace, 4), 14) + pad(TextReport.g(seenTrace, 4), 17)
                       + TextReport.g(entry.clippedMass, 4))
        }
        return out
    }

    /// Estimator e's exact and observed ||E Z - grad J|| and its observed tr Cov Z.
    static func summary(_ r: ScenarioReport, _ g: GradientReference, estimator e: Int) -> (Double, Double, Double) {
        let d = g.parameterNames.count
        var exact = 0.0, seen = 0.0, trace = 0.0
        for c in 0..<d {
            let s = r.statistics.estimates[e * d + c]
            exact += (g.estimators[e].mean[c] - g.gradient[c]) * (g.estimators[e].mean[c] - g.gradient[c])
            seen += (s.mean - g.gradient[c]) * (s.mean - g.gradient[c])
            trace += s.variance
        }
        return (exact.squareRoot(), seen.squareRoot(), trace)
    }

    /// A gradient sweep, point by point: ESS/N, and per estimator |bias| and tr Cov, observed / exact.
    static func renderGradientSweep(_ sw: SweepReport) -> String {
        let s = sw.scenario
        var out = ["\(sw.met ? "MET    " : "NOT MET") \(s.name): sweep over \(s.sweep?.variable ?? "?") (\(sw.points.count) points)",
                   "  \(s.summary)"]
        if let file = s.file { out.append("  file: \(file)") }
        let names = sw.points.first?.gradient?.estimators.map(\.name) ?? []
        out.append("  " + pad(s.sweep?.variable ?? "value", 10) + pad("met", 5) + pad("ESS/N obs", 12) + pad("exact@N", 12)
                   + names.map { pad("|bias[\($0)]| obs / exact", 40) + pad("trCov obs / exact", 24) }.joined())
        for p in sw.points {
            var line = "  " + pad(g(p.scenario.sweepPoint?.value, 4), 10) + pad(p.met ? "yes" : "NO", 5)
                + pad(g(p.statistics.essFraction.mean, 4), 12) + pad(g(p.reference.ess?.mean, 4), 12)
            if let ref = p.gradient {
                for e in ref.estimators.indices {
                    let (exactBias, seenBias, seenTrace) = summary(p, ref, estimator: e)
                    line += pad("\(g(seenBias, 3)) / \(g(exactBias, 3))", 40) + pad("\(g(seenTrace, 3)) / \(g(ref.estimators[e].trace, 3))", 24)
                }
            }
            out.append(line)
        }
        for p in sw.points where !p.met { out.append(render(p)) }
        return out.joined(separator: "\n")
    }
}
