import ISProbability
import ISScenario

extension Certifier {
    /// The checks a gradient scenario plans: per estimator one mean check per
    /// component of theta and one trace check, and one ESS check when an estimator
    /// draws from pi_old. The surrogate and exact-gradient checks are exact, not
    /// statistical, and take no share of the false-alarm rate.
    static func plannedGradientChecks(_ s: Scenario) -> Int {
        let d = s.policy.flatMap { try? PolicyParameters.of($0.target).get().count } ?? 0
        return s.points.count * (s.estimators.count * (d + 1) + (s.estimators.contains { !$0.drawsFromTarget } ? 1 : 0))
    }

    /// The built-in gradient estimators a scenario lists.
    static func gradientEstimators(_ s: Scenario) -> [any GradientEstimator] {
        s.estimators.compactMap(BuiltinGradient.init)
    }

    /// Every component of each estimator, as the simulation and the statistics carry them.
    static func gradientComponents(_ s: Scenario, _ estimators: [any GradientEstimator]) -> [GradientComponent] {
        guard let target = s.policy?.target, let theta = try? PolicyParameters.of(target).get() else { return [] }
        return GradientComponent.components(of: estimators, parameters: theta)
    }

    /// Certifies one gradient scenario (one point of a sweep) with its own
    /// estimators, or with `estimators` (a user's own, or planted bugs).
    /// - Parameter drawFrom: `.target` draws the off-policy estimators' sequences
    ///   from pi_theta while still weighting them by pi_theta / pi_old (a planted
    ///   engine bug, see ``PlantedBug``).
    public func certifyGradient(_ scenario: Scenario, estimators custom: [any GradientEstimator]? = nil,
                                thresholds: Thresholds, drawFrom: DrawSource = .behavior,
                                statistics: StatisticsSource? = nil) throws -> ScenarioReport {
        let s = effective(scenario)
        guard let pair = s.policy else {
            throw GradientScenarioError(description: "scenario '\(s.name)' has gradient estimators but no policies")
        }
        let estimators = custom ?? Self.gradientEstimators(s)
        let components = Self.gradientComponents(s, estimators)
        let scalar = ExactReference(policy: pair, f: s.f, samples: s.samples, estimators: [BuiltinEstimator(.importanceSampling)])
        let stats = try statistics?(s, components) ?? simulator.run(s, estimators: components, drawFrom: drawFrom)
        var notes: [String] = []
        if stats.nonFiniteTrials > 0 {
            notes.append("\(stats.nonFiniteTrials) trials had non-finite weights or values (first: trial \(stats.firstNonFiniteTrial!))")
        }
        let reference: GradientReference?
        let checks: [CheckResult]
        do {
            let g = try GradientReference(pair: pair, f: s.f, samples: s.samples, estimators: estimators)
            reference = g
            checks = Self.gradientChecks(g, scalar: scalar, stats: stats, trials: s.trials, thresholds: thresholds, notes: notes)
        } catch {
            reference = nil
            checks = [.notApplicable(.init(check: .exactGradient, estimator: nil), "no exact gradient: \(error.description)")]
        }
        let regime: ScenarioReport.Regime = reference == nil ? .undetermined : .finiteVariance
        // Reports read one exact TrialMoments per estimate, here per component.
        var exact = scalar
        exact.estimators = reference?.estimators.flatMap(\.components) ?? components.map { _ in
            let m = Moment.undetermined(reason: "no exact gradient")
            return TrialMoments(mean: m, variance: m, central3: m, central4: m, central6: m, method: "none")
        }
        let observed = Self.observed(regime: regime, supportViolation: false, khatAbove: false, checks: checks)
        var (met, verdict) = Self.verdict(s.expectation, observed: observed, regime: regime, checks: checks)
        if let shared = Self.sharedStreams(stats.streams) { (met, verdict) = (false, shared) }
        var report = ScenarioReport(scenario: s, estimators: components.map(\.name), seed: simulator.seed(for: s),
                                    reference: exact, statistics: stats, checks: checks, thresholds: thresholds,
                                    regime: regime, met: met, verdict: verdict, warnings: [],
                                    replay: replayCommand(s, familyChecks: familyChecks
                                        ?? (thresholds.checks == Self.plannedChecks(s) ? nil : thresholds.checks)))
        report.gradient = reference
        return report
    }

    /// ``plan(_:thresholds:)`` for a gradient scenario (`s` with overrides applied).
    func planGradient(_ s: Scenario, thresholds: Thresholds) -> (reference: ExactReference, checks: [CheckResult]) {
        let estimators = Self.gradientEstimators(s)
        let width = Self.gradientComponents(s, estimators).count
        guard let pair = s.policy else { return (Self.reference(s, estimators: []), []) }
        let scalar = ExactReference(policy: pair, f: s.f, samples: s.samples, estimators: [BuiltinEstimator(.importanceSampling)])
        do {
            let g = try GradientReference(pair: pair, f: s.f, samples: s.samples, estimators: estimators)
            return (scalar, Self.gradientChecks(g, scalar: scalar, stats: .withoutTrials(estimators: width, samples: s.samples),
                                                trials: s.trials, thresholds: thresholds, notes: []))
        } catch {
            return (scalar, [.notApplicable(.init(check: .exactGradient, estimator: nil), "no exact gradient: \(error.description)")])
        }
    }

    /// The checks of a gradient scenario from its exact references and trial statistics.
    static func gradientChecks(_ g: GradientReference, scalar: ExactReference, stats: RunStatistics, trials k: Int,
                               thresholds: Thresholds, notes: [String]) -> [CheckResult] {
        let d = g.parameterNames.count
        var checks: [CheckResult] = []
        let worst = zip(g.finiteDifference, g.gradient).map { abs($0 - $1) }.max() ?? 0
        checks.append(CheckResult(
            label: .init(check: .exactGradient, estimator: nil), status: worst <= g.finiteDifferenceTolerance ? .pass : .fail,
            observed: worst, expected: 0, tolerance: g.finiteDifferenceTolerance,
            reason: "largest |central difference - exact gradient| over the \(d) components of theta; central differences of the exact J with step \(g.finiteDifferenceStep); \(g.method)"))
        for (e, entry) in g.estimators.enumerated() {
            if let error = entry.surrogateError {
                checks.append(CheckResult(
                    label: .init(check: .surrogate, estimator: entry.name), status: error <= surrogateTolerance ? .pass : .fail,
                    observed: error, expected: 0, tolerance: surrogateTolerance,
                    reason: "largest |term - derivative| / (1 + |term|): \(entry.surrogateDescription ?? "")"))
            }
            for c in 0..<d {
                let t = entry.components[c]
                let name = "\(entry.name)[\(g.parameterNames[c])]"
                let label = CheckResult.Label(check: .mean, estimator: name)
                guard let v = t.variance.value, v > 0 else {
                    checks.append(.notApplicable(label, "the component is the same, \(entry.mean[c]), in every trial: there is nothing to test"))
                    continue
                }
                checks.append(Checks.mean(name, t, claimsUnbiased: entry.claimsUnbiased, targetMean: .finite(g.gradient[c], error: 0),
                                          estimandName: "dJ/d\(g.parameterNames[c])", stats.estimates[e * d + c], trials: k,
                                          thresholds: thresholds, notes: notes))
            }
            checks.append(trace(entry, stats: Array(stats.estimates[(e * d)..<((e + 1) * d)]), trials: k, thresholds: thresholds))
        }
        if g.estimators.contains(where: { !$0.drawsFromTarget }) {
            checks.append(Checks.ess(scalar, stats, trials: k, thresholds: thresholds))
        }
        return checks
    }

    /// Largest relative difference between a per-sample term and the derivative of
    /// its surrogate: both are sums of a few products, so they agree to rounding.
    static let surrogateTolerance = 1e-9

    /// The trace of the estimate's covariance: T = sum_c s_c^2 over K trials against
    /// tr Cov Z, with Var T = (E||Z - EZ||^4 - tr^2) / K + 2 ||Cov Z||_F^2 / (K (K - 1))
    /// exact (the covariance of sample variances), and T's skewness from the
    /// Gaussian approximation of Z, 2 sqrt(2) tr(S^3) / tr(S^2)^(3/2) / sqrt(K).
    static func trace(_ entry: GradientReference.Entry, stats: [RunningMoments], trials k: Int, thresholds: Thresholds) -> CheckResult {
        let label = CheckResult.Label(check: .trace, estimator: entry.name)
        guard entry.trace > 0 else {
            return .notApplicable(label, "the estimate is the same in every trial: its covariance is 0")
        }
        let K = Double(k)
        let variance = (entry.fourth - entry.trace * entry.trace) / K + 2 * entry.frobenius2 / (K * (K - 1))
        let observed = stats.reduce(0) { $0 + $1.variance }
        return .zTest(label, observed: observed, expected: entry.trace, standardError: Swift.max(variance, 0).squareRoot(),
                      skewness: entry.gaussianSkewness / K.squareRoot(), thresholds: thresholds,
                      reason: "sum of the \(stats.count) components' sample variances over \(k) trials vs the exact tr Cov Z = (E||h||^2 - ||E h||^2)/N; sd exact, skewness from the Gaussian approximation of Z",
                      trials: k)
    }
}
