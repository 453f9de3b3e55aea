import Foundation
import ISProbability
import ISScenario

/// The human-readable report: one block per scenario with a table of checks,
/// then a one-line summary of the run.
public enum TextReport {
    static func g(_ x: Double?, _ digits: Int = 6) -> String {
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
        out.append("  p = \(s.target)   q = \(s.behavior)   f(x) = \(s.f.canonicalText)")
        out.append("  N = \(s.samples)   K = \(s.trials)   seed = \(r.seed)   expect = \(s.expectation.canonicalText)   regime: \(r.regime.rawValue.replacingOccurrences(of: "_", with: " "))")
        var exact = "  exact: E_p[f] = \(moment(ref.mean))   E_q[r^2] = \(moment(ref.r2))   E_q[r^2 f^2] = \(moment(ref.y2))"
        if let f = ref.essFraction { exact += "   ESS/N (N -> inf) = \(g(f))" }
        if let e = ref.ess { exact += "   E[ESS/N] at this N = \(g(e.mean))" }
        out.append(exact)
        out.append("  " + pad("check", 10) + pad("status", 16) + pad("observed", 14) + pad("expected", 14)
                   + pad("tolerance", 12) + pad("z", 9) + "detects")
        for c in r.checks {
            out.append("  " + pad(c.name.rawValue, 10) + pad(c.status.rawValue, 16) + pad(g(c.observed), 14)
                       + pad(g(c.expected), 14) + pad(g(c.tolerance, 3), 12) + pad(g(c.z, 3), 9) + g(c.minDetectable, 3))
            if c.status != .pass { out.append("      \(c.reason)") }
        }
        if r.statistics.nonFiniteTrials > 0 {
            out.append("  warning: \(r.statistics.nonFiniteTrials) trials produced non-finite weights or values (first: trial \(r.statistics.firstNonFiniteTrial!))")
        }
        if !r.met { out.append("  replay: \(r.replay)") }
        return out.joined(separator: "\n")
    }

    public static func summary(_ report: CertificationReport) -> String {
        let met = report.scenarios.filter(\.met).count
        let t = report.thresholds
        let n = report.scenarios.count
        return "\(n) scenario\(n == 1 ? "" : "s"): \(met) met, \(report.scenarios.count - met) not met "
            + "(family-wise false-alarm rate \(t.alpha) over \(t.checks) checks: |z| <= \(g(t.zStar, 4)); "
            + "'detects' is the shift found with probability \(g(t.power, 2)))"
    }

    public static func render(_ report: CertificationReport) -> String {
        (report.scenarios.map(render) + [summary(report)]).joined(separator: "\n\n")
    }
}
