import ISProbability

/// The moments of one trial's estimate of an estimator that has no exact
/// reference (`psis`), from an independent simulation of R trials declared in
/// the scenario file: `reference psis = simulation(trials: ..., ...)`.
///
/// With Z_1 ... Z_R the simulated estimates, `mean` is their mean, `variance`
/// their sample variance (divisor R - 1) and `central3`, `central4`, `central6`
/// the sample central moments (1/R) sum (Z_j - mean)^k. The standard errors
/// follow from them: sd(mean) = sqrt(variance / R), and
/// sd(variance) = sqrt((central4 - variance^2 (R - 3)/(R - 1)) / R).
///
/// `inputs` records what was simulated (``Scenario/referenceInputs``); the
/// parser refuses a reference whose inputs are not the scenario's own, so a
/// scenario edited without a new simulation is an error, not a silent pass or
/// failure. `source` says where the numbers came from.
public struct SimulatedReference: Sendable, Hashable {
    /// The estimator simulated (`psis`).
    public var estimator: EstimatorSpec
    /// R, the simulated trials: 2 ... 1_000_000_000.
    public var trials: Int
    public var mean: Double
    /// The sample variance of the R estimates (> 0).
    public var variance: Double
    public var central3: Double
    public var central4: Double
    public var central6: Double
    /// `target = ...; behavior = ...; f(x) = ...; samples = N`, as the
    /// simulation's author printed the scenario.
    public var inputs: String
    /// The program, libraries and seed that produced the numbers.
    public var source: String

    public init(estimator: EstimatorSpec, trials: Int, mean: Double, variance: Double, central3: Double,
                central4: Double, central6: Double, inputs: String, source: String) {
        self.estimator = estimator
        self.trials = trials
        self.mean = mean
        self.variance = variance
        self.central3 = central3
        self.central4 = central4
        self.central6 = central6
        self.inputs = inputs
        self.source = source
    }

    /// The labels of `simulation(...)`, in canonical order.
    public static let labels = ["trials", "mean", "variance", "central3", "central4", "central6", "inputs", "source"]

    /// The valid range of `trials`.
    public static let trialsRange: ClosedRange<Int> = 2...1_000_000_000

    /// sd of `mean` as an estimate of E[Z]: sqrt(variance / R).
    public var meanStandardError: Double { (variance / Double(trials)).squareRoot() }

    /// sd of `variance` as an estimate of Var Z: the exact variance of a sample
    /// variance, (mu4 - sigma^4 (R - 3)/(R - 1)) / R, with the simulated moments.
    public var varianceStandardError: Double {
        Self.sampleVarianceSD(variance: variance, central4: central4, count: trials)
    }

    /// sd of the sample variance of n draws of a variable with variance sigma^2
    /// and fourth central moment mu4: sqrt((mu4 - sigma^4 (n - 3)/(n - 1)) / n).
    public static func sampleVarianceSD(variance: Double, central4: Double, count n: Int) -> Double {
        let v = Double(n)
        return Swift.max((central4 - variance * variance * (v - 3) / (v - 1)) / v, 0).squareRoot()
    }

    /// The statement in canonical form, on one line.
    public var canonicalText: String {
        "simulation(trials: \(trials), mean: \(canonicalNumber(mean)), variance: \(canonicalNumber(variance)), "
            + "central3: \(canonicalNumber(central3)), central4: \(canonicalNumber(central4)), "
            + "central6: \(canonicalNumber(central6)), inputs: \(Scenario.quoted(inputs)), source: \(Scenario.quoted(source)))"
    }
}

extension Scenario {
    /// What a simulated reference must have been simulated for:
    /// `target = ...; behavior = ...; f(x) = ...; samples = N` in canonical form
    /// (`; scored = last` added for a policy scenario that scores the last token).
    /// Nothing else changes one trial's estimate: K and the seed do not.
    public var referenceInputs: String {
        var parts = ["target = \(targetDescription)", "behavior = \(behaviorDescription)",
                     "f(x) = \(f.canonicalText)", "samples = \(samples)"]
        if let policy, policy.scored != .all { parts.append("scored = \(policy.scored.rawValue)") }
        return parts.joined(separator: "; ")
    }

    /// The declared reference of `estimator`, if any.
    public func simulatedReference(for estimator: EstimatorSpec) -> SimulatedReference? {
        references.first { $0.estimator == estimator }
    }

    /// The first of `recorded`'s `; `-separated inputs that differs from this
    /// scenario's, as (recorded, current); nil when they are equal.
    public func referenceMismatch(_ recorded: String) -> (recorded: String, current: String)? {
        let now = referenceInputs
        guard recorded != now else { return nil }
        let a = recorded.components(separatedBy: "; "), b = now.components(separatedBy: "; ")
        for i in 0..<Swift.max(a.count, b.count) {
            let x = i < a.count ? a[i] : "(nothing)", y = i < b.count ? b[i] : "(nothing)"
            if x != y { return (x, y) }
        }
        return (recorded, now)
    }
}
