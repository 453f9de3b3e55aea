/// The keys of a scenario file.
enum ScenarioKey: String, CaseIterable {
    case name, description, target, behavior, f, samples, trials, seed, expect
    case estimators
    case mseBelowIS = "mse_below_is"
    case sweep
    case scored
    case detectBias = "detect_bias"
    /// `reference psis = simulation(...)`: the estimator's word comes before `=`,
    /// and the key may appear once per estimator.
    case reference

    /// Accepts the spellings users may write: `behaviour`, and `f` (the
    /// parser reads the optional `(x)` after it).
    init?(spelling: String) {
        switch spelling {
        case "behaviour": self = .behavior
        default: self.init(rawValue: spelling)
        }
    }

    /// How messages and canonical text name the key.
    var display: String { self == .f ? "f(x)" : rawValue }

    /// Required in every file; `samples` only when the file does not sweep it.
    var isRequired: Bool {
        switch self {
        case .name, .description, .target, .behavior, .f, .samples: true
        case .trials, .seed, .expect, .estimators, .mseBelowIS, .sweep, .scored, .detectBias, .reference: false
        }
    }

    static var displayList: String { allCases.map(\.display).joined(separator: ", ") }

    /// What a value of the key looks like, for "missing value" messages.
    var expected: String {
        switch self {
        case .name: "a string such as \"gaussian-gap-1\""
        case .description: "a string in double quotes"
        case .target, .behavior: "a distribution such as normal(mean: 0, sd: 1), or a policy such as softmax(logits: [0, 1, 2])"
        case .f: "an expression in x such as x^2"
        case .samples: "a whole number between 2 and 100_000_000"
        case .trials: "a whole number between 2 and 1_000_000_000"
        case .seed: "a whole number between 0 and 18_446_744_073_709_551_615"
        case .expect: "pass, or outcomes such as infinite_variance, support_violation, khat_above_threshold, fail(check, ...)"
        case .estimators: "a list of estimators such as is, snis, truncated(cap: 2)"
        case .mseBelowIS: "a list of estimators from 'estimators', such as snis"
        case .sweep: "a sweep such as gap in [0, 0.5, 1] or gap from 0 to 3 step 0.25"
        case .scored: "all (f sums over every token) or last (f scores the last token)"
        case .detectBias: "a number > 0 such as 0.05, the bias the mean check must detect"
        case .reference: "simulation(trials: ..., mean: ..., variance: ..., central3: ..., central4: ..., central6: ..., inputs: \"...\", source: \"...\"), as ci/psis-reference.py writes it"
        }
    }
}
