#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension TrialDraws {
    /// `body` applied to these draws with every log-ratio, of the sequence and of
    /// each token, replaced by `transform(log r)`, and the ratios recomputed from
    /// them: how a planted bug feeds a correct estimator the wrong ratios.
    func withLogRatios(_ transform: (Double) -> Double, _ body: (TrialDraws) -> Double) -> Double {
        let n = count, m = tokens?.logRatios.count ?? 0
        // Scratch space on the stack and raw pointers: these run for every trial of
        // a catalogue run, -Onone builds included.
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: n) { lr in
            withUnsafeTemporaryAllocation(of: Double.self, capacity: m) { tokenLR in
                for i in 0..<n { lr[i] = transform(logRatios[i]) }
                if let t = tokens { for j in 0..<m { tokenLR[j] = transform(t.logRatios[j]) } }
                return rewritten(logRatios: UnsafeBufferPointer(lr), tokenLogRatios: UnsafeBufferPointer(tokenLR), body)
            }
        }
    }

    /// `body` applied to these draws with sequence i's log-weight replaced by
    /// `sequenceLogRatio(i)` (the tokens unchanged).
    func withSequenceLogRatios(_ sequenceLogRatio: (Int) -> Double, _ body: (TrialDraws) -> Double) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: count) { lr in
            for i in 0..<count { lr[i] = sequenceLogRatio(i) }
            return rewritten(logRatios: UnsafeBufferPointer(lr), tokenLogRatios: tokens?.logRatios ?? UnsafeBufferPointer(start: nil, count: 0), body)
        }
    }

    private func rewritten(logRatios lr: UnsafeBufferPointer<Double>, tokenLogRatios tokenLR: UnsafeBufferPointer<Double>,
                           _ body: (TrialDraws) -> Double) -> Double {
        withUnsafeTemporaryAllocation(of: Double.self, capacity: lr.count) { r in
            for i in 0..<lr.count { r[i] = exp(lr[i]) }
            let t = tokens.map { TokenDraws(length: $0.length, logRatios: tokenLR, rewards: $0.rewards) }
            return body(TrialDraws(logRatios: lr, ratios: UnsafeBufferPointer(r), values: values, tokens: t))
        }
    }
}
