/// A trial's ESS/N from sum r, sum r^2 and N: by default (sum r)^2 / (N sum r^2).
typealias ESSFraction = @Sendable (_ sumR: Double, _ sumR2: Double, _ samples: Int) -> Double

/// Whether neighbouring trials drew from distinct random streams.
///
/// Every check assumes that the K trials are independent. Each trial reseeds its
/// own stream from its index (``TrialSeed``), so an off-by-one in that index
/// (trial k seeded like trial k - 1) makes two trials draw the same numbers: the
/// mean of K estimates then has up to twice its stated variance, while the
/// sample variance stays unbiased and the variance check cannot see it. This
/// statistic compares the stream fingerprints (``TrialSummary/stream``) of every
/// pair of consecutive trials, across block and shard boundaries too, since
/// blocks are merged in trial order.
///
/// Two distinct mt19937 streams share a fingerprint with probability about 2^-64
/// per pair, so a correct run reports a shared stream with probability below
/// K 2^-64. ranlxd2 and taus2 take 32-bit seeds, and two neighbouring trials
/// genuinely share a stream with probability about 2^-32 per pair.
public struct StreamStatistics: Sendable, Hashable, Codable {
    /// A trial and its stream's fingerprint.
    public struct Trial: Sendable, Hashable, Codable {
        public var index: Int
        public var stream: UInt64
    }

    /// The first and last trial seen, in trial order.
    public private(set) var first: Trial?
    public private(set) var last: Trial?
    /// Pairs of consecutive trials compared, and those that shared a stream.
    public private(set) var pairs = 0
    public private(set) var shared = 0
    /// The first trial k whose stream trial k + 1 shared.
    public private(set) var firstShared: Int?

    public init() {}

    /// Statistics as stored in a shard file.
    init(first: Trial?, last: Trial?, pairs: Int, shared: Int, firstShared: Int?) {
        self.first = first
        self.last = last
        self.pairs = pairs
        self.shared = shared
        self.firstShared = firstShared
    }

    mutating func add(trial: Int, stream: UInt64) {
        let t = Trial(index: trial, stream: stream)
        compare(last, t)
        if first == nil { first = t }
        last = t
    }

    /// Appends `other`, whose trials follow these.
    mutating func merge(_ other: StreamStatistics) {
        guard let head = other.first else { return }
        guard last != nil else { self = other; return }
        compare(last, head)
        pairs += other.pairs
        shared += other.shared
        firstShared = firstShared ?? other.firstShared
        last = other.last
    }

    private mutating func compare(_ a: Trial?, _ b: Trial) {
        guard let a, a.index + 1 == b.index else { return }
        pairs += 1
        if a.stream == b.stream {
            shared += 1
            firstShared = firstShared ?? a.index
        }
    }
}

/// The index a trial's random stream is keyed by, given the trial's own index.
typealias TrialStreamIndex = @Sendable (_ trial: Int) -> Int
