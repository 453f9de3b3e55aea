import Foundation
import ISProbability
import ISScenario
import Testing
@testable import ISCertification

/// Exact references against independent computations: mpmath at 40 digits for
/// pairs without closed forms, Gaussian closed forms, and SciPy for the exact ESS.
@Suite struct ExactReferenceTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let p: Distribution
        let q: Distribution
        let f: String
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "exponential-pair", p: try! .exponential(rate: 1), q: try! .exponential(rate: 0.7), f: "x"),
        Case(name: "gamma-pair", p: try! .gamma(shape: 3, scale: 1), q: try! .gamma(shape: 2, scale: 2), f: "x"),
        Case(name: "beta-uniform", p: try! .beta(a: 2, b: 5), q: try! .uniform(low: 0, high: 1), f: "x"),
        Case(name: "lognormal-pair", p: try! .lognormal(meanlog: 0, sdlog: 0.5), q: try! .lognormal(meanlog: 0.2, sdlog: 0.6), f: "log(x)"),
        Case(name: "heavy-behavior-safe", p: Fixture.normal(0.5, 1), q: try! .studentT(df: 3, loc: 0, scale: 1), f: "x"),
        Case(name: "mixture-target",
             p: try! .mixture([(0.3, Fixture.normal(-2, 0.7)), (0.7, Fixture.normal(1.5, 1))]),
             q: Fixture.normal(0, 2.5), f: "x"),
        Case(name: "laplace-shift", p: try! .laplace(loc: 0.5, scale: 1), q: try! .laplace(loc: 0, scale: 1), f: "x^2"),
    ]

    /// Every moment iscert computes by quadrature matches mpmath to 1e-8 relative.
    @Test(arguments: cases)
    func quadratureMatchesMpmath(_ c: Case) throws {
        let table = try #require(try Fixture.json("moments.json") as? [String: [String: Double]])
        let expected = try #require(table[c.name])
        let integrator = MomentIntegrator(target: c.p, behavior: c.q, f: try Formula(parsing: c.f))
        for (a, b) in [(1, 1), (2, 0), (3, 0), (4, 0), (2, 2), (3, 3), (4, 4)] {
            let want = try #require(expected["E_q[r^\(a) f^\(b)]"])
            let got = try #require(integrator.moment(a: Double(a), b: b).value, "E_q[r^\(a) f^\(b)] not finite")
            // E_q[r f] for lognormal-pair is 0 exactly: compare absolutely there.
            let err = abs(want) < 1e-12 ? abs(got - want) : Fixture.relativeError(got, want)
            #expect(err < 1e-8, "\(c.name) E_q[r^\(a) f^\(b)] = \(got), mpmath \(want), error \(err)")
        }
    }

    /// Gaussian pairs: the closed form and quadrature agree to 1e-8, and match the
    /// statistics notes' example (E_q[r^2 f^2] = 43 e at gap 1).
    @Test(arguments: [(1.0, 1.0, 0.0, 1.0), (0.3, 0.8, -0.2, 1.1), (2.0, 1.0, 0.0, 1.3), (0.0, 1.0, 0.0, 0.75)])
    func gaussianClosedFormMatchesQuadrature(_ pars: (Double, Double, Double, Double)) throws {
        let (mp, sp, mq, sq) = pars
        let ref = ExactReference(target: Fixture.normal(mp, sp), behavior: Fixture.normal(mq, sq),
                                 f: try Formula(parsing: "x^2 - 0.5 * x + 1"), samples: 200)
        let d = try #require(ref.closedFormDiscrepancy)
        #expect(d < 1e-8, "closed form vs quadrature differ by \(d)")
        let seeds = ExactReference(target: Fixture.normal(1, 1), behavior: Fixture.normal(0, 1),
                                   f: try Formula(parsing: "x^2"), samples: 200)
        #expect(Fixture.relativeError(try #require(seeds.y2.value), 43 * M_E) < 1e-12)
        #expect(Fixture.relativeError(try #require(seeds.r2.value), M_E) < 1e-12)
        #expect(seeds.mean.value == 2)
    }

    /// E[ESS/N] and sd(ESS/N) match an independent SciPy evaluation of the same
    /// identity (nested adaptive quadrature) to 1e-6 relative.
    @Test func exactESSMatchesScipy() throws {
        let rows = try #require(try Fixture.json("ess.json") as? [[String: Double]])
        for row in rows {
            let gap = row["gap"]!, n = Int(row["samples"]!)
            let ref = ExactReference(target: Fixture.normal(gap, 1), behavior: Fixture.normal(0, 1),
                                     f: try Formula(parsing: "x"), samples: n)
            let ess = try #require(ref.ess, "no exact ESS at gap \(gap)")
            #expect(Fixture.relativeError(ess.mean, row["mean"]!) < 1e-6, "gap \(gap) N \(n): \(ess.mean) vs \(row["mean"]!)")
            #expect(Fixture.relativeError(ess.sd, row["sd"]!) < 1e-5, "gap \(gap) N \(n): sd \(ess.sd) vs \(row["sd"]!)")
        }
    }

    /// With p = q every ratio is 1, so ESS/N = 1 exactly in every trial.
    @Test func essIsExactlyOneWithoutMismatch() throws {
        let ref = ExactReference(target: Fixture.normal(0, 1), behavior: Fixture.normal(0, 1),
                                 f: try Formula(parsing: "x"), samples: 50)
        let ess = try #require(ref.ess)
        #expect(abs(ess.mean - 1) < 1e-12)
        #expect(ess.sd < 1e-6)
    }

    /// Finiteness is decided analytically, on both sides of each exact border.
    @Test func finitenessFollowsTheExactConditions() throws {
        let x2 = try Formula(parsing: "x^2")
        func ref(_ p: Distribution, _ q: Distribution, _ f: Formula = try! Formula(parsing: "x^2")) -> ExactReference {
            ExactReference(target: p, behavior: q, f: f, samples: 100)
        }
        // Gaussian: E_q[r^2] finite iff 2 sq^2 > sp^2.
        #expect(ref(Fixture.normal(0, 1), Fixture.normal(0, 0.7072)).r2.value != nil)
        #expect(ref(Fixture.normal(0, 1), Fixture.normal(0, 0.7070)).r2.isInfinite)
        // k = 1 - sq^2/sp^2 = 0.36: variance finite, fourth moment infinite.
        let narrow = ref(Fixture.normal(0, 1), Fixture.normal(0, 0.8), x2)
        #expect(narrow.y2.value != nil)
        #expect(narrow.y4.isInfinite)
        #expect(Certifier.regime(narrow.estimators.first) == .unstableVariance)
        // Student-t target behind a normal behaviour: infinite whatever f is.
        let t3 = try Distribution.studentT(df: 3, loc: 0, scale: 1)
        #expect(ref(t3, Fixture.normal(0, 1), try Formula(parsing: "x > 1")).y2.isInfinite)
        // ...and the safe direction.
        #expect(ref(Fixture.normal(0, 1), t3, try Formula(parsing: "x")).y2.value != nil)
        // Exponential: finite iff lq < 2 lp.
        #expect(ref(try .exponential(rate: 1), try .exponential(rate: 1.9)).r2.value != nil)
        #expect(ref(try .exponential(rate: 1), try .exponential(rate: 2.1)).r2.isInfinite)
        // An indicator that is 0 in the divergent tail keeps the moment finite.
        let wideP = ref(Fixture.normal(0, 1), Fixture.normal(0, 0.6), try Formula(parsing: "(x > -1) * (x < 1)"))
        #expect(wideP.y2.value != nil)
        // f growing like exp(x^2/4) makes E_q[r^2 f^2] infinite even for p = q.
        #expect(ref(Fixture.normal(0, 1), Fixture.normal(0, 1), try Formula(parsing: "exp(x^2 / 4)")).y2.isInfinite)
    }

    /// Poles of f inside the support are critical points: moments that diverge
    /// there are infinite, those that converge are computed (against closed forms:
    /// E|X|^-0.6 = 2^-0.3 Gamma(0.2) / sqrt(pi), E log|X| = -(gamma + log 2) / 2).
    @Test func polesOfFAreDecided() throws {
        func ref(_ f: String) throws -> ExactReference {
            ExactReference(target: Fixture.normal(0, 1), behavior: Fixture.normal(0, 1), f: try Formula(parsing: f), samples: 50)
        }
        let root = try ref("abs(x)^-0.6")
        #expect(Fixture.relativeError(try #require(root.mean.value), pow(2, -0.3) * tgamma(0.2) / Double.pi.squareRoot()) < 1e-8)
        #expect(root.y2.isInfinite)
        for f in ["1/x", "1/(x - 0.3)", "1/abs(x - 0.3)", "1/x^2", "x / (x^2 - 1)"] {
            #expect(try ref(f).y2.isInfinite, "E_q[r^2 f^2] for f = \(f)")
        }
        let logAbs = try ref("log(abs(x))")
        #expect(Fixture.relativeError(try #require(logAbs.mean.value), -(0.57721566490153286 + log(2.0)) / 2) < 1e-8)
        #expect(logAbs.y2.value != nil)
    }

    /// When q misses part of p's support, E_q[r f] is what IS converges to, and it
    /// differs from E_p[f]. The ESS fraction is E_q[r]^2 / E_q[r^2] (here 1: all
    /// weights equal), not 1/E_q[r^2], which assumes E_q[r] = 1.
    @Test func supportViolationSeparatesTheTwoMeans() throws {
        let ref = ExactReference(target: try .uniform(low: 0, high: 2), behavior: try .uniform(low: 0, high: 1),
                                 f: try Formula(parsing: "x"), samples: 100)
        #expect(abs(try #require(ref.mean.value) - 1) < 1e-12)
        #expect(abs(try #require(ref.isMean.value) - 0.25) < 1e-12)
        #expect(abs(try #require(ref.essFraction) - 1) < 1e-12)
    }
}

/// Inputs at the edge of double precision: the references refuse rather than mislead.
@Suite struct ExtremeInputTests {
    /// gamma(0.01)'s density ~ x^-0.99 at 0 defeats the fixed rule behind the exact
    /// ESS; the rule's own integral of q (far from 1) makes it decline, where it once
    /// reported E[ESS/N] = 0.11 for p = q (truth: 1).
    @Test func aTooSingularDensityGivesNoExactESS() throws {
        let g = try Distribution.gamma(shape: 0.01, scale: 1)
        let ref = ExactReference(target: g, behavior: g, f: try Formula(parsing: "x"), samples: 50)
        #expect(ref.ess == nil)
        #expect(ref.essFailure?.contains("fixed quadrature rule") == true)
    }

    /// A standard error or skewness that overflows makes a check not applicable; it
    /// once failed with z = 0 because its acceptance interval was NaN.
    @Test func overflowingMomentsAreNotTested() {
        let t = Thresholds(checks: 3)
        let label = CheckResult.Label(check: .mean, estimator: "is")
        let huge = CheckResult.zTest(label, observed: 0, expected: 0, standardError: .infinity, skewness: 0,
                                     thresholds: t, reason: "", trials: 100)
        #expect(huge.status == .notApplicable)
        let nanSkew = CheckResult.zTest(label, observed: 0, expected: 0, standardError: 1, skewness: .nan,
                                        thresholds: t, reason: "", trials: 100)
        #expect(nanSkew.status == .notApplicable)
    }
}
