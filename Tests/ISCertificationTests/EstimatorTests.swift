import Foundation
import ISProbability
import ISScenario
import Testing
@testable import ISCertification

/// The built-in estimators on the public test vectors, and their exact references
/// against closed forms.
@Suite struct EstimatorTests {
    /// One trial's draws from plain arrays of log-ratios and values.
    func estimate(_ spec: EstimatorSpec, logRatios: [Double], values: [Double]) -> Double {
        let ratios = logRatios.map { exp($0) }
        return logRatios.withUnsafeBufferPointer { lr in
            ratios.withUnsafeBufferPointer { r in
                values.withUnsafeBufferPointer { f in
                    BuiltinEstimator(spec).estimate(TrialDraws(logRatios: lr, ratios: r, values: f))
                }
            }
        }
    }

    /// IcePop's mask [0.5, 5] on ratios [0.4, 0.8, 6.0] gives weights [0, 0.8, 0]
    /// (the vector from a public RL framework's issue): with f = 1, 1, 1 the estimate
    /// is 0.8 / 3, and each weight alone is recovered with a one-hot f.
    @Test func icePopMaskVector() {
        let lr = [0.4, 0.8, 6.0].map { log($0) }
        #expect(abs(estimate(.masked(low: 0.5, high: 5), logRatios: lr, values: [1, 1, 1]) - 0.8 / 3) < 1e-15)
        for (i, w) in [0.0, 0.8, 0.0].enumerated() {
            var f = [0.0, 0, 0]
            f[i] = 1
            #expect(abs(estimate(.masked(low: 0.5, high: 5), logRatios: lr, values: f) * 3 - w) < 1e-15)
        }
    }

    /// A ratio of exp(1000) under a mask gives a finite result, never 0 * inf = NaN;
    /// the same for the cap and the clamp, and for the exact specification.
    @Test func hugeRatiosStayFinite() {
        let lr = [1000.0, 0.1]
        for spec: EstimatorSpec in [.masked(low: 0.5, high: 5), .truncated(cap: 2), .clamped(low: 0.5, high: 2)] {
            let z = estimate(spec, logRatios: lr, values: [3, 1])
            #expect(z.isFinite, "\(spec.canonicalText): \(z)")
            guard case let .sampleMean(h) = BuiltinEstimator(spec).specification.form else { continue }
            #expect(h(1000, 3).isFinite, "the specification of \(spec.canonicalText) at log r = 1000")
        }
        #expect(estimate(.masked(low: 0.5, high: 5), logRatios: lr, values: [3, 1]) == exp(0.1) / 2)
    }

    /// The sequence vector: a per-token log-ratio of 0.012 over 100 tokens is a
    /// sequence ratio exp(1.2) = 3.32, over a cap of 3, so truncation cuts it to 3.
    @Test func sequenceRatioOverTheCap() {
        let lr = 100 * 0.012
        #expect(abs(exp(lr) - 3.3201169) < 1e-6)
        #expect(estimate(.truncated(cap: 3), logRatios: [lr], values: [1]) == 3)
    }

    /// PPO's clipped surrogate per sample: min(r A, clip(r, 0.8, 1.2) A).
    @Test func ppoClipPerSample() {
        let cases: [(r: Double, a: Double, want: Double)] = [
            (1.5, 1, 1.2), (1.5, -1, -1.5), (0.5, 1, 0.5), (0.5, -1, -0.8), (1.1, 2, 2.2), (1.1, -2, -2.2),
        ]
        for c in cases {
            #expect(abs(estimate(.ppoClip(eps: 0.2), logRatios: [log(c.r)], values: [c.a]) - c.want) < 1e-12, "r \(c.r) A \(c.a)")
        }
    }

    /// Truncated IS against its closed form for unit Gaussians at gap D and f = 1:
    /// E_q[min(r, c)] = Phi(x_c - D) + c Phi(-x_c), x_c = (log c + D^2/2) / D.
    @Test(arguments: [(1.0, 2.0), (0.5, 1.2), (1.5, 3.0)])
    func truncatedMatchesClosedForm(_ pars: (Double, Double)) throws {
        let (gap, cap) = pars
        let ref = ExactReference(target: Fixture.normal(gap, 1), behavior: Fixture.normal(0, 1), f: try Formula(parsing: "1"),
                                 samples: 100, estimators: [BuiltinEstimator(.truncated(cap: cap))])
        let xc = (log(cap) + gap * gap / 2) / gap
        let want = StandardNormal.cdf(xc - gap) + cap * StandardNormal.cdf(-xc)
        #expect(Fixture.relativeError(try #require(ref.estimators[0].mean.value), want) < 1e-9)
    }

    /// Exact SNIS references where they are known: with p = q it is the sample mean
    /// (mean mu, variance Var f / N); with N = 1 it is f of one draw from q.
    @Test func selfNormalizedExactCases() throws {
        let snis = [BuiltinEstimator(.selfNormalized)]
        let same = ExactReference(target: Fixture.normal(0.5, 1), behavior: Fixture.normal(0.5, 1),
                                  f: try Formula(parsing: "x^2"), samples: 20, estimators: snis)
        // E[x^2] = 1.25, Var x^2 = 2 + 4 * 0.25 = 3 under N(0.5, 1).
        #expect(abs(try #require(same.estimators[0].mean.value) - 1.25) < 1e-7)
        #expect(Fixture.relativeError(try #require(same.estimators[0].variance.value), 3.0 / 20) < 1e-6)
        let single = ExactReference(target: Fixture.normal(1, 1), behavior: Fixture.normal(0, 1),
                                    f: try Formula(parsing: "x^2"), samples: 1, estimators: snis)
        #expect(abs(try #require(single.estimators[0].mean.value) - 1) < 1e-7)
        #expect(Fixture.relativeError(try #require(single.estimators[0].variance.value), 2) < 1e-6)
    }

    /// The exact SNIS bias at N approaches the first-order (mu E_q[r^2] - E_q[r^2 f])/N,
    /// with a remainder that shrinks like 1/N^2: N x (exact - first order) halves as N doubles.
    @Test func selfNormalizedBiasApproachesFirstOrder() throws {
        var remainders: [Double] = []
        for n in [100, 200, 400] {
            let ref = ExactReference(target: Fixture.normal(1, 1), behavior: Fixture.normal(0, 1), f: try Formula(parsing: "x^2"),
                                     samples: n, estimators: [BuiltinEstimator(.selfNormalized)])
            let t = ref.estimators[0]
            let exactBias = try #require(t.mean.value) - 2
            let first = try #require(t.firstOrderBias)
            #expect(abs(first - (-3 * M_E / Double(n))) < 1e-9)
            remainders.append(Double(n) * (exactBias - first))
        }
        #expect(abs(remainders[1] / remainders[0] - 0.5) < 0.1 && abs(remainders[2] / remainders[1] - 0.5) < 0.1, "\(remainders)")
    }
}

/// The MSE claim is decided exactly and fails when it is false: truncation at cap 2
/// has a larger MSE than ordinary IS for f = x^2 at gap 1 (bias -1.006).
@Suite struct MSEClaimTests {
    @Test func aFalseClaimFails() throws {
        var s = Fixture.gaussianGap(1, trials: 200)
        s.estimators = [.importanceSampling, .truncated(cap: 2)]
        s.mseBelowIS = [.truncated(cap: 2)]
        let report = try Certifier(simulator: Simulator(jobs: 2)).certify(s, thresholds: Thresholds(checks: 7))
        let check = try #require(report.check(.mse))
        #expect(check.status == .fail, "\(check)")
        #expect(!report.met)
    }

    @Test func aTrueClaimPasses() throws {
        var s = Fixture.scenario("mse-true", p: Fixture.normal(0, 1), q: Fixture.normal(0.3, 0.9), f: "x^2", trials: 200)
        s.estimators = [.importanceSampling, .truncated(cap: 3)]
        s.mseBelowIS = [.truncated(cap: 3)]
        let report = try Certifier(simulator: Simulator(jobs: 2)).certify(s, thresholds: Thresholds(checks: 7))
        #expect(report.check(.mse)?.status == .pass)
    }
}
