import ISProbability

/// A certification scenario: estimate E_p[f(x)] by importance sampling with
/// proposal q, `samples` draws per trial, `trials` independent trials.
///
/// Read one from a `.iscert` file with ``ScenarioParser``, or build one in
/// Swift. Parsed scenarios are valid; the memberwise initializer checks
/// nothing, so a hand-built scenario may not survive ``canonicalText`` and a
/// re-parse if it breaks the file rules (name characters, ranges, ...).
///
/// A swept scenario (``sweep`` not nil) stands for one concrete scenario per
/// sweep value, its ``points``; its own target, behavior, f, samples and
/// estimators are those of its first point. Changing them (or any field but
/// ``file``) does not change the points.
public struct Scenario: Sendable, Hashable {
    /// Names the test case and seeds the random streams: letters, digits,
    /// `.`, `_`, `-`.
    public var name: String
    /// The `description` key: one line for humans.
    public var summary: String
    /// p, the distribution the expectation is taken under.
    public var target: Distribution
    /// q, the distribution samples are drawn from.
    public var behavior: Distribution
    /// The integrand f(x).
    public var f: Formula
    /// N, draws per trial: 2 ... 100_000_000 in files.
    public var samples: Int
    /// K, independent trials: 2 ... 1_000_000_000 in files.
    public var trials: Int
    /// Seeds the random streams (together with `name`).
    public var seed: UInt64
    /// The exact set of outcomes the author expects the certification to
    /// observe; ``ExpectedOutcome/pass`` (nothing unusual) when a file does
    /// not give `expect`.
    public var expectation: ExpectedOutcome
    /// The path it was read from (the `file` argument of the parser); nil
    /// when built in Swift. Setting it on a swept scenario sets it on every point.
    public var file: String? {
        didSet { for i in sweptPoints.indices { sweptPoints[i].file = file } }
    }
    /// The estimators to run, in order, none twice; `[.importanceSampling]`
    /// when a file does not give `estimators`.
    public var estimators: [EstimatorSpec]
    /// Estimators (each also in ``estimators``, none `is`) the author claims
    /// have a lower mean squared error against E_p[f] than `is`; empty when a
    /// file does not give `mse_below_is`.
    public var mseBelowIS: [EstimatorSpec]
    /// The bias of E[Z] that each estimator's mean check should detect with the
    /// run's power at K trials (`detect_bias`); `iscert check` warns when K is
    /// too small for it. Nil when a file does not give it.
    public var detectBias: Double?
    /// The sweep this scenario stands for; nil for a single scenario and for
    /// each of a sweep's points.
    public var sweep: Sweep?
    /// For one point of a sweep: the variable and its value here; nil otherwise.
    public var sweepPoint: SweepPoint?
    /// For a scenario over discrete actions or token sequences: the target and
    /// behaviour policies. `f` then scores one action, or one token (the
    /// sequence's reward sums it over the positions ``PolicyPair/scored`` names);
    /// ``target`` and ``behavior`` are not used and hold standard normals.
    public var policy: PolicyPair?
    /// Simulated references of estimators that have no exact one (`psis`), one
    /// per estimator, each simulated for this scenario's ``referenceInputs``
    /// (`reference psis = simulation(...)`); empty when a file declares none.
    public var references: [SimulatedReference] = []
    /// A swept scenario's points; empty otherwise.
    var sweptPoints: [Scenario] = []
    /// How a swept scenario's templated values print.
    var templates = TemplateTexts()

    /// `trials` when a file does not give it.
    public static let defaultTrials = 4000
    /// `seed` when a file does not give it.
    public static let defaultSeed: UInt64 = 1

    /// Valid ranges of the integer keys in a scenario file.
    public static let samplesRange: ClosedRange<Int> = 2...100_000_000
    /// See ``samplesRange``.
    public static let trialsRange: ClosedRange<Int> = 2...1_000_000_000

    /// A scenario built in Swift; nothing is validated (see the type's notes).
    ///
    /// With a `sweep`, the points are this scenario at every value, differing
    /// only in name, ``sweepPoint`` and (when sweeping `samples`) N; use
    /// ``swept(_:over:_:)`` for points that differ in more.
    public init(name: String, summary: String, target: Distribution, behavior: Distribution, f: Formula,
                samples: Int, trials: Int = defaultTrials, seed: UInt64 = defaultSeed,
                expectation: ExpectedOutcome = .pass, estimators: [EstimatorSpec] = [.importanceSampling],
                mseBelowIS: [EstimatorSpec] = [], detectBias: Double? = nil, sweep: Sweep? = nil, file: String? = nil) {
        self.name = name
        self.summary = summary
        self.target = target
        self.behavior = behavior
        self.f = f
        self.samples = samples
        self.trials = trials
        self.seed = seed
        self.expectation = expectation
        self.file = file
        self.estimators = estimators
        self.mseBelowIS = mseBelowIS
        self.detectBias = detectBias
        if let sweep {
            let base = self
            self = Self.assemble(sweep, points: sweep.values.map { _ in base }, templates: TemplateTexts(), base: base)
        }
    }

    /// A scenario over discrete policies (see ``policy``); nothing is validated.
    public init(name: String, summary: String, policy: PolicyPair, f: Formula, samples: Int,
                trials: Int = defaultTrials, seed: UInt64 = defaultSeed, expectation: ExpectedOutcome = .pass,
                estimators: [EstimatorSpec] = [.importanceSampling], mseBelowIS: [EstimatorSpec] = [], file: String? = nil) {
        self.init(name: name, summary: summary, target: .placeholder, behavior: .placeholder, f: f, samples: samples,
                  trials: trials, seed: seed, expectation: expectation, estimators: estimators, mseBelowIS: mseBelowIS, file: file)
        self.policy = policy
    }

    /// True when the scenario certifies gradient estimators (``EstimatorSpec/isGradient``);
    /// a file lists either gradient or value estimators.
    public var isGradientScenario: Bool { estimators.contains { $0.isGradient } }

    /// The target as reports print it: the policy or the distribution.
    public var targetDescription: String { policy.map(\.target.description) ?? target.description }
    /// The behaviour as reports print it.
    public var behaviorDescription: String { policy.map(\.behavior.description) ?? behavior.description }

    /// A swept scenario's points, in sweep order; `[self]` for any other.
    ///
    /// Each point has `sweep == nil`, ``sweepPoint`` set, the name
    /// `"\(name)@\(variable)=\(canonicalNumber(value))"` and every templated
    /// value evaluated at its sweep value.
    public var points: [Scenario] {
        sweep == nil ? [self] : sweptPoints
    }

    /// True if `name` is non-empty and uses only `A-Z a-z 0-9 . _ -`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
        }
    }
}


/// The target and behaviour policies of a scenario over discrete actions or
/// token sequences, and which tokens its reward scores.
public struct PolicyPair: Sendable, Hashable {
    /// p: the policy the expectation is taken under (pi_theta).
    public var target: Policy
    /// q: the policy samples are drawn from (pi_old).
    public var behavior: Policy
    /// Which tokens f scores: the reward of a sequence y is sum_t f(y_t) over all
    /// positions, or f(y_T) of the last token alone.
    public var scored: Scored

    public enum Scored: String, Sendable, Hashable, CaseIterable {
        case all, last
    }

    public init(target: Policy, behavior: Policy, scored: Scored = .all) {
        self.target = target
        self.behavior = behavior
        self.scored = scored
    }

    /// T, tokens per sample.
    public var length: Int { target.length }
}

extension Distribution {
    /// N(0, 1): what a policy scenario's unused ``Scenario/target`` and ``Scenario/behavior`` hold.
    static let placeholder = try! Distribution.normal(mean: 0, sd: 1)
}
