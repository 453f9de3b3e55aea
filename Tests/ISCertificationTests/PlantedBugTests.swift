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

    /// Weights computed as q/p instead of p/q: E_q[(q/p) x^2] = e^0.25 (1 + 0.25)
    /// instead of 1.25. The mean check must fail. (The ESS check cannot see this bug
    /// here, and must not be expected to: ESS/N is scale-invariant, and under
    /// q = N(0,1) the inverted ratio q/p equals e^0.25 times p/q at -x, so both have
    /// the same distribution of ESS/N.)
    @Test func invertedRatioIsCaught() throws {
        let s = Fixture.gaussianGap(0.5)
        let inverted = TrialRecipe(weight: { lp, lq in exp(lq - lp) })
        let report = try certifier.certify(s, thresholds: thresholds, recipe: inverted)
        #expect(report.check(.mean)?.status == .fail, "\(report.check(.mean)!)")
        #expect(!report.met)
        // The same scenario with correct weights passes.
        let correct = try certifier.certify(s, thresholds: thresholds)
        #expect(correct.met, "\(correct.verdict)")
    }

    /// Samples drawn from p but still weighted by p/q: the estimate converges to
    /// E_p[r f], not E_p[f].
    @Test func drawingFromTheTargetIsCaught() throws {
        let s = Fixture.gaussianGap(0.5)
        let report = try certifier.certify(s, thresholds: thresholds, recipe: TrialRecipe(sampling: .target))
        #expect(report.check(.mean)?.status == .fail)
        #expect(!report.met)
    }

    /// A multiplicative bias of 3 times the mean check's smallest detectable shift.
    /// With the shift at 3 Delta_min the miss probability is Phi(z* - 3 (z* + z_0.8))
    /// < 1e-9.
    @Test func smallBiasIsCaught() throws {
        let s = Fixture.gaussianGap(0.5)
        let clean = try certifier.certify(s, thresholds: thresholds)
        let delta = try #require(clean.check(.mean)?.minDetectable)
        let factor = 1 + 3 * delta / 1.25
        let biased = TrialRecipe(weight: { lp, lq in factor * exp(lp - lq) })
        let report = try certifier.certify(s, thresholds: thresholds, recipe: biased)
        #expect(report.check(.mean)?.status == .fail, "bias \(factor - 1): \(report.check(.mean)!)")
    }

    /// The simulation runs N/2 draws per trial while the references assume N: the
    /// mean stays unbiased but the variance doubles and ESS/N moves. The variance
    /// and ESS checks must fail, the mean check must not.
    @Test func wrongSampleSizeIsCaughtByVarianceAndESS() throws {
        var s = Fixture.gaussianGap(0.5)
        let reference = ExactReference(target: s.target, behavior: s.behavior, f: s.f, samples: s.samples)
        s.samples /= 2
        let stats = try Simulator(jobs: 2).run(s)
        let variance = Checks.variance(reference, stats, samples: 200, trials: s.trials, thresholds: thresholds)
        let ess = Checks.ess(reference, stats, trials: s.trials, thresholds: thresholds)
        let mean = Checks.mean(reference, stats, samples: 200, trials: s.trials, thresholds: thresholds)
        #expect(variance.status == .fail, "\(variance)")
        #expect(ess.status == .fail, "\(ess)")
        #expect(mean.status != .fail, "\(mean)")
    }

    /// A weight that overflows to inf (0 * inf and inf - inf downstream) must fail
    /// the mean check and be counted as non-finite, never pass quietly.
    @Test func nonFiniteWeightsFail() throws {
        let s = Fixture.gaussianGap(0.5, trials: 200)
        let overflow = TrialRecipe(weight: { lp, lq in lp - lq > 0.5 ? .infinity : exp(lp - lq) })
        let report = try certifier.certify(s, thresholds: thresholds, recipe: overflow)
        #expect(report.statistics.nonFiniteTrials > 0)
        #expect(report.check(.mean)?.status == .fail)
        #expect(!report.met)
    }
}
