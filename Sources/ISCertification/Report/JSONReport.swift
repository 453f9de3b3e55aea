import Foundation
import ISProbability
import ISScenario

/// A number in iscert's JSON: finite values as JSON numbers, infinities as the
/// strings "inf" and "-inf", NaN as "nan", and absent values as null.
public struct JSONNumber: Codable, Sendable, Hashable {
    public var value: Double?

    public init(_ value: Double?) { self.value = value }

    public init(_ moment: Moment) { self.value = moment.isInfinite ? .infinity : moment.value }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        guard let v = value else { return try c.encodeNil() }
        if v.isNaN { try c.encode("nan") } else if v.isInfinite { try c.encode(v > 0 ? "inf" : "-inf") } else { try c.encode(v) }
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { value = nil; return }
        if let s = try? c.decode(String.self) {
            switch s {
            case "inf": value = .infinity
            case "-inf": value = -.infinity
            case "nan": value = .nan
            default: throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a number: \(s)")
            }
            return
        }
        value = try c.decode(Double.self)
    }
}

/// The documented JSON schema of `iscert check --format json` (docs/json-schema.md).
public struct JSONReport: Codable, Sendable {
    public struct Exact: Codable, Sendable {
        public var mean: JSONNumber
        public var isMean: JSONNumber
        public var r2: JSONNumber
        public var rf2: JSONNumber
        public var rf4: JSONNumber
        public var essFraction: JSONNumber
        public var varianceN: JSONNumber
        public var essMean: JSONNumber
        public var essSD: JSONNumber
        public var essDeltaMethod: JSONNumber
        public var method: String
        public var notes: [String]
        /// The exact tail index k of r under q (0 when every moment is finite).
        public var tailIndex: JSONNumber
        /// KL(q || p), KL(p || q) and chi^2 = E_q[r^2] - 1.
        public var klQP: JSONNumber
        public var klPQ: JSONNumber
        public var chiSquare: JSONNumber
        /// Regions where p > 0 and q = 0 with positive mass of p |f|.
        public var supportViolations: [SupportRegion]
    }

    public struct SupportRegion: Codable, Sendable {
        public var lower: JSONNumber
        public var upper: JSONNumber
        public var mass: JSONNumber
    }

    public struct Observed: Codable, Sendable {
        public var meanEstimate: JSONNumber
        public var varianceEstimate: JSONNumber
        public var meanESSFraction: JSONNumber
        public var nonFiniteTrials: Int
        /// Mean PSIS k-hat over trials, the reliability threshold, and the trials above it.
        public var meanKhat: JSONNumber
        public var khatThreshold: Double
        public var khatAboveThresholdTrials: Int
    }

    public struct EstimatorEntry: Codable, Sendable {
        public var name: String
        /// Exact moments of one trial's estimate.
        public var exactMean: JSONNumber
        public var exactVariance: JSONNumber
        /// exact_mean minus the estimand: E_p[f], or KL(q || p) for the kl_* estimators.
        public var exactBias: JSONNumber
        public var firstOrderBias: JSONNumber?
        public var firstOrderVariance: JSONNumber?
        public var exactMSE: JSONNumber
        public var observedMean: JSONNumber
        public var observedVariance: JSONNumber
        public var method: String
        /// For an estimator without exact moments (`psis`): the independent
        /// simulation its checks compared with; absent otherwise.
        public var reference: ReferenceEntry? = nil
    }

    public struct Check: Codable, Sendable {
        public var name: String
        /// The estimator the check is about; null for checks of the weights (ESS).
        public var estimator: String?
        public var status: String
        public var observed: JSONNumber
        public var expected: JSONNumber
        public var tolerance: JSONNumber
        public var z: JSONNumber
        public var minDetectable: JSONNumber
        public var zAcceptance: [JSONNumber]?
        public var reason: String

        enum CodingKeys: String, CodingKey {
            case name, estimator, status, observed, expected, tolerance, z, minDetectable, zAcceptance, reason
        }

        // `estimator` is always present (null for checks of the weights), so that
        // every check has the same keys but `z_acceptance`.
        public func encode(to encoder: Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(name, forKey: .name)
            try c.encode(estimator, forKey: .estimator)
            try c.encode(status, forKey: .status)
            try c.encode(observed, forKey: .observed)
            try c.encode(expected, forKey: .expected)
            try c.encode(tolerance, forKey: .tolerance)
            try c.encode(z, forKey: .z)
            try c.encode(minDetectable, forKey: .minDetectable)
            try c.encodeIfPresent(zAcceptance, forKey: .zAcceptance)
            try c.encode(reason, forKey: .reason)
        }
    }

    public struct ScenarioEntry: Codable, Sendable {
        public var name: String
        public var description: String
        public var file: String?
        public var target: String
        public var behavior: String
        public var f: String
        public var samples: Int
        public var trials: Int
        public var seed: UInt64
        public var expect: String
        public var regime: String
        public var met: Bool
        public var verdict: String
        public var replay: String
        public var sweepPoint: SweepPointEntry?
        public var exact: Exact
        public var observed: Observed
        public var estimators: [EstimatorEntry]
        public var checks: [Check]
        /// The scenario's `detect_bias`; absent when it declares none.
        public var detectBias: Double? = nil
        /// Warnings (a `detect_bias` the run's K cannot detect); absent when there are none.
        public var warnings: [String]? = nil
        /// A gradient scenario's exact gradient; absent for value estimators.
        public var gradient: Gradient? = nil
    }

    /// theta, J(theta) and its exact gradient, the central differences that
    /// cross-check it, and per estimator the exact expectation and covariance trace.
    public struct Gradient: Codable, Sendable {
        public var parameters: [String]
        public var theta: [Double]
        public var objective: Double
        public var exact: [Double]
        public var finiteDifference: [Double]
        public var method: String
        public var estimators: [GradientEstimatorEntry]
    }

    public struct GradientEstimatorEntry: Codable, Sendable {
        public var name: String
        public var drawsFrom: String
        public var claimsUnbiased: Bool
        public var exactMean: [Double]
        public var exactTrace: Double
        /// For PPO's clipped gradient: P_old(clip active).
        public var clipActive: Double?
    }

    public struct SweepPointEntry: Codable, Sendable {
        public var variable: String
        public var value: Double
    }

    public struct SweepEntry: Codable, Sendable {
        public var name: String
        public var description: String
        public var file: String?
        public var variable: String
        public var values: [Double]
        public var met: Bool
        /// Checks across points.
        public var checks: [Check]
        public var points: [ScenarioEntry]
    }

    public var schemaVersion: Int
    public var passed: Bool
    public var alpha: Double
    public var checksInFamily: Int
    public var zStar: Double
    public var power: Double
    public var scenarios: [ScenarioEntry]
    public var sweeps: [SweepEntry]

    public init(_ report: CertificationReport) {
        schemaVersion = 1
        passed = report.passed
        alpha = report.thresholds.alpha
        checksInFamily = report.thresholds.checks
        zStar = report.thresholds.zStar
        power = report.thresholds.power
        scenarios = report.scenarios.map(Self.entry)
        sweeps = report.sweeps.map { sw in
            SweepEntry(name: sw.scenario.name, description: sw.scenario.summary, file: sw.scenario.file,
                       variable: sw.scenario.sweep?.variable ?? "", values: sw.scenario.sweep?.values ?? [],
                       met: sw.met, checks: sw.checks.map(Self.check), points: sw.points.map(Self.entry))
        }
    }

    static func check(_ c: CheckResult) -> Check {
        Check(name: c.name.rawValue, estimator: c.estimator, status: c.status.rawValue, observed: JSONNumber(c.observed),
              expected: JSONNumber(c.expected), tolerance: JSONNumber(c.tolerance), z: JSONNumber(c.z),
              minDetectable: JSONNumber(c.minDetectable), zAcceptance: c.zAcceptance?.map { JSONNumber($0) },
              reason: c.reason)
    }

    static func entry(_ r: ScenarioReport) -> ScenarioEntry {
        let s = r.scenario, ref = r.reference
        var notes: [String] = []
        for (label, m) in [("E_p[f]", ref.mean), ("E_q[r f]", ref.isMean), ("E_q[r^2]", ref.r2),
                           ("E_q[r^2 f^2]", ref.y2), ("E_q[r^4 f^4]", ref.y4)] {
            switch m {
            case let .infinite(why): notes.append("\(label) is infinite: \(why)")
            case let .undetermined(why): notes.append("\(label) is undetermined: \(why)")
            case .finite: break
            }
        }
        if let why = ref.essFailure { notes.append("exact ESS: \(why)") }
        for (label, m) in [("KL(q || p)", ref.klBehaviorToTarget), ("KL(p || q)", ref.klTargetToBehavior), ("tail index", ref.tailIndex)] {
            if case let .undetermined(why) = m { notes.append("\(label) is undetermined: \(why)") }
        }
        for (i, name) in r.estimators.enumerated() {
            for (label, m) in [("expectation", ref.estimators[i].mean), ("variance", ref.estimators[i].variance)] {
                if case let .undetermined(why) = m { notes.append("\(name) \(label) is undetermined: \(why)") }
                if case let .finite(v, _) = m, !v.isFinite { notes.append("\(name) \(label) is not a number") }
            }
        }
        if let d = ref.closedFormDiscrepancy { notes.append("closed form vs quadrature: largest relative difference \(d)") }
        return ScenarioEntry(
            name: s.name, description: s.summary, file: s.file,
            target: s.targetDescription, behavior: s.behaviorDescription, f: s.f.canonicalText,
            samples: s.samples, trials: s.trials, seed: r.seed, expect: s.expectation.canonicalText,
            regime: r.regime.rawValue, met: r.met, verdict: r.verdict, replay: r.replay,
            sweepPoint: s.sweepPoint.map { SweepPointEntry(variable: $0.variable, value: $0.value) },
            exact: Exact(mean: JSONNumber(ref.mean), isMean: JSONNumber(ref.isMean), r2: JSONNumber(ref.r2),
                         rf2: JSONNumber(ref.y2), rf4: JSONNumber(ref.y4), essFraction: JSONNumber(ref.essFraction),
                         varianceN: JSONNumber(ref.varianceN), essMean: JSONNumber(ref.ess?.mean),
                         essSD: JSONNumber(ref.ess?.sd), essDeltaMethod: JSONNumber(ref.essDeltaMethod),
                         method: ref.method, notes: notes, tailIndex: JSONNumber(ref.tailIndex),
                         klQP: JSONNumber(ref.klBehaviorToTarget), klPQ: JSONNumber(ref.klTargetToBehavior),
                         chiSquare: JSONNumber(ref.chiSquare),
                         supportViolations: ref.supportViolations.map {
                             SupportRegion(lower: JSONNumber($0.lower), upper: JSONNumber($0.upper), mass: JSONNumber($0.mass))
                         }),
            observed: Observed(meanEstimate: JSONNumber(r.statistics.estimates[0].mean),
                               varianceEstimate: JSONNumber(r.statistics.estimates[0].variance),
                               meanESSFraction: JSONNumber(r.statistics.essFraction.mean),
                               nonFiniteTrials: r.statistics.nonFiniteTrials,
                               meanKhat: JSONNumber(r.statistics.khat.count > 0 ? r.statistics.khat.mean : nil),
                               khatThreshold: TailIndex.threshold(samples: s.samples),
                               khatAboveThresholdTrials: r.statistics.khatAboveThreshold),
            estimators: r.estimators.enumerated().map { i, name in
                let t = ref.estimators[i]
                let estimand = r.estimand(i)
                let bias = t.mean.value.flatMap { m in estimand.value.map { m - $0 } }
                let mse = bias.flatMap { b in t.variance.value.map { $0 + b * b } } ?? (t.variance.isInfinite ? .infinity : nil)
                return EstimatorEntry(name: name, exactMean: JSONNumber(t.mean), exactVariance: JSONNumber(t.variance),
                                      exactBias: JSONNumber(bias), firstOrderBias: t.firstOrderBias.map { JSONNumber($0) },
                                      firstOrderVariance: t.firstOrderVariance.map { JSONNumber($0) }, exactMSE: JSONNumber(mse),
                                      observedMean: JSONNumber(r.statistics.estimates[i].mean),
                                      observedVariance: JSONNumber(r.statistics.estimates[i].variance), method: t.method,
                                      reference: r.simulatedReferences[name].map(ReferenceEntry.init))
            },
            checks: r.checks.map(check), detectBias: s.detectBias, warnings: r.warnings.isEmpty ? nil : r.warnings,
            gradient: r.gradient.map { g in
                Gradient(parameters: g.parameterNames, theta: g.theta, objective: g.objective, exact: g.gradient,
                         finiteDifference: g.finiteDifference, method: g.method,
                         estimators: g.estimators.map {
                             GradientEstimatorEntry(name: $0.name, drawsFrom: $0.drawsFromTarget ? "target" : "behavior",
                                                    claimsUnbiased: $0.claimsUnbiased, exactMean: $0.mean, exactTrace: $0.trace,
                                                    clipActive: $0.clippedMass)
                         })
            })
    }

    /// The report as JSON text: snake_case keys, sorted, pretty-printed.
    public func encoded() throws -> String {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try e.encode(self), as: UTF8.self)
    }
}
