import ISProbability
import ISScenario
import Testing
@testable import ISCertification

/// The arithmetic of the checks: thresholds, skewness, verdict rules.
@Suite struct CheckMathTests {
    /// z* = Phi^-1(1 - alpha / (2m)): 2.935 for alpha = 0.01 over 3 checks.
    @Test func bonferroniThreshold() {
        #expect(abs(Thresholds(alpha: 0.01, checks: 3).zStar - 2.9352) < 1e-4)
        #expect(abs(Thresholds(alpha: 0.05, checks: 1).zStar - 1.959964) < 1e-6)
        let t = Thresholds(alpha: 0.01, checks: 3, power: 0.8)
        #expect(abs(t.minDetectable(standardError: 1) - (t.zStar + 0.841621)) < 1e-6)
    }

    /// For Gaussian Y the sample variance is sigma^2 chi^2_(K-1)/(K-1), whose
    /// skewness is 2 sqrt(2) / sqrt(K) to leading order.
    @Test func varianceSkewnessOfGaussianDataIsChiSquared() throws {
        let k2 = 3.0
        let gamma = try #require(Checks.varianceSkewness(variance: k2, central3: 0, central4: 3 * k2 * k2,
                                                         central6: 15 * k2 * k2 * k2, trials: 400))
        #expect(abs(gamma - 2 * 2.0.squareRoot() / 20) < 1e-12)
    }

    /// Skewed data: for Exp(1) (cumulants (n-1)!) and K = 40 the skewness of s^2 is
    /// (120 + 72 + 16 + 8) / 8^1.5 / sqrt(40) = 1.5093 to leading order; a Monte Carlo of
    /// 2e6 samples gave 1.5095. Without the -6 mu3^2 term the formula gave 1.677.
    @Test func varianceSkewnessOfSkewedData() throws {
        // Central moments of Exp(1): mu2 = 1, mu3 = 2, mu4 = 9, mu6 = 265.
        let gamma = try #require(Checks.varianceSkewness(variance: 1, central3: 2, central4: 9, central6: 265, trials: 40))
        #expect(abs(gamma - 216 / pow(8, 1.5) / 40.0.squareRoot()) < 1e-12)
        #expect(abs(gamma - 1.5095) < 0.005)
    }

    /// The Cornish-Fisher shift moves the acceptance region with the skewness, and
    /// a statistic too skewed for a normal approximation is not tested at all.
    @Test func skewnessShiftsOrDisablesTheTest() {
        let t = Thresholds(checks: 3)
        let shifted = CheckResult.zTest(.init(check: .mean, estimator: "is"), observed: 0, expected: 0, standardError: 1, skewness: 0.2,
                                        thresholds: t, reason: "", trials: 100)
        let bounds = shifted.zAcceptance!
        #expect(abs(bounds[0] + t.zStar - 0.2 * (t.zStar * t.zStar - 1) / 6) < 1e-12)
        let tooSkewed = CheckResult.zTest(.init(check: .mean, estimator: "is"), observed: 0, expected: 0, standardError: 1, skewness: 0.3,
                                          thresholds: t, reason: "", trials: 100)
        #expect(tooSkewed.status == .notApplicable)
        #expect(tooSkewed.reason.contains("K >= 144"))
        let nan = CheckResult.zTest(.init(check: .mean, estimator: "is"), observed: .nan, expected: 0, standardError: 1, skewness: 0,
                                    thresholds: t, reason: "", trials: 100)
        #expect(nan.status == .fail)
    }

    /// Not applicable never counts as passed: a scenario with no passing check is
    /// not met, and one whose variance is infinite cannot pass unless it says so.
    /// The verdict is met exactly when the observed outcomes are the declared ones.
    @Test func notApplicableIsNeverAPass() {
        func verdict(_ declared: ExpectedOutcome, _ regime: ScenarioReport.Regime, _ checks: [CheckResult],
                     support: Bool = false, khat: Bool = false) -> (Bool, String) {
            let seen = Certifier.observed(regime: regime, supportViolation: support, khatAbove: khat, checks: checks)
            return Certifier.verdict(declared, observed: seen, regime: regime, checks: checks)
        }
        let na = CheckResult.notApplicable(.init(check: .mean, estimator: "is"), "x")
        #expect(!verdict(.pass, .finiteVariance, [na, na, na]).0)
        let pass = CheckResult(label: .init(check: .ess, estimator: nil), status: .pass, reason: "")
        let (met2, why) = verdict(.pass, .infiniteVariance, [na, na, pass])
        #expect(!met2)
        #expect(why.contains("infinite_variance"))
        #expect(verdict(.infiniteVariance, .infiniteVariance, [na, na, pass]).0)
        let fail = CheckResult(label: .init(check: .mean, estimator: "is"), status: .fail, reason: "")
        #expect(verdict(.fail([.mean]), .finiteVariance, [fail, pass]).0)
        #expect(!verdict(.fail([.mean, .ess]), .finiteVariance, [fail, pass]).0)
        // Outcomes that happen must be declared, and declared ones must happen.
        #expect(!verdict(.pass, .finiteVariance, [pass], support: true).0)
        #expect(verdict(ExpectedOutcome(supportViolation: true), .finiteVariance, [pass], support: true).0)
        #expect(!verdict(ExpectedOutcome(supportViolation: true), .finiteVariance, [pass]).0)
        #expect(!verdict(.infiniteVariance, .infiniteVariance, [na, pass], khat: true).0)
        #expect(verdict(ExpectedOutcome(infiniteVariance: true, khatAboveThreshold: true), .infiniteVariance, [na, pass], khat: true).0)
        // Undetermined moments certify nothing, whatever was declared.
        #expect(!verdict(.pass, .undetermined, [pass]).0)
    }

    /// Welford with Chan's merge equals a two-pass computation.
    @Test func runningMomentsMerge() {
        let xs = (0..<1000).map { sin(Double($0)) * 3 + 1 }
        var whole = RunningMoments()
        xs.forEach { whole.add($0) }
        var left = RunningMoments(), right = RunningMoments()
        xs[..<400].forEach { left.add($0) }
        xs[400...].forEach { right.add($0) }
        left.merge(right)
        let mean = xs.reduce(0, +) / 1000
        let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 999
        #expect(abs(left.mean - mean) < 1e-12 && abs(whole.mean - mean) < 1e-12)
        #expect(abs(left.variance - variance) < 1e-11 && abs(whole.variance - variance) < 1e-11)
    }
}

#if canImport(Glibc)
import Glibc
#endif
