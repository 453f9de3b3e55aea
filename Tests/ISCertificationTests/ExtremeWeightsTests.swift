import Foundation
import ISProbability
import ISScenario
import Testing
@testable import ISCertification

/// The extreme-weights check: deterministic, so a correct implementation always
/// passes it and a planted non-finite result always fails it.
@Suite struct ExtremeWeightsTests {
    /// A mask applied by multiplying: exp(log r) x 1[in band] x f.
    static func multipliedMask(low: Double, high: Double) -> PlantedEstimator {
        PlantedEstimator(name: "masked-by-multiplying", spec: .masked(low: low, high: high)) { d in
            var sum = 0.0
            for i in 0..<d.count {
                let keep: Double = d.logRatios[i] >= log(low) && d.logRatios[i] <= log(high) ? 1 : 0
                sum += exp(d.logRatios[i]) * keep * d.values[i]
            }
            return sum / Double(d.count)
        }
    }

    @Test func aMaskAppliedByMultiplyingFails() {
        let check = Checks.extremeWeights(Self.multipliedMask(low: 0.5, high: 5), length: 1, policy: false)
        #expect(check.status == .fail)
        #expect(check.observed?.isNaN == true)
        #expect(check.reason.contains("log r = 1000"), "\(check.reason)")
    }

    /// On token sequences: the per-sequence weight is the product of the tokens',
    /// so one token at log r = 1000 puts the whole sequence outside the band.
    @Test func aMaskAppliedByMultiplyingFailsOnSequences() {
        let check = Checks.extremeWeights(Self.multipliedMask(low: 0.5, high: 5), length: 8, policy: true)
        #expect(check.status == .fail)
    }

    /// Every built-in estimator with a closed form passes, on single draws (those
    /// that are not token-level, which only policies have) and on sequences of 1,
    /// 2 and 64 tokens; Pareto smoothing has no closed form.
    @Test(arguments: [EstimatorSpec.importanceSampling, .selfNormalized, .truncated(cap: 2), .clamped(low: 0.8, high: 1.2),
                      .masked(low: 0.5, high: 5), .ppoClip(eps: 0.2), .klK1, .klK2, .klK3,
                      .perDecision, .perToken, .geometricMean, .tokenTruncated(cap: 2), .tokenMasked(low: 0.5, high: 2)])
    func builtinEstimatorsPass(_ spec: EstimatorSpec) {
        let e = BuiltinEstimator(spec)
        if !spec.isTokenLevel {
            let single = Checks.extremeWeights(e, length: 1, policy: false)
            #expect(single.status != .fail, "\(spec.canonicalText): \(single.reason)")
        }
        for T in [1, 2, 64] {
            let c = Checks.extremeWeights(e, length: T, policy: true)
            #expect(c.status != .fail, "\(spec.canonicalText), T = \(T): \(c.reason)")
        }
        #expect(Checks.extremeWeights(BuiltinEstimator(.paretoSmoothed), length: 1, policy: false).status == .notApplicable)
    }

    /// Where the mathematics itself is not finite (IS at r = inf), an infinite
    /// estimate is no bug; a finite one is not required either.
    @Test func nothingIsRequiredWhereTheSpecificationIsNotFinite() {
        let overflowing = PlantedEstimator(name: "is-by-ratios", spec: .importanceSampling) { d in
            var sum = 0.0
            for i in 0..<d.count { sum += d.ratios[i] * d.values[i] }
            return sum / Double(d.count)
        }
        let check = Checks.extremeWeights(overflowing, length: 1, policy: false)
        #expect(check.status == .pass, "\(check.reason)")
    }

    /// A cap that is not applied overflows where the truncated estimator is
    /// finite; an inverted ratio overflows where the true one underflows
    /// (log r = -1000). A wrong but finite value is for the simulated checks.
    @Test func overflowsWhereTheMathematicsIsFiniteFail() {
        let uncapped = PlantedEstimator(name: "truncated-without-cap", spec: .truncated(cap: 2)) { d in
            var sum = 0.0
            for i in 0..<d.count { sum += exp(d.logRatios[i]) * d.values[i] }
            return sum / Double(d.count)
        }
        #expect(Checks.extremeWeights(uncapped, length: 1, policy: false).status == .fail)
        let inverted = PlantedEstimator(name: "is-inverted", spec: .importanceSampling) { d in
            var sum = 0.0
            for i in 0..<d.count { sum += exp(-d.logRatios[i]) * d.values[i] }
            return sum / Double(d.count)
        }
        #expect(Checks.extremeWeights(inverted, length: 1, policy: false).status == .fail)
        let doubledCap = PlantedEstimator(name: "cap-doubled", spec: .truncated(cap: 2)) { d in
            var sum = 0.0
            for i in 0..<d.count { sum += min(exp(d.logRatios[i]), 4) * d.values[i] }
            return sum / Double(d.count)
        }
        #expect(Checks.extremeWeights(doubledCap, length: 1, policy: false).status == .pass)
    }

    /// The check is part of every certification of a value scenario, and a
    /// scenario whose estimator fails it is not met.
    @Test func aFailingEstimatorMakesTheScenarioNotMet() throws {
        let s = Fixture.gaussianGap(0.5, trials: 200)
        let report = try Certifier(simulator: Simulator(jobs: 2))
            .certify(s, estimators: [Self.multipliedMask(low: 0.5, high: 5)], thresholds: Thresholds(checks: 3))
        #expect(report.checks.first { $0.name == .extremeWeights }?.status == .fail)
        #expect(!report.met)
    }
}
