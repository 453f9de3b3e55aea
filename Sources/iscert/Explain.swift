import ArgumentParser
import Foundation
import ISCertification
import ISProbability
import ISScenario

/// `iscert explain FILE`: what a certification would test, without simulating.
struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show a scenario in canonical form, its exact references, and which checks apply and what they can detect.")

    @Argument(help: "One scenario file (.iscert).")
    var file: String

    @Option(help: "Trials per scenario (K), overriding the file's value.")
    var trials: Int?

    @OptionGroup var family: FamilyOptions

    func validate() throws {
        if let k = trials, k < 2 { throw ValidationError("--trials must be at least 2, got \(k)") }
    }

    func run() throws {
        let scenario: Scenario
        do { scenario = try ScenarioParser.load(path: file) } catch {
            FileHandle.writeError(error.description)
            throw ExitCode(ISCert.Exit.badInput)
        }
        var certifier = Certifier(alpha: family.alpha, trials: trials)
        certifier.familyChecks = family.familyChecks
        let thresholds = certifier.thresholds(for: [scenario])
        print("# canonical form\n" + scenario.canonicalText)
        print("# checks share alpha = \(family.alpha) over \(thresholds.checks): |z| <= \(TextReport.g(thresholds.zStar, 4)); shifts detected with probability \(TextReport.g(thresholds.power, 2))")
        for point in scenario.points {
            let (ref, checks) = certifier.plan(point, thresholds: thresholds)
            let s = certifier.effective(point)
            print("\n# \(s.name): N = \(s.samples), K = \(s.trials)")
            print("  E_p[f] = \(ref.mean)   E_q[r f] = \(ref.isMean)   E_q[r^2] = \(ref.r2)   E_q[r^2 f^2] = \(ref.y2)   E_q[r^4 f^4] = \(ref.y4)")
            print("  ESS/N (N -> inf) = \(ref.essFraction.map { "\($0)" } ?? "-")   E[ESS/N] at N = \(ref.ess.map { "\($0.mean)" } ?? "-")")
            print("  tail index k = \(ref.tailIndex) (k-hat threshold \(TextReport.g(TailIndex.threshold(samples: s.samples), 3)))   KL(q||p) = \(ref.klBehaviorToTarget)   KL(p||q) = \(ref.klTargetToBehavior)   chi^2 = \(ref.chiSquare)")
            for v in ref.supportViolations {
                print("  support violation: q never draws from [\(v.lower), \(v.upper)], where p |f| has mass \(v.mass)")
            }
            for (label, m) in [("E_q[r^2 f^2]", ref.y2), ("E_q[r^4 f^4]", ref.y4)] {
                if case let .infinite(why) = m { print("  \(label) is infinite: \(why)") }
            }
            for c in checks {
                let name = c.estimator.map { "\(c.name.rawValue)[\($0)]" } ?? c.name.rawValue
                if c.status == .notApplicable {
                    print("  \(name): does not apply: \(c.reason)")
                } else if let se = c.standardError, let d = c.minDetectable {
                    print("  \(name): applies; expected \(c.expected.map { "\($0)" } ?? "-"), standard error \(TextReport.g(se, 4)), detects a shift of \(TextReport.g(d, 4)) or more")
                } else {
                    print("  \(name): \(c.reason)")
                }
            }
        }
    }
}
