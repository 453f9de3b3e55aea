import CGSL

/// A seeded stream of random numbers over a GSL generator; owns and frees its handle.
///
/// Not shared between threads: each worker makes its own and reseeds it per trial.
public final class RandomSource {
    /// The GSL generators iscert offers, by their GSL names.
    public enum Algorithm: String, Sendable, Hashable, CaseIterable, Codable {
        case mt19937, ranlxd2, taus2

        var gslType: UnsafePointer<gsl_rng_type> {
            switch self {
            case .mt19937: iscert_rng_mt19937()
            case .ranlxd2: iscert_rng_ranlxd2()
            case .taus2: iscert_rng_taus2()
            }
        }

        /// Whether a seed's full 64 bits select the stream. mt19937's whole state is
        /// filled from the key; ranlxd2 and taus2 take GSL's 32-bit seed, so their
        /// streams collide for keys with the same 32-bit fold (key ^ key >> 32), and
        /// also for folds 0 and 1, since GSL seeds them with 1 in place of 0.
        public var uses64BitSeeds: Bool { self == .mt19937 }
    }

    public let algorithm: Algorithm
    let handle: UnsafeMutablePointer<gsl_rng>

    /// Allocates a generator and seeds it with `seed`.
    /// - Throws: ``GSLError`` if GSL cannot allocate the generator.
    public init(algorithm: Algorithm = .mt19937, seed: UInt64) throws(GSLError) {
        GSL.errorHandlerOff
        guard let h = gsl_rng_alloc(algorithm.gslType) else {
            throw GSLError(status: Int32(GSL_ENOMEM), context: "allocating the \(algorithm.rawValue) generator")
        }
        self.algorithm = algorithm
        self.handle = h
        reseed(seed)
    }

    deinit { gsl_rng_free(handle) }

    /// Restarts the stream at `seed`; the same seed always gives the same stream.
    public func reseed(_ seed: UInt64) {
        _ = iscert_rng_seed64(handle, seed)
    }

    /// A uniform draw on [0, 1).
    @inline(__always) public func uniform() -> Double { gsl_rng_uniform(handle) }

    /// A uniform draw on (0, 1).
    @inline(__always) public func uniformPositive() -> Double { gsl_rng_uniform_pos(handle) }

    /// This source's uniform stream, for loops that draw one uniform per token;
    /// valid while the source lives.
    public var uniforms: Uniforms { Uniforms(handle: handle) }
}

/// The uniforms of a ``RandomSource`` through a transparent call: -Onone builds
/// call ``RandomSource/uniform()``, and retain the source for it, on every draw.
public struct Uniforms {
    @usableFromInline let handle: UnsafeMutablePointer<gsl_rng>

    /// The next uniform draw on [0, 1), exactly ``RandomSource/uniform()``.
    @_transparent public func next() -> Double { gsl_rng_uniform(handle) }
}

/// The documented map from (master seed, scenario name, trial index) to the
/// 64-bit key of one trial's random stream.
///
///     key = splitmix64(splitmix64(master ^ fnv1a64(name)) ^ trial)
///
/// FNV-1a (64-bit) hashes the scenario name's UTF-8 bytes; splitmix64 is the
/// SplitMix64 output function applied to its argument as state. A trial's stream
/// depends on nothing else, so adding, removing or reordering scenarios changes
/// no other scenario's numbers, and any single trial can be replayed alone.
public enum TrialSeed {
    public static func fnv1a64(_ text: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            h ^= UInt64(byte)
            h = h &* 0x0000_0100_0000_01b3
        }
        return h
    }

    public static func splitmix64(_ x: UInt64) -> UInt64 {
        var state = x
        return iscert_splitmix64(&state)
    }

    /// The key of the scenario's stream family: mixes the master seed and the name once.
    public static func scenarioKey(master: UInt64, scenario name: String) -> UInt64 {
        splitmix64(master ^ fnv1a64(name))
    }

    /// The key of one trial's stream.
    public static func trialKey(scenarioKey: UInt64, trial: Int) -> UInt64 {
        splitmix64(scenarioKey ^ UInt64(truncatingIfNeeded: trial))
    }
}
