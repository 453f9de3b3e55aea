import Foundation
import ISProbability
import ISScenario
import Testing
@testable import ISCertification

/// Each check must be able to fail: planted bugs that a correct harness catches.
///
/// The seeds are the scenarios' defaults, fixed before any result was seen. Each
/// bug is sized well beyond the check's smallest detectable shift, so the
/// probability of missing it is stated beside it.
@Suite struct PlantedBugTests {
    let certifier = Certifier(simulator: Simulator(jobs: 2))
    let thresholds = Thresholds(checks: 3)

    /// The correct certification of Fixture.gaussianGap(0.5), run once for the two
    /// tests that compare a planted bug with it.
    static let clean = Result {
        try Certifier(simulator: Simulator(jobs: 2)).certify(Fixture.gaussianGap(0.5), thresholds: Thresholds(checks: 3))
    }

    /// Weights computed as q/p instead of p/q: E_q[(q/p) x^2] = e^0.25 (1 + 0.25)
    /// instead of 1.25. The mean check must fail. (The ESS check cannot see this bug
    /// here, and must not be expected to: ESS/N is scale-invariant, and under
    /// q = N(0,1) the inverted ratio q/p equals e^0.25 times p/q at -x, so both have
    /// the same distribution of ESS/N.)
    @Test func invertedRatioIsCaught() throws {
        let s = Fixture.gaussianGap(0.5)
        let inverted = PlantedEstimator(name: "is-inverted", spec: .importanceSampling) { d in
            (0..<d.count).reduce(0.0) { $0 + exp(-d.logRatios[$1]) * d.values[$1] } / Double(d.count)
        }
        let report = try certifier.certify(s, estimators: [inverted], thresholds: thresholds)
        #expect(report.check(.mean)?.status == .fail, "\(report.check(.mean)!)")
        #expect(!report.met)
        // The same scenario with correct weights passes.
        let correct = try Self.clean.get()
        #expect(correct.met, "\(correct.verdict)")
    }

    /// Samples drawn from p but still weighted by p/q: the estimate converges to
    /// E_p[r f], not E_p[f].
    @Test func drawingFromTheTargetIsCaught() throws {
        let s = Fixture.gaussianGap(0.5)
        let report = try certifier.certify(s, thresholds: thresholds, drawFrom: .target)
        #expect(report.check(.mean)?.status == .fail)
        #expect(!report.met)
    }

    /// A multiplicative bias of 3 times the mean check's smallest detectable shift.
    /// With the shift at 3 Delta_min the miss probability is Phi(z* - 3 (z* + z_0.8))
    /// < 1e-9.
    @Test func smallBiasIsCaught() throws {
        let s = Fixture.gaussianGap(0.5)
        let clean = try Self.clean.get()
        let delta = try #require(clean.check(.mean)?.minDetectable)
        let factor = 1 + 3 * delta / 1.25
        let biased = PlantedEstimator(name: "is-scaled", spec: .importanceSampling) { d in
            factor * BuiltinEstimator(.importanceSampling).estimate(d)
        }
        let report = try certifier.certify(s, estimators: [biased], thresholds: thresholds)
        #expect(report.check(.mean)?.status == .fail, "bias \(factor - 1): \(report.check(.mean)!)")
    }

    /// The simulation runs N/2 draws per trial while the references assume N: the
    /// mean stays unbiased but the variance doubles and ESS/N moves. The variance
    /// and ESS checks must fail, the mean check must not.
    @Test func wrongSampleSizeIsCaughtByVarianceAndESS() throws {
        var s = Fixture.gaussianGap(0.5)
        let reference = ExactReference(target: s.target, behavior: s.behavior, f: s.f, samples: s.samples)
        s.samples /= 2
        let stats = try Fixture.isStats(s)
        let t = reference.estimators[0]
        let variance = Checks.variance("is", t, stats.estimates[0], trials: s.trials, thresholds: thresholds)
        let ess = Checks.ess(reference, stats, trials: s.trials, thresholds: thresholds)
        let mean = Checks.mean("is", t, claimsUnbiased: true, targetMean: reference.mean, stats.estimates[0],
                               trials: s.trials, thresholds: thresholds, notes: [])
        #expect(variance.status == .fail, "\(variance)")
        #expect(ess.status == .fail, "\(ess)")
        #expect(mean.status != .fail, "\(mean)")
    }

    /// A weight that overflows to inf (0 * inf and inf - inf downstream) must fail
    /// the mean check and be counted as non-finite, never pass quietly.
    @Test func nonFiniteWeightsFail() throws {
        let s = Fixture.gaussianGap(0.5, trials: 200)
        let overflow = PlantedEstimator(name: "is-overflow", spec: .importanceSampling) { d in
            (0..<d.count).reduce(0.0) { $0 + (d.logRatios[$1] > 0.5 ? .infinity : d.ratios[$1]) * d.values[$1] } / Double(d.count)
        }
        let report = try certifier.certify(s, estimators: [overflow], thresholds: thresholds)
        #expect(report.check(.mean)?.status == .fail)
        #expect(!report.met)
    }

    /// The estimator-family bugs of real RL code, each against its correct
    /// specification, at a scenario where the bug moves the expectation by many
    /// detectable shifts: a mask that keeps the outside of the band, PPO's clip
    /// taken on the wrong side of the advantage, self-normalising by N instead of
    /// sum r. The correct implementations pass the same checks.
    @Test(arguments: ["mask-outside", "clip-wrong-side", "snis-by-n"])
    func estimatorFamilyBugsAreCaught(_ bug: String) throws {
        // Self-normalising by N instead of sum r is ordinary IS, which is unbiased;
        // the bug shows only as the loss of SNIS's O(1/N) bias, about 9 standard
        // errors at N = 10 (2 at N = 200), so that case runs with N = 10.
        let s = Fixture.scenario("family-\(bug)", p: Fixture.normal(0.6, 1), q: Fixture.normal(0, 1), f: "x - 0.3",
                                 samples: bug == "snis-by-n" ? 10 : 200)
        let planted: PlantedEstimator
        switch bug {
        case "mask-outside":
            planted = PlantedEstimator(name: bug, spec: .masked(low: 0.5, high: 2)) { d in
                (0..<d.count).reduce(0.0) { sum, i in
                    let r = d.ratios[i]
                    return (r < 0.5 || r > 2) ? sum + r * d.values[i] : sum
                } / Double(d.count)
            }
        case "clip-wrong-side":
            planted = PlantedEstimator(name: bug, spec: .ppoClip(eps: 0.2)) { d in
                (0..<d.count).reduce(0.0) { sum, i in
                    let r = d.ratios[i], a = d.values[i]
                    return sum + Swift.max(r * a, Swift.min(Swift.max(r, 0.8), 1.2) * a)
                } / Double(d.count)
            }
        default:
            planted = PlantedEstimator(name: bug, spec: .selfNormalized) { d in
                (0..<d.count).reduce(0.0) { $0 + d.ratios[$1] * d.values[$1] } / Double(d.count)
            }
        }
        let correct = BuiltinEstimator(planted.spec)
        let report = try certifier.certify(s, estimators: [planted, correct], thresholds: Thresholds(checks: 5))
        #expect(report.check(.mean, estimator: bug)?.status == .fail, "\(report.check(.mean, estimator: bug)!)")
        #expect(report.check(.mean, estimator: correct.name)?.status == .pass, "\(report.check(.mean, estimator: correct.name)!)")
    }
}
