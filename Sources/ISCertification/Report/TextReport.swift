import Foundation
import ISProbability
import ISScenario

/// The human-readable report: one block per scenario with a table of checks,
/// then a one-line summary of the run.
public enum TextReport {
    /// A number in %g form with `digits` significant digits; "-" for none, "inf" and "nan" spelled out.
    public static func g(_ x: Double?, _ digits: Int = 6) -> String {
        guard let x else { return "-" }
        if x.isNaN { return "nan" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return String(format: "%.\(digits)g", x)
    }

    static func moment(_ m: Moment) -> String {
        switch m {
        case let .finite(v, _): return g(v)
        case .infinite: return "inf"
        case .undetermined: return "undetermined"
        }
    }

    static func pad(_ s: String, _ w: Int) -> String { s.count >= w ? s + " " : s + String(repeating: " ", count: w - s.count) }

    public static func render(_ r: ScenarioReport) -> String {
        let s = r.scenario, ref = r.reference
        var out: [String] = []
        out.append("\(r.met ? "MET    " : "NOT MET") \(s.name): \(r.verdict)")
        out.append("  \(s.summary)")
        if let file = s.file { out.append("  file: \(file)") }
        out.append("  p = \(s.targetDescription)   q = \(s.behaviorDescription)   f(x) = \(s.f.canonicalText)" + (s.policy.map { "   T = \($0.length)" + ($0.scored == .last ? ", last token scored" : "") } ?? ""))
        out.append("  N = \(s.samples)   K = \(s.trials)   seed = \(r.seed)   expect = \(s.expectation.canonicalText)   regime: \(r.regime.rawValue.replacingOccurrences(of: "_", with: " "))")
        var exact = "  exact: E_p[f] = \(moment(ref.mean))   E_q[r^2] = \(moment(ref.r2))   E_q[r^2 f^2] = \(moment(ref.y2))"
        if let f = ref.essFraction { exact += "   ESS/N (N -> inf) = \(g(f))" }
        if let e = ref.ess { exact += "   E[ESS/N] at this N = \(g(e.mean))" }
        out.append(exact)
        var diag = "  diagnostics: tail index k = \(moment(ref.tailIndex))"
        if r.statistics.khat.count > 0 {
            diag += ", mean k-hat \(g(r.statistics.khat.mean, 3)) (threshold \(g(TailIndex.threshold(samples: s.samples), 3)), above in \(r.statistics.khatAboveThreshold) trials)"
        }
        diag += "   KL(q||p) = \(moment(ref.klBehaviorToTarget))   KL(p||q) = \(moment(ref.klTargetToBehavior))   chi^2 = \(moment(ref.chiSquare))"
        out.append(diag)
        for v in ref.supportViolations {
            out.append("  support violation: q never draws from [\(g(v.lower)), \(g(v.upper))], where p |f| has mass \(moment(v.mass))")
        }
        if let g = r.gradient {
            out += gradientTable(r, g)
        } else if r.estimators.count > 1 || r.estimators.first != "is" {
            out.append("  " + pad("estimator", 24) + pad("exact mean", 14) + pad("bias", 16) + pad("exact var", 14)
                       + pad("exact MSE", 12) + pad("observed mean", 15) + "observed bias")
            for (i, name) in r.estimators.enumerated() {
                let t = ref.estimators[i]
                // Bias against what the estimator estimates: E_p[f], KL(q || p) or a gradient component.
                let estimand = r.estimand(i)
                let bias = t.mean.value.flatMap { m in estimand.value.map { m - $0 } }
                let mse = bias.flatMap { b in t.variance.value.map { $0 + b * b } }
                let seen = r.statistics.estimates[i].mean
                let seenBias = estimand.value.map { seen - $0 }
                out.append("  " + pad(name, 24) + pad(moment(t.mean), 14) + pad(g(bias, 4), 16) + pad(moment(t.variance), 14)
                           + pad(mse.map { g($0, 4) } ?? (t.variance.isInfinite ? "inf" : "-"), 12)
                           + pad(g(seen), 15) + g(seenBias, 4))
            }
        }
        out += r.referencesInOrder.map { "  reference for \($0.estimator): \($0.reference.summary)" }
        out.append(header)
        out += r.checks.flatMap(row)
        if r.statistics.nonFiniteTrials > 0 {
            out.append("  warning: \(r.statistics.nonFiniteTrials) trials produced non-finite weights or values (first: trial \(r.statistics.firstNonFiniteTrial!))")
        }
        out += r.warnings.map { "  warning: " + $0 }
        if !r.met { out.append("  replay: \(r.replay)") }
        return out.joined(separator: "\n")
    }

    static let header = "  " + pad("check", 16) + pad("estimator", 24) + pad("status", 16) + pad("observed", 14)
        + pad("expected", 14) + pad("tolerance", 12) + pad("z", 9) + "detects"

    static func row(_ c: CheckResult) -> [String] {
        var out = ["  " + pad(c.name.rawValue, 16) + pad(c.estimator ?? "-", 24) + pad(c.status.rawValue, 16)
                   + pad(g(c.observed), 14) + pad(g(c.expected), 14) + pad(g(c.tolerance, 3), 12) + pad(g(c.z, 3), 9)
                   + g(c.minDetectable, 3)]
        if c.status != .pass { out.append("      \(c.reason)") }
        return out
    }

    /// A sweep: the curves point by point (ESS/N observed, exact at this N, and
    /// its N -> infinity limit; each estimator's observed and exact bias and
    /// variance), then the
    /// checks across points, then the details of any point not met.
    public static func render(_ sw: SweepReport) -> String {
        let s = sw.scenario
        var out: [String] = []
        out.append("\(sw.met ? "MET    " : "NOT MET") \(s.name): sweep over \(s.sweep?.variable ?? "?") (\(sw.points.count) points)")
        out.append("  \(s.summary)")
        if let file = s.file { out.append("  file: \(file)") }
        if sw.points.first?.gradient != nil { return renderGradientSweep(sw) }
        let names = sw.points.first?.estimators ?? []
        out.append("  " + pad(s.sweep?.variable ?? "value", 10) + pad("met", 5) + pad("ESS/N obs", 12) + pad("exact@N", 12)
                   + pad("N -> inf", 11) + names.map { pad("bias[\($0)] obs / exact", 36) }.joined()
                   + names.map { pad("var[\($0)] obs / exact", 34) }.joined())
        for p in sw.points {
            let ess = p.reference.ess?.mean
            var line = "  " + pad(g(p.scenario.sweepPoint?.value, 4), 10) + pad(p.met ? "yes" : "NO", 5)
                + pad(g(p.statistics.essFraction.mean, 4), 12) + pad(g(ess, 4), 12) + pad(g(p.reference.essFraction, 4), 11)
            for i in names.indices {
                // The bias against the estimator's own estimand: KL(q || p) for kl_*.
                let mu = p.estimand(i).value
                let seen = mu.map { p.statistics.estimates[i].mean - $0 }
                let exact = p.reference.estimators[i].mean.value.flatMap { m in mu.map { m - $0 } }
                line += pad("\(g(seen, 3)) / \(g(exact, 3))", 36)
            }
            for (i, _) in names.enumerated() {
                let variance = p.reference.estimators[i].variance
                line += pad("\(g(p.statistics.estimates[i].variance, 3)) / \(moment(variance))", 34)
            }
            out.append(line)
        }
        if !sw.checks.isEmpty {
            out.append(header)
            out += sw.checks.flatMap(row)
        }
        for p in sw.points where !p.met { out.append(render(p)) }
        return out.joined(separator: "\n")
    }

    public static func summary(_ report: CertificationReport) -> String {
        let met = report.scenarios.filter(\.met).count + report.sweeps.filter(\.met).count
        let t = report.thresholds
        let n = report.scenarios.count + report.sweeps.count
        return "\(n) scenario\(n == 1 ? "" : "s"): \(met) met, \(n - met) not met "
            + "(family-wise false-alarm rate \(t.alpha) over \(t.checks) checks: |z| <= \(g(t.zStar, 4)); "
            + "'detects' is the shift found with probability \(g(t.power, 2)))"
    }

    public static func render(_ report: CertificationReport) -> String {
        (report.scenarios.map(render) + report.sweeps.map(render) + [summary(report)]).joined(separator: "\n\n")
    }
}
