import ISProbability

/// One of the checks a certification runs, as named in `expect = fail(...)`.
public enum CheckName: String, Sendable, Hashable, CaseIterable, Codable {
    case mean, variance, ess
}

/// What a scenario's author expects the certification to conclude.
public enum ExpectedOutcome: Sendable, Hashable {
    /// Every check passes.
    case pass
    /// The importance weights have infinite variance, so the estimator is not
    /// certifiable and the verdict should say so.
    case infiniteVariance
    /// Exactly these checks fail (at least one).
    case fail(Set<CheckName>)

    /// `pass`, `infinite_variance` or `fail(mean, ess)` (checks in
    /// ``CheckName/allCases`` order). `fail()` with no checks prints but does
    /// not parse back.
    public var canonicalText: String {
        switch self {
        case .pass: "pass"
        case .infiniteVariance: "infinite_variance"
        case let .fail(checks):
            "fail(" + CheckName.allCases.filter(checks.contains).map(\.rawValue).joined(separator: ", ") + ")"
        }
    }
}

/// A certification scenario: estimate E_p[f(x)] by importance sampling with
/// proposal q, `samples` draws per trial, `trials` independent trials.
///
/// Read one from a `.iscert` file with ``ScenarioParser``, or build one in
/// Swift. Parsed scenarios are valid; the memberwise initializer checks
/// nothing, so a hand-built scenario may not survive ``canonicalText`` and a
/// re-parse if it breaks the file rules (name characters, ranges, ...).
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
    /// The verdict the author expects.
    public var expectation: ExpectedOutcome
    /// The path it was read from (the `file` argument of the parser); nil
    /// when built in Swift.
    public var file: String?

    /// `trials` when a file does not give it.
    public static let defaultTrials = 4000
    /// `seed` when a file does not give it.
    public static let defaultSeed: UInt64 = 1

    /// Valid ranges of the integer keys in a scenario file.
    public static let samplesRange: ClosedRange<Int> = 2...100_000_000
    /// See ``samplesRange``.
    public static let trialsRange: ClosedRange<Int> = 2...1_000_000_000

    /// A scenario built in Swift; nothing is validated (see the type's notes).
    public init(name: String, summary: String, target: Distribution, behavior: Distribution, f: Formula,
                samples: Int, trials: Int = defaultTrials, seed: UInt64 = defaultSeed,
                expectation: ExpectedOutcome = .pass, file: String? = nil) {
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
    }

    /// True if `name` is non-empty and uses only `A-Z a-z 0-9 . _ -`.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.unicodeScalars.allSatisfy { scalar in
            scalar.isASCII && (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || "._-".unicodeScalars.contains(scalar))
        }
    }
}
