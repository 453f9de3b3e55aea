import Foundation
import ISProbability
import ISScenario
import Testing
@testable import ISCertification

/// Policy gradients: the exact gradient against closed forms and central
/// differences, the surrogate identities sequence by sequence, and planted bugs
/// of the kinds RL code ships.
@Suite struct GradientTests {
    static func scenario(_ body: String, trials: Int = 1000, samples: Int = 50,
                         estimators: String = "reinforce, is_grad") throws -> Scenario {
        try ScenarioParser.parse("""
            name        = "gradient-test"
            description = "gradient test"
            \(body)
            samples     = \(samples)
            trials      = \(trials)
            estimators  = \(estimators)
            """, file: "gradient-test.iscert")
    }

    static let bandit = """
        target      = softmax(logits: [0.5, 0, -0.5], temperature: 2)
        behavior    = softmax(logits: [0, 0, 0])
        f(x)        = (x == 0) + 0.5 * (x == 1) - (x == 2)
        """

    static let markov = """
        target      = markov(initial: [0, 0.5, -0.5], transition: [[1, 0, -1], [0, 0.5, 0], [-0.5, 0, 1]], length: 4)
        behavior    = perturbed(noise: 0.3, seed: 7)
        f(x)        = (x == 2) - 0.5 * (x == 0)
        """

    static let all = "reinforce, reinforce(baseline: 0.3), is_grad, per_decision_grad, ppo_clip_grad(eps: 0.2), tis_grad(cap: 1.5)"

    static func reference(_ s: Scenario, _ estimators: [any GradientEstimator]? = nil) throws -> GradientReference {
        try GradientReference(pair: s.policy!, f: s.f, samples: s.samples,
                              estimators: estimators ?? Certifier.gradientEstimators(s))
    }

    /// A bandit's gradient in closed form: dJ/dtheta_b = pi_b (f_b - J) / tau.
    @Test func banditGradientHasItsClosedForm() throws {
        let s = try Self.scenario(Self.bandit)
        let g = try Self.reference(s)
        let logits = [0.5, 0, -0.5], tau = 2.0, f = [1, 0.5, -1]
        let e = logits.map { exp($0 / tau) }
        let pi = e.map { $0 / e.reduce(0, +) }
        let j = zip(pi, f).reduce(0) { $0 + $1.0 * $1.1 }
        #expect(abs(g.objective - j) < 1e-15)
        for b in 0..<3 {
            #expect(abs(g.gradient[b] - pi[b] * (f[b] - j) / tau) < 1e-15, "component \(b)")
        }
    }

    /// The exact gradient agrees with central differences of the exact J for every
    /// differentiable family, temperature included.
    @Test(arguments: [bandit, markov, """
        target      = tokens(logits: [0.3, 0, -0.3], length: 3, temperature: 0.7)
        behavior    = perturbed(noise: 0.3, seed: 11)
        f(x)        = (x == 0) - (x == 2)
        """])
    func exactGradientMatchesCentralDifferences(_ body: String) throws {
        let g = try Self.reference(Self.scenario(body))
        let worst = zip(g.finiteDifference, g.gradient).map { abs($0 - $1) }.max()!
        #expect(worst < 1e-8, "largest difference \(worst)")
        #expect(g.gradient.contains { abs($0) > 0.01 }, "a gradient of zeros would agree trivially")
    }

    /// Every built-in estimator's per-sample term is the derivative of its surrogate
    /// loss on every sequence; REINFORCE's StopGrad surrogate also has the value f - b.
    @Test func termsAreTheSurrogatesDerivatives() throws {
        let s = try Self.scenario(Self.markov, estimators: Self.all)
        for entry in try Self.reference(s).estimators {
            let error = try #require(entry.surrogateError, "\(entry.name) has a surrogate")
            #expect(error < 1e-12, "\(entry.name): \(error)")
        }
    }

    /// Forgetting to detach the weight in sg(w) f log pi_theta: w f log pi_theta
    /// differentiates to w f (1 + log pi_theta) grad log pi_theta. The surrogate check
    /// sees it on a single sequence, and certifying it as is_grad fails the mean check.
    @Test func weightNotDetachedIsCaught() throws {
        let s = try Self.scenario(Self.markov)
        // The surrogate on one sequence, with and without StopGrad on w.
        let theta = try PolicyParameters.of(s.policy!.target).get()
        let d = theta.count, q = s.policy!.behavior.chain!
        let tokens = [2, 0, 1, 2]
        var logSteps: [Dual] = [], logOld = 0.0, previous = -1
        for v in tokens {
            let base = theta.row(after: previous) * 3
            let logits = (0..<3).map { Dual.variable(theta.values[base + $0], index: base + $0, dimension: d) }
            logSteps.append(logits[v] - Dual.logSumExp(logits))
            logOld += q.logStep(previous, v)
            previous = v
        }
        let logPi = logSteps.dropFirst().reduce(logSteps[0], +)
        let w = (logPi - .constant(logOld, dimension: d)).exp(), f = Dual.constant(1 - 0.5 + 1, dimension: d)
        let detached = w.stopGradient * f * logPi, attached = w * f * logPi
        let difference = zip(detached.gradient, attached.gradient).map { abs($0 - $1) }.max()!
        #expect(difference > 0.1, "the extra f log pi grad w term: \(difference)")

        let bug = PlantedGradient(name: "is_grad-not-detached", like: .isGradient) { y, theta, out in
            guard y.value != 0 else { return }
            theta.addScore(y.tokens, scale: exp(y.logWeight) * y.value * (1 + y.logTarget), into: out)
        }
        let report = try Self.certify(s, [bug, BuiltinGradient(.isGradient)!])
        #expect(report.checks.contains { $0.name == .mean && $0.estimator!.hasPrefix(bug.name) && $0.status == .fail })
        #expect(!report.met)
        Self.expectPasses(report, "is_grad")
    }

    /// The ratio taken against the wrong policy: pi_theta / pi_theta = 1 on draws
    /// from pi_old, i.e. on-policy REINFORCE applied to stale samples.
    @Test func ratioAgainstTheWrongPolicyIsCaught() throws {
        let s = try Self.scenario(Self.markov)
        let bug = PlantedGradient(name: "is_grad-same-policy", like: .isGradient) { y, theta, out in
            theta.addScore(y.tokens, scale: y.value, into: out)
        }
        let report = try Self.certify(s, [bug, BuiltinGradient(.isGradient)!])
        #expect(report.checks.contains { $0.name == .mean && $0.estimator!.hasPrefix(bug.name) && $0.status == .fail })
        Self.expectPasses(report, "is_grad")
    }

    /// PPO's clip taken on the wrong side of the advantage (zeroing A > 0 when W < 1 - eps).
    @Test func clipOnTheWrongSideIsCaught() throws {
        let s = try Self.scenario(Self.bandit, estimators: "ppo_clip_grad(eps: 0.2)")
        let bug = PlantedGradient(name: "ppo-wrong-side", like: .ppoClipGradient(eps: 0.2)) { y, theta, out in
            let w = exp(y.logWeight), a = y.value
            let clipped = (a > 0 && w < 0.8) || (a < 0 && w > 1.2)
            if !clipped, a != 0 { theta.addScore(y.tokens, scale: w * a, into: out) }
        }
        let report = try Self.certify(s, [bug, BuiltinGradient(.ppoClipGradient(eps: 0.2))!])
        #expect(report.checks.contains { $0.name == .mean && $0.estimator!.hasPrefix(bug.name) && $0.status == .fail })
        Self.expectPasses(report, "ppo_clip_grad(eps: 0.2)")
    }

    /// An unbiased estimator that uses only half of its draws: every mean is right
    /// but the covariance doubles, which the trace check must see.
    @Test func halfTheDrawsFailsTheTraceCheck() throws {
        let s = try Self.scenario(Self.markov)
        let builtin = BuiltinGradient(.isGradient)!
        let bug = HalfDraws(inner: builtin)
        let report = try Self.certify(s, [bug])
        #expect(report.check(.trace, estimator: bug.name)?.status == .fail, "\(report.check(.trace, estimator: bug.name)!)")
        let means = report.checks.filter { $0.name == .mean }
        #expect(means.allSatisfy { $0.status != .fail }, "\(means.filter { $0.status == .fail })")
    }

    /// The exact-gradient check fails when the exact gradient disagrees with the
    /// central differences: here the score without its 1/tau (tau = 2).
    @Test func exactGradientCheckCanFail() throws {
        let s = try Self.scenario(Self.bandit)
        var g = try Self.reference(s)
        g.gradient = g.gradient.map { $0 * 2 }
        let checks = Certifier.gradientChecks(g, scalar: Certifier.reference(s, estimators: [BuiltinEstimator(.importanceSampling)]),
                                              stats: .withoutTrials(estimators: 6, samples: s.samples), trials: s.trials,
                                              thresholds: Thresholds(checks: 10), notes: [])
        #expect(checks.first { $0.name == .exactGradient }?.status == .fail)
    }

    /// The same seed gives the same bits for any number of jobs.
    @Test func gradientRunsAreBitIdenticalAcrossJobs() throws {
        let s = try Self.scenario(Self.markov, trials: 200, estimators: Self.all)
        let components = Certifier.gradientComponents(s, Certifier.gradientEstimators(s))
        let one = try Simulator(jobs: 1).run(s, estimators: components)
        let two = try Simulator(jobs: 2).run(s, estimators: components)
        #expect(one == two)
    }

    /// Gradient scenarios are checked when read: the rules each come with the
    /// place and the fix.
    @Test(arguments: [
        ("\(bandit)", "reinforce, is", "gradient-test.iscert:8:26: error: 'is' estimates E_p[f] but 'reinforce' estimates its gradient"),
        ("target = normal(mean: 1, sd: 1)\nbehavior = normal(mean: 0, sd: 1)\nf(x) = x", "is_grad",
         "gradient-test.iscert:8:15: error: 'is_grad' estimates the gradient of E_(pi_theta)[f]"),
        ("target = categorical(probabilities: [0.5, 0.5])\nbehavior = categorical(probabilities: [0.3, 0.7])\nf(x) = x", "is_grad",
         "gradient-test.iscert:3:10: error: gradient estimators differentiate the target's logits: categorical has no logits"),
        ("target = tokens(logits: [0, 1, 2], length: 12)\nbehavior = perturbed(noise: 0.1)\nf(x) = x", "is_grad",
         "gradient-test.iscert:3:10: error: gradient estimators differentiate the target's logits: its exact gradient enumerates all V^T = 3^12"),
        ("\(bandit)\nmse_below_is = snis", "reinforce", "gradient-test.iscert:6:1: error: mse_below_is applies to value estimators"),
    ])
    func badGradientScenariosAreRejected(_ body: String, _ estimators: String, _ message: String) {
        do {
            _ = try Self.scenario(body, estimators: estimators)
            Issue.record("accepted: \(estimators)")
        } catch {
            #expect("\(error)".contains(message), "\(error)")
        }
    }

    /// `reinforce` and `reinforce(baseline: b)` read and print back.
    @Test func reinforceReadsWithAndWithoutBaseline() throws {
        let s = try Self.scenario(Self.bandit, estimators: "reinforce, reinforce(baseline: -0.25), tis_grad(cap: 2)")
        #expect(s.estimators == [.reinforce(baseline: nil), .reinforce(baseline: -0.25), .truncatedGradient(cap: 2)])
        #expect(try ScenarioParser.parse(s.canonicalText, file: "x") == { var t = s; t.file = "x"; return t }())
    }

    // MARK: helpers

    static func certify(_ s: Scenario, _ estimators: [any GradientEstimator]) throws -> ScenarioReport {
        try Certifier(simulator: Simulator(jobs: 2)).certifyGradient(s, estimators: estimators, thresholds: Thresholds(checks: 40))
    }

    /// Every mean and trace check of the estimator named `name` passed.
    static func expectPasses(_ r: ScenarioReport, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let mine = r.checks.filter { ($0.name == .mean || $0.name == .trace) && ($0.estimator == name || $0.estimator?.hasPrefix(name + "[") == true) }
        #expect(!mine.isEmpty, sourceLocation: sourceLocation)
        #expect(mine.allSatisfy { $0.status == .pass }, "\(mine.filter { $0.status != .pass })", sourceLocation: sourceLocation)
    }
}

/// A planted implementation: the mean of its own per-sample term, certified
/// against the specification of the built-in estimator it claims to be.
struct PlantedGradient: GradientEstimator {
    let name: String
    let specification: GradientSpecification
    let term: @Sendable (GradientSample, PolicyParameters, UnsafeMutableBufferPointer<Double>) -> Void

    init(name: String, like spec: EstimatorSpec,
         term: @escaping @Sendable (GradientSample, PolicyParameters, UnsafeMutableBufferPointer<Double>) -> Void) {
        self.name = name
        specification = GradientSpecification.builtin(spec)!
        self.term = term
    }

    func estimate(_ draws: GradientDraws, into gradient: UnsafeMutableBufferPointer<Double>) {
        for i in 0..<draws.count { term(draws.sample(i), draws.parameters, gradient) }
        for c in gradient.indices { gradient[c] /= Double(draws.count) }
    }
}

/// The built-in estimator on the first half of the draws only.
struct HalfDraws: GradientEstimator {
    let inner: BuiltinGradient
    var name: String { inner.name + "-half" }
    var specification: GradientSpecification { inner.specification }

    func estimate(_ d: GradientDraws, into gradient: UnsafeMutableBufferPointer<Double>) {
        let h = d.count / 2, T = d.length
        inner.estimate(GradientDraws(length: T, tokens: UnsafeBufferPointer(rebasing: d.tokens[0..<(h * T)]),
                                     logRatios: UnsafeBufferPointer(rebasing: d.logRatios[0..<(h * T)]),
                                     rewards: UnsafeBufferPointer(rebasing: d.rewards[0..<(h * T)]),
                                     logWeights: UnsafeBufferPointer(rebasing: d.logWeights[0..<h]),
                                     values: UnsafeBufferPointer(rebasing: d.values[0..<h]),
                                     logTargets: UnsafeBufferPointer(rebasing: d.logTargets[0..<h]), parameters: d.parameters),
                       into: gradient)
    }
}
