import CGSL

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A distribution's log-density, with its normalising constant computed once.
///
/// Exact in log space and far into the tails: it never forms a density that could
/// underflow and then takes its logarithm. Outside the support it is -infinity.
/// At a support endpoint where the density diverges (gamma or weibull with
/// shape < 1 at 0, beta with a < 1 at 0) it is +infinity.
public struct LogDensity: Sendable {
    enum Kind: Sendable {
        case normal(mean: Double, inverseSD: Double)
        case studentT(df: Double, loc: Double, inverseScale: Double)
        case laplace(loc: Double, inverseScale: Double)
        case exponential(rate: Double)
        case gamma(shapeMinusOne: Double, inverseScale: Double)
        case beta(aMinusOne: Double, bMinusOne: Double)
        case lognormal(meanlog: Double, inverseSD: Double)
        case uniform(low: Double, high: Double)
        case cauchy(loc: Double, inverseScale: Double)
        case logistic(loc: Double, inverseScale: Double)
        case weibull(shape: Double, inverseScale: Double)
        case mixture(logWeights: [Double], components: [LogDensity])
    }

    let kind: Kind
    /// The log of the normalising constant, added to the kernel.
    let logNormaliser: Double

    public init(_ distribution: Distribution) {
        GSL.errorHandlerOff
        let halfLog2Pi = 0.5 * log(2 * Double.pi)
        switch distribution.family {
        case let .normal(m, s):
            kind = .normal(mean: m, inverseSD: 1 / s)
            logNormaliser = -log(s) - halfLog2Pi
        case let .studentT(nu, loc, scale):
            kind = .studentT(df: nu, loc: loc, inverseScale: 1 / scale)
            logNormaliser = gsl_sf_lngamma((nu + 1) / 2) - gsl_sf_lngamma(nu / 2) - 0.5 * log(nu * Double.pi) - log(scale)
        case let .laplace(loc, b):
            kind = .laplace(loc: loc, inverseScale: 1 / b)
            logNormaliser = -log(2 * b)
        case let .exponential(rate):
            kind = .exponential(rate: rate)
            logNormaliser = log(rate)
        case let .gamma(k, theta):
            kind = .gamma(shapeMinusOne: k - 1, inverseScale: 1 / theta)
            logNormaliser = -gsl_sf_lngamma(k) - k * log(theta)
        case let .chiSquared(nu):
            kind = .gamma(shapeMinusOne: nu / 2 - 1, inverseScale: 0.5)
            logNormaliser = -gsl_sf_lngamma(nu / 2) - (nu / 2) * log(2.0)
        case let .beta(a, b):
            kind = .beta(aMinusOne: a - 1, bMinusOne: b - 1)
            logNormaliser = -gsl_sf_lnbeta(a, b)
        case let .lognormal(mu, sigma):
            kind = .lognormal(meanlog: mu, inverseSD: 1 / sigma)
            logNormaliser = -log(sigma) - halfLog2Pi
        case let .uniform(low, high):
            kind = .uniform(low: low, high: high)
            logNormaliser = -log(high - low)
        case let .cauchy(loc, scale):
            kind = .cauchy(loc: loc, inverseScale: 1 / scale)
            logNormaliser = -log(Double.pi * scale)
        case let .logistic(loc, scale):
            kind = .logistic(loc: loc, inverseScale: 1 / scale)
            logNormaliser = -log(scale)
        case let .weibull(k, lambda):
            kind = .weibull(shape: k, inverseScale: 1 / lambda)
            logNormaliser = log(k / lambda)
        case let .mixture(components):
            kind = .mixture(logWeights: components.map { log($0.weight) },
                            components: components.map { LogDensity($0.distribution) })
            logNormaliser = 0
        }
    }

    /// log(1 + z^2 / nu) without overflow for |z| up to the largest double.
    @inline(__always)
    static func log1pSquareOver(_ z: Double, _ nu: Double) -> Double {
        let a = z.magnitude
        if a < 1e100 { return log1p(z * z / nu) }
        return 2 * log(a) - log(nu) + log1p(nu / (a * a))
    }

    /// The log-density at `x`.
    @inline(__always)
    public func callAsFunction(_ x: Double) -> Double {
        switch kind {
        case let .normal(m, inv):
            let z = (x - m) * inv
            return logNormaliser - 0.5 * z * z
        case let .studentT(nu, loc, inv):
            return logNormaliser - 0.5 * (nu + 1) * Self.log1pSquareOver((x - loc) * inv, nu)
        case let .laplace(loc, inv):
            return logNormaliser - (x - loc).magnitude * inv
        case let .exponential(rate):
            return x < 0 ? -.infinity : logNormaliser - rate * x
        case let .gamma(km1, inv):
            if x < 0 { return -.infinity }
            if x == 0 { return km1 < 0 ? .infinity : (km1 == 0 ? logNormaliser : -.infinity) }
            return logNormaliser + km1 * log(x) - x * inv
        case let .beta(am1, bm1):
            if x < 0 || x > 1 { return -.infinity }
            if x == 0 { return am1 < 0 ? .infinity : (am1 == 0 ? logNormaliser : -.infinity) }
            if x == 1 { return bm1 < 0 ? .infinity : (bm1 == 0 ? logNormaliser : -.infinity) }
            return logNormaliser + am1 * log(x) + bm1 * log1p(-x)
        case let .lognormal(mu, inv):
            if x <= 0 { return -.infinity }
            let lx = log(x)
            let z = (lx - mu) * inv
            return logNormaliser - lx - 0.5 * z * z
        case let .uniform(low, high):
            return (x < low || x > high) ? -.infinity : logNormaliser
        case let .cauchy(loc, inv):
            return logNormaliser - Self.log1pSquareOver((x - loc) * inv, 1)
        case let .logistic(loc, inv):
            let a = ((x - loc) * inv).magnitude
            return logNormaliser - a - 2 * log1p(exp(-a))
        case let .weibull(k, inv):
            if x < 0 { return -.infinity }
            if x == 0 { return k < 1 ? .infinity : (k == 1 ? logNormaliser : -.infinity) }
            let y = x * inv
            return logNormaliser + (k - 1) * log(y) - pow(y, k)
        case let .mixture(logWeights, components):
            // Scratch on the stack: this runs once per draw and per quadrature node.
            return withUnsafeTemporaryAllocation(of: Double.self, capacity: components.count) { terms in
                for i in components.indices { terms[i] = logWeights[i] + components[i](x) }
                return Self.logSumExp(terms.baseAddress!, count: components.count, stride: 1)
            }
        }
    }

    /// log sum_j exp(terms[j * stride]) over `count` terms, shifted by the largest
    /// term so that no term overflows; the largest term itself when it is not finite.
    /// The one log-sum-exp of mixtures, for single values and for batches alike.
    @inline(__always)
    static func logSumExp(_ terms: UnsafePointer<Double>, count: Int, stride: Int) -> Double {
        var top = -Double.infinity
        for j in 0..<count { top = Swift.max(top, terms[j * stride]) }
        if !top.isFinite { return top }
        var sum = 0.0
        for j in 0..<count { sum += exp(terms[j * stride] - top) }
        return top + log(sum)
    }

    /// The log-density at each of `xs`, written to `out` (same count).
    public func evaluate(_ xs: UnsafeBufferPointer<Double>, into out: UnsafeMutableBufferPointer<Double>) {
        precondition(out.count >= xs.count)
        let n = xs.count
        // Raw pointers: buffer subscripts are bounds-checked calls in -Onone builds.
        guard n > 0, let x = xs.baseAddress, let o = out.baseAddress else { return }
        // One switch per batch: the common families get tight loops, the rest
        // go through the scalar path.
        // (While loops with wrapping counters, and .magnitude: a range's iterator
        // and the generic abs are calls per element in -Onone builds.)
        var i = 0
        switch kind {
        case let .normal(m, inv):
            let c = logNormaliser
            while i < n {
                let z = (x[i] - m) * inv
                o[i] = c - 0.5 * z * z
                i &+= 1
            }
        case let .laplace(loc, inv):
            let c = logNormaliser
            while i < n { o[i] = c - (x[i] - loc).magnitude * inv; i &+= 1 }
        case let .mixture(logWeights, components):
            // Each component over the whole batch (its own tight loop), then the
            // log-sum-exp of each draw's terms: the same terms in the same order
            // as the scalar path, without scratch memory per draw.
            withUnsafeTemporaryAllocation(of: Double.self, capacity: components.count * n) { terms in
                for j in components.indices {
                    let row = UnsafeMutableBufferPointer(rebasing: terms[(j * n)..<((j + 1) * n)])
                    components[j].evaluate(xs, into: row)
                    let w = logWeights[j], r = row.baseAddress!
                    for i in 0..<n { r[i] = w + r[i] }
                }
                let base = UnsafePointer(terms.baseAddress!)
                for i in 0..<n { o[i] = Self.logSumExp(base + i, count: components.count, stride: n) }
            }
        default:
            while i < n { o[i] = self(x[i]); i &+= 1 }
        }
    }
}
