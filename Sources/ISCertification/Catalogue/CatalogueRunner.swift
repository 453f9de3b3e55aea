import ISScenario

/// Runs planted bugs on scenarios: one certification per bug, scenario and master
/// seed, at the thresholds of the run the scenarios belong to.
///
/// Estimator bugs share one simulation per point: the scenario's correct
/// estimators and every buggy variant see the same draws, so the correct ones
/// double as the baseline (their failures are the false alarms of that seed).
/// Each engine bug gets its own simulation.
public struct CatalogueRunner: Sendable {
    public var certifier: Certifier
    /// The thresholds of the whole run (for `Scenarios/`, those of `iscert check Scenarios`).
    public var thresholds: Thresholds

    public init(certifier: Certifier, thresholds: Thresholds) {
        self.certifier = certifier
        self.thresholds = thresholds
    }

    /// What planting each of `bugs` in `scenario` at master seed `seed` (nil: the
    /// file's own seed) showed, in the order of `bugs`; and the checks of the
    /// correct estimators that failed on the same draws (the baseline).
    public func run(_ scenario: Scenario, bugs: [PlantedBug], seed: UInt64?) throws -> (outcomes: [BugOutcome], baselineFailures: [String]) {
        var c = certifier
        if let seed { c.simulator.masterSeed = seed }
        let points = scenario.points.map { p -> Scenario in
            var p = p
            if p.file == nil { p.file = scenario.file }
            return c.effective(p)
        }
        var outcomes = bugs.map { _ in Tally() }
        var baseline: [String] = []

        // Estimator bugs: one simulation per point, correct and buggy estimators side by side.
        var shared: [ScenarioReport] = []
        var buggyIndices: [(bug: Int, index: Int)] = []
        for p in points {
            let specs = Certifier.runSpecs(p)
            var estimators: [any Estimator] = specs.map { BuiltinEstimator($0) }
            var owners: [(bug: Int, correct: Int)] = []
            for (b, bug) in bugs.enumerated() where !bug.isEngineBug {
                for (i, spec) in specs.enumerated() {
                    if let e = bug.estimator(for: spec, in: p) { estimators.append(e); owners.append((b, i)) }
                }
            }
            // A gradient scenario's estimators are its own (estimator bugs leave them alone).
            let report = p.isGradientScenario ? try c.certify(p, thresholds: thresholds)
                : try c.certify(p, estimators: estimators, thresholds: thresholds)
            let buggyNames = Set(estimators[specs.count...].map(\.name))
            baseline += report.checks.filter { $0.status == .fail && !buggyNames.contains($0.estimator ?? "") }.map(\.label.text)
            for (j, owner) in owners.enumerated() {
                let index = specs.count + j
                outcomes[owner.bug].mutated = true
                // Changed: different estimates on the simulated draws, or a different
                // verdict on the fixed extreme trials (where the simulation never goes).
                func extreme(_ name: String) -> CheckStatus? {
                    report.checks.first { $0.name == .extremeWeights && $0.estimator == name }?.status
                }
                if report.statistics.estimates[index] != report.statistics.estimates[owner.correct]
                    || extreme(estimators[index].name) != extreme(estimators[owner.correct].name) {
                    outcomes[owner.bug].changed = true
                }
                outcomes[owner.bug].failed += report.checks.filter { $0.estimator == estimators[index].name && $0.status == .fail }.map(\.name.rawValue)
                if points.count > 1 { buggyIndices.append((owner.bug, index)) }
            }
            shared.append(report)
        }
        // Across a sweep over N, a buggy self-normalised estimator also gets the slope check.
        if scenario.sweep?.variable == "samples" {
            for (bug, index) in Set(buggyIndices.map { [$0.bug, $0.index] }).map({ ($0[0], $0[1]) })
            where shared[0].estimators[index].hasPrefix(EstimatorSpec.selfNormalized.canonicalText + " ") {
                let check = SweepChecks.biasSlope(shared[0].estimators[index], index: index, points: shared, thresholds: thresholds)
                if check.status == .fail { outcomes[bug].failed.append(check.name.rawValue) }
            }
        }
        let sweepBaseline = sweepChecks(scenario, shared).filter { $0.status == .fail }.map(\.label.text)
        baseline += sweepBaseline

        // Engine bugs: a simulation each, compared with the correct run's statistics.
        for (b, bug) in bugs.enumerated() where bug.isEngineBug {
            var planted = c
            planted.simulator = bug.planted(in: c.simulator)
            var reports: [ScenarioReport] = []
            for (k, p) in points.enumerated() {
                let r = try planted.certify(p, thresholds: thresholds, drawFrom: bug.drawSource)
                let correct = shared[k].statistics, n = r.statistics.estimates.count
                outcomes[b].mutated = true
                if r.statistics.estimates != Array(correct.estimates[..<n]) || r.statistics.essFraction != correct.essFraction
                    || r.statistics.khat != correct.khat || r.statistics.streams != correct.streams {
                    outcomes[b].changed = true
                }
                if !r.met {
                    outcomes[b].notMet = true
                    outcomes[b].failed += r.checks.filter { $0.status == .fail }.map(\.name.rawValue)
                    if Certifier.sharedStreams(r.statistics.streams) != nil { outcomes[b].failed.append(BugOutcome.streams) }
                }
                reports.append(r)
            }
            let failing = sweepChecks(scenario, reports).filter { $0.status == .fail }
            if !failing.isEmpty {
                outcomes[b].notMet = true
                outcomes[b].failed += failing.map(\.name.rawValue)
            }
        }
        return (zip(bugs, outcomes).map { bug, t in t.outcome(engine: bug.isEngineBug) }, baseline)
    }

    /// The checks across a sweep's points, as ``Certifier/certifySweep(_:thresholds:statistics:)`` runs them.
    func sweepChecks(_ scenario: Scenario, _ points: [ScenarioReport]) -> [CheckResult] {
        guard scenario.sweep?.variable == "samples" else { return [] }
        return scenario.estimators.enumerated().filter { $0.element == .selfNormalized }.map { i, spec in
            SweepChecks.biasSlope(spec.canonicalText, index: i, points: points, thresholds: thresholds)
        }
    }

    /// What one bug did on one scenario, before it becomes a ``BugOutcome``.
    struct Tally {
        var mutated = false, changed = false, notMet = false
        var failed: [String] = []

        func outcome(engine: Bool) -> BugOutcome {
            guard mutated else { return BugOutcome(status: .notApplicable, failedChecks: []) }
            guard changed else { return BugOutcome(status: .noEffect, failedChecks: []) }
            let caught = engine ? notMet : !failed.isEmpty
            return BugOutcome(status: caught ? .caught : .missed, failedChecks: Array(Set(failed)).sorted())
        }
    }
}

/// What planting one bug in one scenario at one seed showed.
public struct BugOutcome: Sendable, Hashable, Codable {
    public enum Status: String, Sendable, Hashable, Codable {
        /// The scenario has none of the estimators the bug mutates.
        case notApplicable = "not_applicable"
        /// The bug mutates an estimator or the engine, but not one statistic of the
        /// run changed (a ratio that is identically 1 inverted, say).
        case noEffect = "no_effect"
        /// A check attributable to the bug failed (for an engine bug: the scenario
        /// was NOT MET, which then includes the run's false-alarm rate).
        case caught
        case missed
    }

    public var status: Status
    /// The names of the checks that failed because of the bug; `streams` when
    /// neighbouring trials shared a random stream.
    public var failedChecks: [String]

    /// The name under which a shared stream is reported.
    public static let streams = "streams"
}

extension CheckResult.Label {
    /// `mean[is]`, or `ess` for a check of the weights.
    var text: String { estimator.map { "\(check.rawValue)[\($0)]" } ?? check.rawValue }
}
