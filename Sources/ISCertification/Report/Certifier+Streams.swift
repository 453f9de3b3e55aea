extension Certifier {
    /// Why a run's trials are not independent, or nil: neighbouring trials that
    /// started from the same random stream (see ``StreamStatistics``).
    ///
    /// Every check's error rate assumes K independent trials, so a shared stream
    /// makes the scenario NOT MET whatever the checks say, as undetermined moments
    /// do. Its false-alarm rate is that of two distinct streams sharing a 64-bit
    /// fingerprint, below K 2^-64 per scenario with mt19937.
    static func sharedStreams(_ s: StreamStatistics) -> String? {
        guard s.shared > 0, let k = s.firstShared else { return nil }
        let others = s.shared > 1 ? " (and \(s.shared - 1) more of the \(s.pairs) neighbouring pairs)" : ""
        return "trials \(k) and \(k + 1) started from the same random stream\(others), so the trials are not independent and no check's error rate holds; the trial seeding is broken"
    }
}
