import ISScenario

/// How often the shipped checks catch each planted bug on each scenario, over
/// master seeds: what ``CatalogueRunner`` measured, and its printouts.
public struct CatalogueReport: Sendable, Codable {
    /// The master seeds (empty: each file's own seed, one run per scenario).
    public var seeds: [UInt64]
    /// z* of every check, and the number of checks sharing alpha.
    public var zStar: Double
    public var checksInFamily: Int
    public var alpha: Double
    public var bugs: [Bug]
    /// Per scenario, the runs in which a check of the correct estimators failed
    /// on the same draws: the false alarms the detection rates of engine bugs include.
    public var baseline: [Baseline]

    public struct Bug: Sendable, Codable {
        public var id: String
        public var summary: String
        public var engine: Bool
        public var scenarios: [Entry]
    }

    /// One bug on one scenario.
    public struct Entry: Sendable, Codable {
        public var scenario: String
        /// `not_applicable`, `no_effect`, or `measured`.
        public var status: String
        public var runs: Int
        public var caught: Int
        /// 95% Wilson interval of the detection rate.
        public var lower: Double
        public var upper: Double
        /// How many runs each check failed in.
        public var checks: [String: Int]

        public var rate: Double { runs > 0 ? Double(caught) / Double(runs) : 0 }
    }

    public struct Baseline: Sendable, Codable {
        public var scenario: String
        public var runs: Int
        public var runsWithFailure: Int
    }

    /// Collects outcomes: `outcomes[s][k]` are the outcomes of run k (a seed) of
    /// scenario s, one per bug in the order of `bugs`.
    public init(bugs: [PlantedBug], scenarios: [String], seeds: [UInt64], thresholds: Thresholds,
                outcomes: [[[BugOutcome]]], baselineFailures: [[[String]]]) {
        self.seeds = seeds
        zStar = thresholds.zStar
        checksInFamily = thresholds.checks
        alpha = thresholds.alpha
        self.bugs = bugs.enumerated().map { b, bug in
            Bug(id: bug.id, summary: bug.summary, engine: bug.isEngineBug, scenarios: scenarios.indices.map { s in
                let runs = outcomes[s].map { $0[b] }
                var checks: [String: Int] = [:]
                for o in runs { for c in o.failedChecks { checks[c, default: 0] += 1 } }
                let measured = runs.filter { $0.status == .caught || $0.status == .missed }
                let status = measured.isEmpty ? (runs.contains { $0.status == .noEffect } ? "no_effect" : "not_applicable") : "measured"
                let caught = measured.filter { $0.status == .caught }.count
                let ci = Wilson.interval(successes: caught, trials: measured.count)
                return Entry(scenario: scenarios[s], status: status, runs: measured.count, caught: caught,
                             lower: ci.lower, upper: ci.upper, checks: checks)
            })
        }
        baseline = scenarios.indices.map { s in
            Baseline(scenario: scenarios[s], runs: baselineFailures[s].count,
                     runsWithFailure: baselineFailures[s].filter { !$0.isEmpty }.count)
        }
    }
}
