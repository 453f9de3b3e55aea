import Foundation
import ISProbability
import ISScenario

/// Certifies scenarios: exact references, simulation, checks, verdict.
public struct Certifier: Sendable {
    public var simulator: Simulator
    /// Family-wise false-alarm rate of a run.
    public var alpha: Double
    /// Power at which the smallest detectable effects are stated.
    public var power: Double
    /// Overrides each scenario's K and N when set (for quick runs).
    public var trialsOverride: Int?
    public var samplesOverride: Int?
    /// The number of checks sharing `alpha`; by default every check of the run.
    /// Replay commands pass it so that a scenario rerun alone meets the same threshold.
    public var familyChecks: Int?

    public init(simulator: Simulator = Simulator(), alpha: Double = Thresholds.defaultAlpha, power: Double = 0.8,
                trials: Int? = nil, samples: Int? = nil) {
        self.simulator = simulator
        self.alpha = alpha
        self.power = power
        trialsOverride = trials
        samplesOverride = samples
    }

    /// The checks a scenario plans, applicable or not: per point, a mean and a
    /// variance check per estimator, one ESS and one k-hat check, one per MSE claim; per sweep
    /// over N, one slope check per self-normalised estimator. Counting them all
    /// keeps the threshold independent of the exact analysis.
    public static func plannedChecks(_ s: Scenario) -> Int {
        if s.isGradientScenario { return plannedGradientChecks(s) }
        let perPoint = 2 * s.estimators.count + 2 + s.mseBelowIS.count
        let slope = s.sweep?.variable == "samples" ? s.estimators.filter { $0 == .selfNormalized }.count : 0
        return s.points.count * perPoint + slope
    }

    /// The thresholds for a run of these scenarios.
    public func thresholds(for scenarios: [Scenario]) -> Thresholds {
        Thresholds(alpha: alpha, checks: familyChecks ?? scenarios.map(Self.plannedChecks).reduce(0, +), power: power)
    }

    /// The thresholds for a run of `count` scenarios with the default estimator.
    public func thresholds(scenarios count: Int) -> Thresholds {
        Thresholds(alpha: alpha, checks: familyChecks ?? count * Thresholds.checksPerScenario, power: power)
    }

    /// The scenario as it will run, with any overrides applied.
    public func effective(_ scenario: Scenario) -> Scenario {
        var s = scenario
        if let k = trialsOverride { s.trials = k }
        if let n = samplesOverride, s.sweep?.variable != "samples" { s.samples = n }
        return s
    }

    /// Where a certification's trial statistics come from, given the scenario as
    /// it runs (a sweep point, overrides applied) and its estimators in run order:
    /// by default the simulation; merged shards supply them instead.
    public typealias StatisticsSource = (_ scenario: Scenario, _ estimators: [any Estimator]) throws -> RunStatistics

    /// The estimators a scenario runs, in run order. With MSE claims, ordinary IS
    /// goes first: the paired statistics are kept against the first estimator of
    /// each trial.
    public func runEstimators(_ scenario: Scenario) -> [any Estimator] {
        let s = effective(scenario)
        if s.isGradientScenario { return Self.gradientComponents(s, Self.gradientEstimators(s)) }
        return Self.runSpecs(s).map { BuiltinEstimator($0) }
    }

    static func runSpecs(_ s: Scenario) -> [EstimatorSpec] {
        s.mseBelowIS.isEmpty ? s.estimators : [.importanceSampling] + s.estimators.filter { $0 != .importanceSampling }
    }

    /// Certifies every scenario, sharing the run's false-alarm rate among them.
    /// - Parameter statistics: supplies each point's trial statistics instead of
    ///   simulating them (``ShardMerge`` passes merged shards); nil simulates.
    public func certify(_ scenarios: [Scenario], statistics: StatisticsSource? = nil) throws -> CertificationReport {
        let t = thresholds(for: scenarios)
        var singles: [ScenarioReport] = [], sweeps: [SweepReport] = []
        for s in scenarios {
            if s.sweep != nil { sweeps.append(try certifySweep(s, thresholds: t, statistics: statistics)) } else {
                singles.append(try certify(s, thresholds: t, statistics: statistics))
            }
        }
        return CertificationReport(scenarios: singles, sweeps: sweeps, thresholds: t)
    }

    /// Certifies every point of a swept scenario, then the checks across points.
    public func certifySweep(_ scenario: Scenario, thresholds: Thresholds,
                             statistics: StatisticsSource? = nil) throws -> SweepReport {
        let points = try scenario.points.map { point -> ScenarioReport in
            var p = point
            if p.file == nil { p.file = scenario.file }
            return try certify(p, thresholds: thresholds, statistics: statistics)
        }
        var checks: [CheckResult] = []
        if scenario.sweep?.variable == "samples" {
            for (i, spec) in scenario.estimators.enumerated() where spec == .selfNormalized {
                checks.append(SweepChecks.biasSlope(spec.canonicalText, index: i, points: points, thresholds: thresholds))
            }
        }
        return SweepReport(scenario: scenario, points: points, checks: checks)
    }

    /// Certifies one scenario (one point of a sweep) with its own estimators, or
    /// with `estimators` (a user's own, or planted bugs) when given.
    /// - Parameter statistics: supplies the trial statistics instead of simulating
    ///   them; the checks and the verdict are the same either way.
    public func certify(_ scenario: Scenario, estimators custom: [any Estimator]? = nil,
                        thresholds: Thresholds, drawFrom: DrawSource = .behavior,
                        statistics: StatisticsSource? = nil) throws -> ScenarioReport {
        if scenario.isGradientScenario {
            guard custom == nil else {
                throw GradientScenarioError(description: "scenario '\(scenario.name)' certifies gradient estimators: pass custom ones to certifyGradient")
            }
            return try certifyGradient(scenario, thresholds: thresholds, drawFrom: drawFrom, statistics: statistics)
        }
        let s = effective(scenario)
        let specs = Self.runSpecs(s)
        let estimators: [any Estimator] = custom ?? specs.map { BuiltinEstimator($0) }
        let reference = Self.reference(s, estimators: estimators)
        let stats = try statistics?(s, estimators) ?? simulator.run(s, estimators: estimators, drawFrom: drawFrom)
        var notes: [String] = []
        if stats.nonFiniteTrials > 0 {
            notes.append("\(stats.nonFiniteTrials) trials had non-finite weights or values (first: trial \(stats.firstNonFiniteTrial!))")
        }
        var checks: [CheckResult] = []
        let violations = reference.supportViolations
        for (i, e) in estimators.enumerated() {
            let t = reference.estimators[i]
            let spec = e.specification
            let estimandName = spec.estimand == .targetMean ? "E_p[f]" : "KL(q || p)"
            if let key = spec.simulatedReference {
                checks += Checks.simulated(e.name, key, scenario: s, stats.estimates[i], trials: s.trials,
                                           thresholds: thresholds, targetMean: reference.estimand(spec.estimand))
                continue
            }
            if spec.claimsUnbiased, spec.estimand == .targetMean, !violations.isEmpty {
                // IS's unbiasedness presumes q covers p f: the claim is void, not failed.
                checks.append(.notApplicable(.init(check: .mean, estimator: e.name),
                    "support violation: q never draws from " + violations.map(Self.describe).joined(separator: ", ")
                    + ", so the estimator cannot be unbiased for E_p[f]; it converges to E_q[r f] = \(Checks.describe(reference.isMean))"))
            } else {
                checks.append(Checks.mean(e.name, t, claimsUnbiased: spec.claimsUnbiased,
                                          targetMean: reference.estimand(spec.estimand), estimandName: estimandName,
                                          stats.estimates[i], trials: s.trials, thresholds: thresholds, notes: notes))
            }
            checks.append(Checks.variance(e.name, t, stats.estimates[i], trials: s.trials, thresholds: thresholds))
        }
        for e in estimators {
            checks.append(Checks.extremeWeights(e, length: s.policy?.length ?? 1, policy: s.policy != nil))
        }
        checks.append(Checks.ess(reference, stats, trials: s.trials, thresholds: thresholds))
        checks.append(Checks.khat(reference, stats, samples: s.samples, trials: s.trials, thresholds: thresholds))
        if custom == nil, specs.first == .importanceSampling {
            for claim in s.mseBelowIS {
                guard let i = specs.firstIndex(of: claim) else { continue }
                checks.append(Checks.mse(claim.canonicalText, reference.estimators[i], is: reference.estimators[0],
                                         targetMean: reference.mean, paired: stats.pairedWithFirst[i],
                                         trials: s.trials, thresholds: thresholds))
            }
        }
        let regime = Self.regime(reference, estimators: estimators)
        // Only a heavy tail (k > 0) and a sample large enough for a tail fit can put
        // k-hat above its threshold, which is <= 0 for N <= 10.
        let khatAbove = s.samples >= ParetoSmoothing.minimumDraws
            && (reference.tailIndex.value ?? 0) > 0
            && (reference.tailIndex.value ?? 0) >= TailIndex.threshold(samples: s.samples)
        let observed = Self.observed(regime: regime, supportViolation: !violations.isEmpty, khatAbove: khatAbove, checks: checks)
        var (met, verdict) = Self.verdict(s.expectation, observed: observed, regime: regime, checks: checks)
        if let shared = Self.sharedStreams(stats.streams) { (met, verdict) = (false, shared) }
        let warnings = s.detectBias.map {
            Self.detectBiasWarnings(s, bias: $0, estimators: estimators, reference: reference, checks: checks,
                                    thresholds: thresholds)
        } ?? []
        var report = ScenarioReport(scenario: s, estimators: estimators.map(\.name), seed: simulator.seed(for: s),
                                    reference: reference, statistics: stats, checks: checks, thresholds: thresholds,
                                    regime: regime, met: met, verdict: verdict, warnings: warnings,
                                    replay: replayCommand(s, familyChecks: familyChecks
                                        ?? (thresholds.checks == Self.plannedChecks(s) ? nil : thresholds.checks)))
        report.simulatedReferences = Self.simulatedReferences(s, estimators: estimators)
        return report
    }

    /// The exact references of a scenario: by quadrature for continuous
    /// distributions, by enumeration and recursion for policies.
    static func reference(_ s: Scenario, estimators: [any Estimator]) -> ExactReference {
        if let policy = s.policy {
            return ExactReference(policy: policy, f: s.f, samples: s.samples, estimators: estimators)
        }
        return ExactReference(target: s.target, behavior: s.behavior, f: s.f, samples: s.samples, estimators: estimators)
    }

    /// The simulated references the checks of `estimators` use, by estimator name.
    static func simulatedReferences(_ s: Scenario, estimators: [any Estimator]) -> [String: SimulatedReference] {
        var used: [String: SimulatedReference] = [:]
        for e in estimators {
            guard let key = e.specification.simulatedReference, let r = s.simulatedReference(for: key),
                  s.referenceMismatch(r.inputs) == nil else { continue }
            used[e.name] = r
        }
        return used
    }

    static func describe(_ r: SupportAnalysis.Region) -> String {
        "[\(canonicalNumber(r.lower)), \(canonicalNumber(r.upper))] (mass of p |f| \(Checks.describe(r.mass)))"
    }

    /// The regime of the first estimator with exact moments; when none has them
    /// (`psis` alone), that of the weights, which ordinary IS's Y = r f shows.
    static func regime(_ reference: ExactReference, estimators: [any Estimator]) -> ScenarioReport.Regime {
        let exact = estimators.firstIndex { e in
            if case .none = e.specification.form { return false }
            return true
        }
        if let exact { return regime(reference.estimators[exact]) }
        return regime(variance: reference.y2, central4: reference.y4)
    }

    static func regime(_ t: TrialMoments?) -> ScenarioReport.Regime {
        guard let t else { return .undetermined }
        return regime(variance: t.variance, central4: t.central4)
    }

    /// From a variance and a fourth central moment (or the second and fourth raw
    /// moments, which are finite exactly when those are).
    static func regime(variance: Moment, central4: Moment) -> ScenarioReport.Regime {
        switch (variance, central4) {
        case (.infinite, _): return .infiniteVariance
        case (.undetermined, _): return .undetermined
        case (.finite, .infinite): return .unstableVariance
        case (.finite, .finite): return .finiteVariance
        case (.finite, .undetermined): return .undetermined
        }
    }

    /// What a certification observed, in the terms a scenario declares.
    static func observed(regime: ScenarioReport.Regime, supportViolation: Bool, khatAbove: Bool,
                         checks: [CheckResult]) -> ExpectedOutcome {
        ExpectedOutcome(infiniteVariance: regime == .infiniteVariance, supportViolation: supportViolation,
                        khatAboveThreshold: khatAbove, failing: Set(checks.filter { $0.status == .fail }.map(\.name)))
    }

    /// Met when the observed outcomes are exactly the declared ones, the moments
    /// were determined, and a scenario that declares nothing unusual certified
    /// something (a check passed).
    static func verdict(_ expectation: ExpectedOutcome, observed: ExpectedOutcome, regime: ScenarioReport.Regime,
                        checks: [CheckResult]) -> (Bool, String) {
        let failedList = checks.filter { $0.status == .fail }
            .map { c in c.estimator.map { "\(c.name.rawValue)[\($0)]" } ?? c.name.rawValue }.joined(separator: ", ")
        if regime == .undetermined {
            return (false, "the exact moments could not be determined, so nothing was certified")
        }
        guard observed == expectation else {
            var parts: [String] = []
            if observed.infiniteVariance != expectation.infiniteVariance {
                parts.append(observed.infiniteVariance
                    ? "the estimator has infinite variance (E_q[r^2 f^2] = inf), so it cannot be certified; declare `infinite_variance` if that is intended"
                    : "expected infinite variance, but the estimator's variance is finite")
            }
            if observed.supportViolation != expectation.supportViolation {
                parts.append(observed.supportViolation
                    ? "q misses part of the region where p f != 0 (a support violation); declare `support_violation` if that is intended"
                    : "expected a support violation, but q covers p f")
            }
            if observed.khatAboveThreshold != expectation.khatAboveThreshold {
                parts.append(observed.khatAboveThreshold
                    ? "the ratio's exact tail index is above the k-hat reliability threshold; declare `khat_above_threshold` if that is intended"
                    : "expected the tail index above the k-hat reliability threshold, but it is below")
            }
            if observed.failing != expectation.failing {
                let want = expectation.failing.map(\.rawValue).sorted().joined(separator: ", ")
                parts.append(expectation.failing.isEmpty ? "failed: \(failedList)" : "expected to fail [\(want)], failed [\(failedList)]")
            }
            return (false, parts.joined(separator: "; "))
        }
        if expectation.isPass, !checks.contains(where: { $0.status == .pass }) {
            return (false, "no check applies, so nothing was certified: " + checks.map { "\($0.name.rawValue): \($0.reason)" }.joined(separator: "; "))
        }
        if expectation.isPass { return (true, "every applicable check passed") }
        return (true, "as declared: \(expectation.canonicalText)" + (failedList.isEmpty ? "" : " (failed: \(failedList))"))
    }

    /// `iscert check FILE --seed S` plus any overrides in force.
    public func replayCommand(_ s: Scenario, familyChecks: Int? = nil) -> String {
        var parts = ["iscert", "check", s.file.map(Self.shellQuote) ?? "<scenario \(s.name)>",
                     "--seed", "\(simulator.seed(for: s))"]
        if let k = trialsOverride { parts += ["--trials", "\(k)"] }
        if let n = samplesOverride { parts += ["--samples", "\(n)"] }
        if alpha != Thresholds.defaultAlpha { parts += ["--alpha", "\(alpha)"] }
        if let m = familyChecks { parts += ["--family-checks", "\(m)"] }
        if simulator.algorithm != .mt19937 { parts += ["--rng", simulator.algorithm.rawValue] }
        return parts.joined(separator: " ")
    }

    static func shellQuote(_ s: String) -> String {
        s.allSatisfy { $0.isLetter || $0.isNumber || "/._-+".contains($0) } ? s : "'" + s.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}

extension Certifier {
    /// What a certification of `scenario` would test, without simulating: the exact
    /// references, and each check with whether it applies (and why not), its
    /// standard error and the smallest shift it detects at the scenario's K. The
    /// checks' observed values, z and status are meaningless here and left out by
    /// reporters; the k-hat check's standard error comes from the trials, so only
    /// its applicability is known in advance.
    public func plan(_ scenario: Scenario, thresholds: Thresholds) -> (reference: ExactReference, checks: [CheckResult]) {
        let s = effective(scenario)
        if s.isGradientScenario { return planGradient(s, thresholds: thresholds) }
        let estimators: [any Estimator] = Self.runSpecs(s).map { BuiltinEstimator($0) }
        let reference = Self.reference(s, estimators: estimators)
        return (reference, Self.checksWithoutTrials(s, estimators: estimators, reference: reference, thresholds: thresholds))
    }

    /// The checks of ``plan(_:thresholds:)`` for the scenario as it runs (`s`, overrides
    /// applied) at its K, from references already computed for its N.
    static func checksWithoutTrials(_ s: Scenario, estimators: [any Estimator], reference: ExactReference,
                              thresholds: Thresholds) -> [CheckResult] {
        let nothing = RunStatistics.withoutTrials(estimators: estimators.count, samples: s.samples)
        var checks: [CheckResult] = []
        let violations = reference.supportViolations
        for (i, e) in estimators.enumerated() {
            let spec = e.specification
            if let key = spec.simulatedReference {
                checks += Checks.simulated(e.name, key, scenario: s, nothing.estimates[i], trials: s.trials,
                                           thresholds: thresholds, targetMean: reference.estimand(spec.estimand))
                continue
            }
            if spec.claimsUnbiased, spec.estimand == .targetMean, !violations.isEmpty {
                checks.append(.notApplicable(.init(check: .mean, estimator: e.name),
                                             "support violation: q never draws from " + violations.map(Self.describe).joined(separator: ", ")))
            } else {
                checks.append(Checks.mean(e.name, reference.estimators[i], claimsUnbiased: spec.claimsUnbiased,
                                          targetMean: reference.estimand(spec.estimand),
                                          estimandName: spec.estimand == .targetMean ? "E_p[f]" : "KL(q || p)",
                                          nothing.estimates[i], trials: s.trials, thresholds: thresholds, notes: []))
            }
            checks.append(Checks.variance(e.name, reference.estimators[i], nothing.estimates[i], trials: s.trials,
                                          thresholds: thresholds))
        }
        checks.append(Checks.ess(reference, nothing, trials: s.trials, thresholds: thresholds))
        let khat = Checks.khat(reference, nothing, samples: s.samples, trials: s.trials, thresholds: thresholds)
        checks.append(khat.status == .notApplicable ? khat
                      : CheckResult(label: khat.label, status: .pass, expected: khat.expected,
                                    reason: "applies: mean k-hat over trials 0 ..< \(TrialRunner.khatTrials) against \(khat.expected.map { "\($0)" } ?? "-"), tolerance 0.1 plus z* standard errors of the trials' k-hat"))
        return checks
    }
}

extension RunStatistics {
    /// Statistics of no trials for ``Certifier/plan(_:thresholds:)``: every
    /// statistic is NaN, so only applicability, standard errors and detectable
    /// shifts carry information.
    static func withoutTrials(estimators count: Int, samples n: Int) -> RunStatistics {
        var nothing = RunStatistics(estimators: count)
        for trial in 0..<2 {
            nothing.add(TrialSummary(trial: trial, estimates: Array(repeating: .nan, count: count), sumR: .nan, sumR2: .nan,
                                     nonFinite: 0, khat: .nan), samples: n)
        }
        return nothing
    }
}
