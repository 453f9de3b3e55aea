import Foundation
import ISProbability
import ISScenario
import Testing
@testable import ISCertification

/// The trials a check needs for a given shift, against hand computations from
/// the Gaussian closed forms, and the `detect_bias` warning of a certification.
@Suite struct SampleSizeTests {
    /// alpha = 0.01 over the 4 checks one scenario with ordinary IS plans; power 0.8.
    static let thresholds = Thresholds(alpha: 0.01, checks: 4, power: 0.8)
    /// z* + z_beta = Phi^-1(1 - 0.01/8) + Phi^-1(0.8), from GSL's quantiles.
    static let zSum = StandardNormal.upperQuantile(0.01 / 8) + StandardNormal.quantile(0.8)

    static func sizes(_ s: Scenario, bias: Double, varianceShift: Double? = nil) -> [SampleSize] {
        Certifier().sampleSizes(s, bias: bias, varianceShift: varianceShift, thresholds: thresholds).sizes
    }

    /// p = q = N(0, 1), f = x, N = 100: Z is the mean of 100 standard normals, so
    /// Var Z = 1/100 with no skewness, and s^2 of K copies has Var = 2 Var Z^2/(K - 1)
    /// (g2 = 0): K >= ((z* + z_beta) / (bias sqrt N))^2 and, for a relative change rho
    /// of Var Z, 2/(K - 1) <= (rho / (z* + z_beta))^2.
    @Test func equalGaussiansByHand() throws {
        let s = Fixture.scenario("same", p: Fixture.normal(0, 1), q: Fixture.normal(0, 1), f: "x", samples: 100)
        #expect(abs(Self.zSum - 3.8649) < 1e-4)
        let sizes = Self.sizes(s, bias: 0.02, varianceShift: 0.2)
        let mean = try #require(sizes.first { $0.label.check == .mean })
        let hand = Self.zSum * Self.zSum / (0.02 * 0.02 * 100)   // 373.4
        #expect(mean.trials == hand.rounded(.up))
        #expect(abs(try #require(mean.moment) / 0.1 - 1) < 1e-9)
        let variance = try #require(sizes.first { $0.label.check == .variance })
        let handVariance = 1 + 2 * Self.zSum * Self.zSum / (0.2 * 0.2)   // 747.9
        #expect(variance.trials == handVariance.rounded(.up))
        // The skewness of s^2 of normal draws is 2 sqrt(2) / sqrt(K): it applies from K = 128
        // (exactly 128 by hand; the quadrature's last digit may make it 129).
        let floor = try #require(variance.applicableFrom)
        #expect(floor == 128 || floor == 129)
        #expect(Self.sizes(s, bias: 0.02, varianceShift: 2).first { $0.label.check == .variance }?.trials == floor)
    }

    /// p = N(1, 1), q = N(0, 1), f = x, N = 100. With Y = r x, r = e^(x - 1/2):
    /// E_q[r^a x^k] = e^(a(a-1)/2) E[X_a^k], X_a ~ N(a, 1), so E Y = 1, E Y^2 = 5e,
    /// E Y^3 = 36 e^3, and Var Y = 5e - 1, kappa3(Y) = 36 e^3 - 15 e + 2. The mean of
    /// K estimates has skewness kappa3 / (Var Y^(3/2) sqrt(N K)), at most 0.25 from
    /// K = (kappa3 / (Var Y^(3/2) sqrt N) / 0.25)^2 = 37.5 on.
    @Test func shiftedGaussiansByHand() throws {
        let s = Fixture.scenario("gap-1-x", p: Fixture.normal(1, 1), q: Fixture.normal(0, 1), f: "x", samples: 100)
        let e = M_E
        let varY = 5 * e - 1, kappa3 = 36 * e * e * e - 15 * e + 2
        let sd = (varY / 100).squareRoot()
        let floor = (kappa3 / (pow(varY, 1.5) * 10) / 0.25) * (kappa3 / (pow(varY, 1.5) * 10) / 0.25)
        #expect(abs(floor - 37.5) < 0.1)
        // A small bias: the power decides.
        let small = try #require(Self.sizes(s, bias: 0.05).first)
        let hand = (Self.zSum * sd / 0.05) * (Self.zSum * sd / 0.05)   // 752.3
        #expect(abs(try #require(small.moment) / sd - 1) < 1e-8)
        #expect(small.powerTrials == hand.rounded(.up))
        #expect(small.trials == hand.rounded(.up))
        #expect(small.applicableFrom == floor.rounded(.up))
        // A large bias: the power needs 2 trials, the skewness 38.
        let large = try #require(Self.sizes(s, bias: 1).first)
        #expect(large.powerTrials == 2)
        #expect(large.trials == floor.rounded(.up))
    }

    /// K is where the check's own `detects` first reaches the bias.
    @Test func agreesWithTheChecksDetectableShift() throws {
        let s = Fixture.scenario("gap-1-x", p: Fixture.normal(1, 1), q: Fixture.normal(0, 1), f: "x", samples: 100)
        let k = try #require(Self.sizes(s, bias: 0.05).first?.trials)
        func detects(_ trials: Double) throws -> Double {
            var atK = s
            atK.trials = Int(trials)
            let mean = Certifier().plan(atK, thresholds: Self.thresholds).checks.first { $0.name == .mean }
            return try #require(mean?.minDetectable)
        }
        #expect(try detects(k) <= 0.05)
        #expect(try detects(k - 1) > 0.05)
    }

    /// No K helps an estimator whose variance is infinite, and the reason says why.
    @Test func infiniteVarianceHasNoSampleSize() throws {
        let s = Fixture.scenario("narrow", p: Fixture.normal(0, 1), q: Fixture.normal(0, 0.6), f: "x")
        let sizes = Self.sizes(s, bias: 0.1, varianceShift: 0.1)
        #expect(sizes.count == 2)
        for size in sizes {
            #expect(size.trials == nil)
            #expect(size.reason.contains("infinite variance"), "\(size.reason)")
        }
    }

    /// `detect_bias`: a warning, with the K that would do, when the run's K is too
    /// small for it, and none when it is large enough. Warnings leave the verdict alone.
    @Test func detectBiasWarnsOnlyWhenKIsTooSmall() throws {
        var s = Fixture.scenario("gap-1-x", p: Fixture.normal(1, 1), q: Fixture.normal(0, 1), f: "x",
                                 samples: 100, trials: 200)
        let certifier = Certifier(simulator: Simulator(jobs: 1))
        s.detectBias = 0.05   // needs K >= 753 (see shiftedGaussiansByHand)
        let small = try certifier.certify(s, thresholds: Self.thresholds)
        #expect(small.warnings.count == 1)
        let warning = try #require(small.warnings.first)
        #expect(warning.hasPrefix("detect_bias = 0.05: at K = 200 the mean check of is detects a bias of "))
        #expect(warning.hasSuffix("K >= 753 would detect it"), "\(warning)")
        s.detectBias = 0.2    // (3.865 sqrt(5e - 1)/10 / 0.2)^2 = 47 <= 200
        let large = try certifier.certify(s, thresholds: Self.thresholds)
        #expect(large.warnings.isEmpty)
        #expect(large.met == small.met)
        s.detectBias = nil
        #expect(try certifier.certify(s, thresholds: Self.thresholds).warnings.isEmpty)
    }
}
