/// What one trial of N draws from q leaves behind.
public struct TrialSummary: Sendable, Hashable, Codable {
    /// The trial's index in 0..<K.
    public var trial: Int
    /// Each estimator's estimate, in the order the estimators were given.
    public var estimates: [Double]
    /// sum r_i and sum r_i^2.
    public var sumR: Double
    public var sumR2: Double
    /// Samples whose weight or value was not a finite number (a weight that
    /// overflowed, f undefined at the draw).
    public var nonFinite: Int
    /// The PSIS k-hat of the trial's log-weights (nil when N is too small for a tail fit).
    public var khat: Double?
    /// The fingerprint of the trial's random stream as it started
    /// (``RandomSource/stateFingerprint``): equal for two trials that drew the same numbers.
    public var stream: UInt64 = 0

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

    /// Moments as stored in a shard file, bit for bit.
    init(count: Int, mean: Double, m2: Double) {
        self.count = count
        self.mean = mean
        self.m2 = m2
    }

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

/// Running means, variances and covariance of a pair (x, y), mergeable.
public struct RunningCovariance: Sendable, Hashable, Codable {
    public private(set) var x = RunningMoments()
    public private(set) var y = RunningMoments()
    public private(set) var comoment: Double = 0

    public init() {}

    /// A pair's moments as stored in a shard file, bit for bit.
    init(x: RunningMoments, y: RunningMoments, comoment: Double) {
        self.x = x
        self.y = y
        self.comoment = comoment
    }

    public mutating func add(_ a: Double, _ b: Double) {
        let dx = a - x.mean
        x.add(a)
        y.add(b)
        comoment += dx * (b - y.mean)
    }

    public mutating func merge(_ other: RunningCovariance) {
        guard other.x.count > 0 else { return }
        guard x.count > 0 else { self = other; return }
        let n = Double(x.count + other.x.count)
        let dx = other.x.mean - x.mean, dy = other.y.mean - y.mean
        comoment += other.comoment + dx * dy * Double(x.count) * Double(other.x.count) / n
        x.merge(other.x)
        y.merge(other.y)
    }

    public var covariance: Double { x.count > 1 ? comoment / Double(x.count - 1) : .nan }
}

/// The sufficient statistics of a run of trials: enough for every check, and
/// independent of K in size.
public struct RunStatistics: Sendable, Hashable, Codable {
    /// One per estimator, in order.
    public var estimates: [RunningMoments]
    public var essFraction = RunningMoments()
    /// For the MSE comparison: per estimator, the pair (Z_0^2 - Z_e^2, Z_0 - Z_e)
    /// against the first estimator Z_0 of the same trial.
    public var pairedWithFirst: [RunningCovariance]
    /// Trials with at least one non-finite sample, and the first of them.
    public var nonFiniteTrials = 0
    public var firstNonFiniteTrial: Int?
    /// k-hat over trials, and how many trials were above the reliability threshold.
    public var khat = RunningMoments()
    public var khatAboveThreshold = 0
    /// Neighbouring trials that started from the same random stream.
    public var streams = StreamStatistics()

    public init(estimators: Int) {
        estimates = Array(repeating: RunningMoments(), count: estimators)
        pairedWithFirst = Array(repeating: RunningCovariance(), count: estimators)
    }

    public mutating func add(_ s: TrialSummary, samples n: Int) {
        add(s, samples: n, essFraction: nil)
    }

    /// Adds a trial; `essFraction`, when given, replaces (sum r)^2 / (N sum r^2) as
    /// the trial's ESS/N (a seam for planted bugs, see ``PlantedBug``).
    mutating func add(_ s: TrialSummary, samples n: Int, essFraction ess: ESSFraction?) {
        // Pointers and a while loop: this runs for every trial and estimator, and in
        // -Onone builds the enumerated iterator and each array element's mutation
        // (with its exclusivity check) are calls.
        s.estimates.withUnsafeBufferPointer { zs in
        estimates.withUnsafeMutableBufferPointer { moments in
        pairedWithFirst.withUnsafeMutableBufferPointer { pairs in
            guard let z = zs.baseAddress, let moments = moments.baseAddress, let pairs = pairs.baseAddress else { return }
            var i = 0
            while i < zs.count {
                moments[i].add(z[i])
                pairs[i].add(z[0] * z[0] - z[i] * z[i], z[0] - z[i])
                i += 1
            }
        }}}
        if let ess { essFraction.add(ess(s.sumR, s.sumR2, n)) } else { essFraction.add(s.essFraction(samples: n)) }
        streams.add(trial: s.trial, stream: s.stream)
        if let k = s.khat {
            khat.add(k)
            if k > TailIndex.threshold(samples: n) { khatAboveThreshold += 1 }
        }
        if s.nonFinite > 0 {
            nonFiniteTrials += 1
            firstNonFiniteTrial = firstNonFiniteTrial ?? s.trial
        }
    }

    public mutating func merge(_ other: RunStatistics) {
        for i in estimates.indices {
            estimates[i].merge(other.estimates[i])
            pairedWithFirst[i].merge(other.pairedWithFirst[i])
        }
        essFraction.merge(other.essFraction)
        khat.merge(other.khat)
        khatAboveThreshold += other.khatAboveThreshold
        streams.merge(other.streams)
        nonFiniteTrials += other.nonFiniteTrials
        if firstNonFiniteTrial == nil { firstNonFiniteTrial = other.firstNonFiniteTrial }
    }
}
