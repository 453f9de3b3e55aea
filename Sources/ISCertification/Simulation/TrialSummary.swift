/// What one trial of N draws from q leaves behind.
public struct TrialSummary: Sendable, Hashable, Codable {
    /// The trial's index in 0..<K.
    public var trial: Int
    /// The ordinary IS estimate (1/N) sum r_i f_i.
    public var estimate: Double
    /// sum r_i and sum r_i^2.
    public var sumR: Double
    public var sumR2: Double
    /// Samples whose weight or weighted value was not a finite number (a weight
    /// that overflowed, 0 * inf, f undefined at the draw).
    public var nonFinite: Int

    /// ESS / N = (sum r)^2 / (N sum r^2).
    public func essFraction(samples n: Int) -> Double {
        sumR2 > 0 ? sumR * sumR / (Double(n) * sumR2) : 0
    }
}

/// Running mean and sum of squared deviations (Welford), mergeable (Chan et al.).
///
/// Trials are folded in index order within a block and blocks are merged in block
/// order, so the result is the same bits for any number of jobs.
public struct RunningMoments: Sendable, Hashable, Codable {
    public private(set) var count: Int = 0
    public private(set) var mean: Double = 0
    public private(set) var m2: Double = 0

    public init() {}

    public mutating func add(_ x: Double) {
        count += 1
        let delta = x - mean
        mean += delta / Double(count)
        m2 += delta * (x - mean)
    }

    public mutating func merge(_ other: RunningMoments) {
        guard other.count > 0 else { return }
        guard count > 0 else { self = other; return }
        let n = Double(count + other.count)
        let delta = other.mean - mean
        mean += delta * Double(other.count) / n
        m2 += other.m2 + delta * delta * Double(count) * Double(other.count) / n
        count += other.count
    }

    /// The unbiased sample variance.
    public var variance: Double { count > 1 ? m2 / Double(count - 1) : .nan }
}

/// The sufficient statistics of a run of trials: enough for every check, and
/// independent of K in size.
public struct RunStatistics: Sendable, Hashable, Codable {
    public var estimates = RunningMoments()
    public var essFraction = RunningMoments()
    /// Trials with at least one non-finite sample, and the first of them.
    public var nonFiniteTrials = 0
    public var firstNonFiniteTrial: Int?

    public init() {}

    public mutating func add(_ s: TrialSummary, samples n: Int) {
        estimates.add(s.estimate)
        essFraction.add(s.essFraction(samples: n))
        if s.nonFinite > 0 {
            nonFiniteTrials += 1
            firstNonFiniteTrial = firstNonFiniteTrial ?? s.trial
        }
    }

    public mutating func merge(_ other: RunStatistics) {
        estimates.merge(other.estimates)
        essFraction.merge(other.essFraction)
        nonFiniteTrials += other.nonFiniteTrials
        if firstNonFiniteTrial == nil { firstNonFiniteTrial = other.firstNonFiniteTrial }
    }
}
