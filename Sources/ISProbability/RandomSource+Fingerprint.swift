import CGSL

extension RandomSource {
    /// A 64-bit digest of the generator's current state, read without drawing.
    ///
    /// Two sources with the same fingerprint are, but for a chance of about 2^-64,
    /// at the same point of the same stream, and will draw the same numbers. The
    /// engine reads it right after reseeding a trial, so that trials sharing a
    /// stream can be found from their summaries. The digest is SplitMix64 folded
    /// over the first 32 bytes of GSL's state (the first four words of mt19937's
    /// 624, which its 64-bit seeding fills from independent SplitMix64 outputs).
    public var stateFingerprint: UInt64 {
        guard let state = gsl_rng_state(handle) else { return 0 }
        let bytes = Swift.min(gsl_rng_size(handle), 32)
        let raw = UnsafeRawPointer(state)
        var digest: UInt64 = 0x6A09_E667_F3BC_C908
        var offset = 0
        while offset < bytes {
            var word: UInt64 = 0
            // A short last word is read byte by byte: the state may end unaligned.
            for b in 0..<Swift.min(8, bytes - offset) {
                word |= UInt64(raw.load(fromByteOffset: offset + b, as: UInt8.self)) << (8 * UInt64(b))
            }
            digest = TrialSeed.splitmix64(digest ^ word)
            offset += 8
        }
        return digest
    }
}
