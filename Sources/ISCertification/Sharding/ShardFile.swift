import Foundation

/// What `iscert check --shard i/n --output FILE` writes: the per-block trial
/// statistics of one shard, and everything `iscert merge` needs to check that
/// shards belong together and to certify from them (docs/shard-format.md).
///
/// The statistics are kept per block of 64 trials, not folded: Chan's merge of
/// running moments is not associative bit for bit, so only folding every block
/// in block order from an empty ``RunStatistics``, as ``Simulator/run`` does,
/// gives the bits of an unsharded run. Numbers are stored exactly (see
/// ``ExactDouble``).
public struct ShardFile: Codable, Sendable, Equatable {
    /// Always ``formatName``.
    public var format: String
    /// ``currentVersion`` for files this iscert writes.
    public var version: Int
    /// Which slice of the trials this file holds.
    public var shard: Shard
    /// The run every shard of the set must share.
    public var run: Run
    /// Every scenario point of the run, in run order (sweeps expanded).
    public var points: [Point]

    public static let formatName = "iscert-shard"
    public static let currentVersion = 2

    public struct Shard: Codable, Sendable, Equatable {
        public var index: Int
        public var count: Int
    }

    /// The scenarios and options of the run: equal in every shard of a set.
    public struct Run: Codable, Sendable, Equatable {
        /// The scenario files in run order: the path as given, and the scenario's
        /// canonical text, which parses back to the same scenario.
        public var scenarios: [ScenarioEntry]
        /// `--seed`, `--trials`, `--samples`, `--family-checks` when given.
        public var seed: UInt64?
        public var trials: Int?
        public var samples: Int?
        public var familyChecks: Int?
        /// `--alpha`, the number of checks sharing it, and the power at which
        /// detectable shifts are stated.
        public var alpha: Double
        public var checksInFamily: Int
        public var power: Double
        /// `--rng`.
        public var rng: String
        /// Trials per block (``Simulator/blockSize``).
        public var blockSize: Int
    }

    public struct ScenarioEntry: Codable, Sendable, Equatable {
        public var name: String
        public var file: String?
        public var canonicalText: String
    }

    /// One scenario point: what identifies its trials, and this shard's blocks of them.
    public struct Point: Codable, Sendable, Equatable {
        /// The point's name (`name@variable=value` for a sweep point).
        public var name: String
        /// N, K and the seed the trials ran with.
        public var samples: Int
        public var trials: Int
        public var seed: UInt64
        /// The estimators in run order (the order of each block's statistics).
        public var estimators: [String]
        /// B = ceil(K / 64): the blocks of all shards together.
        public var blocks: Int
        /// This shard's blocks are first_block ..< first_block + statistics.count.
        public var firstBlock: Int
        public var statistics: [BlockStatistics]
    }

    /// One block's ``RunStatistics``, exactly. Moments are `[count, mean, m2]`;
    /// pairs are `[count, mean_x, m2_x, mean_y, m2_y, comoment]`.
    public struct BlockStatistics: Codable, Sendable, Equatable {
        public var estimates: [[ExactDouble]]
        public var pairedWithFirst: [[ExactDouble]]
        public var essFraction: [ExactDouble]
        public var khat: [ExactDouble]
        public var khatAboveThreshold: Int
        public var nonFiniteTrials: Int
        public var firstNonFiniteTrial: Int?
        /// The stream fingerprints of the block's first and last trial, and its
        /// neighbouring trials that shared a stream (``StreamStatistics``).
        public var streams: Streams

        public struct Streams: Codable, Sendable, Equatable {
            public var first: UInt64
            public var last: UInt64
            public var shared: Int
            public var firstShared: Int?
        }

        public init(_ s: RunStatistics) {
            estimates = s.estimates.map(Self.moments)
            pairedWithFirst = s.pairedWithFirst.map { p in
                [ExactDouble(Double(p.x.count)), ExactDouble(p.x.mean), ExactDouble(p.x.m2),
                 ExactDouble(p.y.mean), ExactDouble(p.y.m2), ExactDouble(p.comoment)]
            }
            essFraction = Self.moments(s.essFraction)
            khat = Self.moments(s.khat)
            khatAboveThreshold = s.khatAboveThreshold
            nonFiniteTrials = s.nonFiniteTrials
            firstNonFiniteTrial = s.firstNonFiniteTrial
            streams = Streams(first: s.streams.first?.stream ?? 0, last: s.streams.last?.stream ?? 0,
                              shared: s.streams.shared, firstShared: s.streams.firstShared)
        }

        static func moments(_ m: RunningMoments) -> [ExactDouble] {
            [ExactDouble(Double(m.count)), ExactDouble(m.mean), ExactDouble(m.m2)]
        }

        /// The statistics, or why they cannot be those of a block of `trials`
        /// trials starting at trial `first` with `estimators` estimators.
        public func statistics(estimators: Int, first: Int, trials: Int) throws(Mismatch) -> RunStatistics {
            func moments(_ v: [ExactDouble], _ what: String, count expected: Int? = nil) throws(Mismatch) -> RunningMoments {
                guard v.count == 3, let n = v[0].count else { throw Mismatch("\(what) is not [count, mean, m2]") }
                if let expected, n != expected { throw Mismatch("\(what) counts \(n) trials, not \(expected)") }
                return RunningMoments(count: n, mean: v[1].value, m2: v[2].value)
            }
            guard estimates.count == estimators, pairedWithFirst.count == estimators else {
                throw Mismatch("it has statistics of \(estimates.count) estimators, not \(estimators)")
            }
            var s = RunStatistics(estimators: estimators)
            for i in 0..<estimators {
                s.estimates[i] = try moments(estimates[i], "estimator \(i)", count: trials)
                let p = pairedWithFirst[i]
                guard p.count == 6, let n = p[0].count else {
                    throw Mismatch("paired_with_first \(i) is not [count, mean_x, m2_x, mean_y, m2_y, comoment]")
                }
                guard n == trials else { throw Mismatch("paired_with_first \(i) counts \(n) trials, not \(trials)") }
                s.pairedWithFirst[i] = RunningCovariance(
                    x: RunningMoments(count: n, mean: p[1].value, m2: p[2].value),
                    y: RunningMoments(count: n, mean: p[3].value, m2: p[4].value), comoment: p[5].value)
            }
            s.essFraction = try moments(essFraction, "ess_fraction", count: trials)
            s.khat = try moments(khat, "khat")
            guard s.khat.count <= trials, (0...s.khat.count).contains(khatAboveThreshold) else {
                throw Mismatch("its k-hat counts do not fit a block of \(trials) trials")
            }
            s.khatAboveThreshold = khatAboveThreshold
            guard (0...trials).contains(nonFiniteTrials),
                  (nonFiniteTrials == 0) == (firstNonFiniteTrial == nil),
                  firstNonFiniteTrial.map({ (first..<(first + trials)).contains($0) }) ?? true else {
                throw Mismatch("its non-finite trial counts do not fit trials \(first) ..< \(first + trials)")
            }
            s.nonFiniteTrials = nonFiniteTrials
            s.firstNonFiniteTrial = firstNonFiniteTrial
            // A block's trials are consecutive: trials - 1 neighbouring pairs.
            guard trials > 0, (0..<trials).contains(streams.shared), (streams.shared == 0) == (streams.firstShared == nil),
                  streams.firstShared.map({ (first..<(first + trials - 1)).contains($0) }) ?? true else {
                throw Mismatch("its shared-stream counts do not fit trials \(first) ..< \(first + trials)")
            }
            s.streams = StreamStatistics(first: .init(index: first, stream: streams.first),
                                         last: .init(index: first + trials - 1, stream: streams.last),
                                         pairs: trials - 1, shared: streams.shared, firstShared: streams.firstShared)
            return s
        }
    }

    /// Why stored statistics do not fit the block they claim to be.
    public struct Mismatch: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }

    /// The file's bytes: compact JSON with snake_case keys in sorted order, and a
    /// final line break.
    public func encoded() throws -> Data {
        let e = JSONEncoder()
        e.keyEncodingStrategy = .convertToSnakeCase
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try e.encode(self) + Data("\n".utf8)
    }

    /// Reads a shard file's bytes.
    public static func decode(_ data: Data) throws -> ShardFile {
        let d = JSONDecoder()
        d.keyDecodingStrategy = .convertFromSnakeCase
        return try d.decode(ShardFile.self, from: data)
    }
}

/// A Double stored bit for bit: finite values as JSON numbers (which read back
/// exactly), infinities as "inf" and "-inf", and NaN with its bits, as
/// "nan(0x7ff8000000000000)", since a NaN's sign shows when it is printed.
public struct ExactDouble: Codable, Sendable, Equatable {
    public var value: Double

    public init(_ value: Double) { self.value = value }

    /// The value as a trial count, when it is a whole number in range.
    var count: Int? {
        guard value.isFinite, value >= 0, value <= 0x1p53, value == value.rounded() else { return nil }
        return Int(value)
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        if value.isFinite { return try c.encode(value) }
        if value.isInfinite { return try c.encode(value > 0 ? "inf" : "-inf") }
        let hex = String(value.bitPattern, radix: 16)
        try c.encode("nan(0x" + String(repeating: "0", count: 16 - hex.count) + hex + ")")
    }

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let s = try? c.decode(String.self) {
            switch s {
            case "inf": value = .infinity
            case "-inf": value = -.infinity
            default:
                guard s.hasPrefix("nan(0x"), s.hasSuffix(")"), let bits = UInt64(s.dropFirst(6).dropLast(), radix: 16),
                      Double(bitPattern: bits).isNaN else {
                    throw DecodingError.dataCorruptedError(in: c, debugDescription: "not a number: '\(s)'")
                }
                value = Double(bitPattern: bits)
            }
            return
        }
        value = try c.decode(Double.self)
    }

    public static func == (a: ExactDouble, b: ExactDouble) -> Bool { a.value.bitPattern == b.value.bitPattern }
}
