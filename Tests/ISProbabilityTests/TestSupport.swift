// Shared fixtures and statistics for the ISProbability tests.
//
// Every seed used by a statistical test is derived here from a fixed master and
// the case's canonical text, so it was fixed before any result was seen.
import ISProbability

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

enum Fixtures {
    /// Every family with varied parameters (heavy and light tails, divergent and
    /// vanishing endpoints, extreme locations and scales), plus mixtures.
    static let everyFamily: [Distribution] = try! [
        .normal(mean: 0, sd: 1), .normal(mean: -3, sd: 0.01), .normal(mean: 1e4, sd: 250),
        .studentT(df: 1.5, loc: 0, scale: 1), .studentT(df: 5, loc: 2, scale: 3), .studentT(df: 30, loc: -1, scale: 0.2),
        .laplace(loc: 0, scale: 1), .laplace(loc: -2, scale: 5),
        .exponential(rate: 1), .exponential(rate: 0.01),
        .gamma(shape: 0.5, scale: 1), .gamma(shape: 1, scale: 2), .gamma(shape: 7.5, scale: 0.3),
        .beta(a: 0.5, b: 0.5), .beta(a: 2, b: 5), .beta(a: 1, b: 1), .beta(a: 0.7, b: 3),
        .lognormal(meanlog: 0, sdlog: 1), .lognormal(meanlog: 2, sdlog: 0.3),
        .uniform(low: -1, high: 3), .uniform(low: 1e-3, high: 2e-3),
        .cauchy(loc: 0, scale: 1), .cauchy(loc: 5, scale: 0.1),
        .logistic(loc: 0, scale: 1), .logistic(loc: -3, scale: 1.2),
        .weibull(shape: 0.7, scale: 1), .weibull(shape: 1, scale: 2), .weibull(shape: 3.5, scale: 0.5),
        .chiSquared(df: 1), .chiSquared(df: 3), .chiSquared(df: 10),
        .mixture([(0.3, .normal(mean: -2, sd: 0.5)), (0.7, .normal(mean: 1, sd: 1))]),
        .mixture([(0.25, .cauchy(loc: 0, scale: 1)), (0.25, .gamma(shape: 2, scale: 1)),
                  (0.5, .uniform(low: -1, high: 1))]),
        .mixture([(0.5, .beta(a: 2, b: 2)), (0.5, .exponential(rate: 3))]),
    ]

    /// One or two cases per family plus mixtures, for the (expensive) sampling tests.
    static let sampled: [Distribution] = try! [
        .normal(mean: 1.5, sd: 2), .studentT(df: 1.5, loc: 0, scale: 1), .studentT(df: 5, loc: 2, scale: 3),
        .laplace(loc: -2, scale: 5), .exponential(rate: 0.01), .gamma(shape: 0.5, scale: 1),
        .gamma(shape: 7.5, scale: 0.3), .beta(a: 0.5, b: 0.5), .beta(a: 2, b: 5), .lognormal(meanlog: 0, sdlog: 1),
        .uniform(low: -1, high: 3), .cauchy(loc: 0, scale: 1), .cauchy(loc: 5, scale: 0.1),
        .logistic(loc: -3, scale: 1.2), .weibull(shape: 0.7, scale: 1), .weibull(shape: 3.5, scale: 0.5),
        .chiSquared(df: 1), .chiSquared(df: 10),
        .mixture([(0.3, .normal(mean: -2, sd: 0.5)), (0.7, .normal(mean: 1, sd: 1))]),
        .mixture([(0.25, .cauchy(loc: 0, scale: 1)), (0.25, .gamma(shape: 2, scale: 1)),
                  (0.5, .uniform(low: -1, high: 1))]),
        .mixture([(0.5, .beta(a: 2, b: 2)), (0.5, .exponential(rate: 3))]),
    ]

    /// A stream seeded from a fixed master and the case's text: chosen up front,
    /// never tuned to a result.
    static func source(_ master: UInt64, _ text: String,
                       _ algorithm: RandomSource.Algorithm = .mt19937) -> RandomSource {
        try! RandomSource(algorithm: algorithm, seed: TrialSeed.scenarioKey(master: master, scenario: text))
    }

    /// `count` draws of `d` from one stream.
    static func draws(_ d: Distribution, _ count: Int, _ source: RandomSource) -> [Double] {
        [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            d.sample(into: buffer, using: source)
            initialized = count
        }
    }

    /// Breakpoints for integrating against `ds`: their landmarks and critical points.
    static func breakpoints(_ ds: [Distribution]) -> [Double] {
        Array(Set(ds.flatMap { $0.landmarks + $0.criticalPoints })).sorted()
    }

    /// ∫ g over the union of the supports of `ds`, breaking at their landmarks.
    static func integrate(_ g: @escaping (Double) -> Double, over ds: Distribution...,
                          relativeTolerance: Double = 1e-11) throws -> Double {
        let lower = ds.map(\.support.lower).min()!, upper = ds.map(\.support.upper).max()!
        return try Quadrature.integrate(g, from: lower, to: upper, breakpoints: breakpoints(ds),
                                        relativeTolerance: relativeTolerance).value
    }
}

// The loops over 200_000 draws run on raw buffers, and the sort is a radix
// sort: generic Array code is not specialised in debug builds, where it made
// these tests several times slower than the sampling they test. The sums run
// in index order, as reduce(0, +) does.
enum Stats {
    static func mean(_ xs: [Double]) -> Double {
        xs.withUnsafeBufferPointer { b in
            var sum = 0.0
            guard let p = b.baseAddress else { return sum }
            for i in 0..<b.count { sum += p[i] }
            return sum
        } / Double(xs.count)
    }

    /// Unbiased sample variance, two-pass.
    static func variance(_ xs: [Double]) -> Double {
        let m = mean(xs)
        return xs.withUnsafeBufferPointer { b in
            var sum = 0.0
            guard let p = b.baseAddress else { return sum }
            for i in 0..<b.count {
                let d = p[i] - m
                sum += d * d
            }
            return sum
        } / Double(xs.count - 1)
    }

    /// `xs` in ascending order (no NaN). Equal doubles are interchangeable here
    /// (-0 and +0 included: every cdf gives them the same value), so any
    /// sorting algorithm gives the same statistic. An LSD radix sort, four
    /// passes of 16 bits, on keys that order like the doubles: no comparison
    /// callbacks, which cost more than the sampling in debug builds, and while
    /// loops over raw pointers, since range iterators are calls there too.
    static func sorted(_ xs: [Double]) -> [Double] {
        let n = xs.count
        guard n > 0 else { return [] }
        let keys = UnsafeMutablePointer<UInt64>.allocate(capacity: n), other = UnsafeMutablePointer<UInt64>.allocate(capacity: n)
        let counts = UnsafeMutablePointer<Int>.allocate(capacity: 1 << 16)
        defer { keys.deallocate(); other.deallocate(); counts.deallocate() }
        xs.withUnsafeBufferPointer { x in
            let x = x.baseAddress!
            var i = 0
            while i < n {
                // Negative: all bits flipped; positive: the sign bit set.
                let b = x[i].bitPattern
                keys[i] = b >> 63 == 1 ? ~b : b | (1 << 63)
                i += 1
            }
        }
        var from = keys, to = other
        var shift: UInt64 = 0
        while shift < 64 {
            counts.initialize(repeating: 0, count: 1 << 16)
            var i = 0
            while i < n { counts[Int((from[i] >> shift) & 0xFFFF)] += 1; i += 1 }
            var start = 0, d = 0
            while d < 1 << 16 { let count = counts[d]; counts[d] = start; start += count; d += 1 }
            i = 0
            while i < n {
                let d = Int((from[i] >> shift) & 0xFFFF)
                to[counts[d]] = from[i]
                counts[d] += 1
                i += 1
            }
            swap(&from, &to)
            shift += 16
        }
        return [Double](unsafeUninitializedCapacity: n) { out, initialized in
            var i = 0
            while i < n {
                let k = from[i]
                out[i] = Double(bitPattern: k >> 63 == 1 ? k & ~(1 << 63) : ~k)
                i += 1
            }
            initialized = n
        }
    }

    /// The Kolmogorov–Smirnov statistic sup |F_n - F| of a sample against `cdf`.
    static func ksStatistic(_ sample: [Double], cdf: (Double) -> Double) -> Double {
        let xs = sorted(sample)
        let n = Double(xs.count)
        var d = 0.0
        xs.withUnsafeBufferPointer { b in
            guard let p = b.baseAddress else { return }
            // max(d, F - i/n, (i+1)/n - F), without the generic variadic max.
            var i = 0
            while i < b.count {
                let f = cdf(p[i])
                let below = f - Double(i) / n, above = Double(i + 1) / n - f
                if below > d { d = below }
                if above > d { d = above }
                i += 1
            }
        }
        return d
    }

    /// P(K > lambda) for Kolmogorov's limiting distribution,
    /// 2 sum_{k>=1} (-1)^(k-1) exp(-2 k^2 lambda^2).
    static func kolmogorovSurvival(_ lambda: Double) -> Double {
        if lambda < 0.2 { return 1 }
        var sum = 0.0
        for k in 1...100 {
            let term = exp(-2 * Double(k * k) * lambda * lambda)
            sum += (k % 2 == 1 ? 1 : -1) * term
            if term < 1e-300 { break }
        }
        return Swift.min(1, Swift.max(0, 2 * sum))
    }

    /// The asymptotic p-value of the KS statistic `d` for `n` draws, with
    /// Stephens' finite-n factor sqrt(n) + 0.12 + 0.11/sqrt(n).
    static func ksPValue(_ d: Double, n: Int) -> Double {
        let rn = Double(n).squareRoot()
        return kolmogorovSurvival((rn + 0.12 + 0.11 / rn) * d)
    }
}

/// |a - b| <= tolerance * max(1, |b|): relative for large values, absolute near 0.
func close(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * Swift.max(1, abs(b))
}

/// |a - b| <= tolerance * |b|.
func relativelyClose(_ a: Double, _ b: Double, _ tolerance: Double) -> Bool {
    abs(a - b) <= tolerance * abs(b)
}
