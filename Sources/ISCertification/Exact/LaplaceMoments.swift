import ISProbability

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Exact moments of ratios of sums over N independent draws from q.
///
/// With A = sum u(x_i), B = sum v(x_i), v > 0, and 1/B^n = ∫_0^∞ t^(n-1)/(n-1)! e^(-tB) dt,
///
///     E[A^m / B^n] = ∫_0^∞ t^(n-1)/(n-1)! E[A^m e^(-tB)] dt,
///     E[A^m e^(-tB)] = d^m/ds^m G(s)^N at s = 0,   G(s) = E_q[e^(s u - t v)].
///
/// The derivatives of G^N come from J. C. P. Miller's recurrence for powers of a
/// power series: with a_k = G^(k)(0)/k! = E_q[u^k e^(-tv)]/k! and b = a^N,
///     b_k = 1/(k a_0) sum_{j=1..k} ((N+1) j - k) a_j b_(k-j),
/// so any m costs k^2 products, and nothing about u or v needs finite moments.
/// ESS/N is (u, v) = (r, r^2); self-normalised IS is (r (f - c), r).
struct LaplaceMoments {
    let nodes: QuadratureNodes
    let n: Int

    /// Panels of the outer variable u in (0, 1), t = unit * u / (1 - u).
    static let outerPanels: [Double] = [0, 1e-5, 1e-4, 1e-3, 0.01, 0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99, 1]

    /// exp(x), without libm's underflow path where the result is exactly +0
    /// (x < -746 < log of half the smallest subnormal): the terms of these sums
    /// underflow at most outer t, and adding +0 changes no partial sum.
    /// (Transparent: inlined even in -Onone builds, where a call per node and outer t
    /// would cost more than the exponential.)
    @_transparent
    static func expOrZero(_ x: Double) -> Double { x < -746 ? 0 : exp(x) }

    /// E[A^m / B^n] for each requested (m, n), with an error estimate from the same
    /// outer rule at half the points per panel.
    ///
    /// - Parameters:
    ///   - logAbsU, signU: log |u| and the sign of u at each node (log|u| = -inf for u = 0).
    ///   - logV: log v at each node.
    func expectations(logAbsU: [Double], signU: [Double], logV: [Double],
                      orders: [(m: Int, n: Int)]) -> [(value: Double, error: Double)] {
        let maxM = orders.map(\.m).max() ?? 1
        let N = Double(n)
        let lqw = nodes.logQW
        let count = lqw.count
        // Each node's terms that do not depend on t, once, in raw memory: the loop in
        // `transforms` runs for every node at every outer t, and Array and buffer
        // subscripts are bounds-checked calls in -Onone builds.
        var blocks: [UnsafeMutableRawPointer] = []
        defer { for block in blocks { block.deallocate() } }
        func column<T>(_ value: (Int) -> T) -> UnsafeMutablePointer<T> {
            let p = UnsafeMutablePointer<T>.allocate(capacity: Swift.max(count, 1))
            for j in 0..<count { (p + j).initialize(to: value(j)) }
            blocks.append(UnsafeMutableRawPointer(p))
            return p
        }
        let v = column { exp(logV[$0]) }, qw = column { exp(lqw[$0]) }
        let logAbsUs = column { logAbsU[$0] }, signUs = column { signU[$0] }, lqws = column { lqw[$0] }
        // The product path below needs |u| finite; its terms start from u^1 e^(-tv) q w
        // and multiply by u, and (log(qw) + log|u|) - tv is how log u e^(-tv) q w was summed.
        let finiteU = column { exp(logAbsU[$0]).isFinite }, factor = column { signU[$0] * exp(logAbsU[$0]) }
        let logQWU = column { lqw[$0] + logAbsU[$0] }, logTopPower = column { Double(maxM - 1) * logAbsU[$0] }
        let zeroU = -Double.infinity
        // One sample's transforms at t: 1 - phi(t) and g_k(t) = E_q[u^k e^(-tv)].
        func transforms(_ t: Double) -> (logPhi: Double, g: [Double]) {
            var g = [Double](repeating: 0, count: maxM + 1)
            var oneMinusPhi = 0.0
            g.withUnsafeMutableBufferPointer { g in
            let g = g.baseAddress!
            // (while loops: a range's iterator is a call per step in -Onone builds)
            var j = 0
            while j < count {
                // v beyond 1e100: t v > 1e89 at the smallest outer t (~1e-11), so
                // e^(-tv) is exactly 0 in double precision. The node adds its whole
                // mass to 1 - phi and nothing to any g_k, even where u overflowed.
                if v[j] > 1e100 {
                    oneMinusPhi += qw[j]
                } else {
                    let tv = t * v[j]
                    // 1 - phi directly, so that log phi keeps its digits when t is small.
                    oneMinusPhi -= qw[j] * expm1(-tv)
                    if logAbsUs[j] != zeroU {
                        // u^k e^(-tv) q w from one exponential and k - 1 products; where that
                        // base underflows, or |u| overflows, each power in log space instead,
                        // so that nothing becomes inf * 0.
                        let logBase = logQWU[j] - tv
                        let base = Self.expOrZero(logBase)
                        // The product path only where no power can overflow or underflow.
                        if base > 1e-290 && finiteU[j] && logBase + logTopPower[j] < 700 {
                            var term = signUs[j] * base
                            let f = factor[j]
                            // Unrolled for the orders the moments use (4 for ESS, 6 for
                            // ratios): a loop's counter costs as much as the sums in debug
                            // builds. The same terms go to the same sums in the same order.
                            if maxM == 6 {
                                g[1] += term; term *= f; g[2] += term; term *= f; g[3] += term; term *= f
                                g[4] += term; term *= f; g[5] += term; term *= f; g[6] += term
                            } else if maxM == 4 {
                                g[1] += term; term *= f; g[2] += term; term *= f; g[3] += term; term *= f
                                g[4] += term
                            } else {
                                var k = 1
                                while k <= maxM {
                                    g[k] += term
                                    term *= f
                                    k &+= 1
                                }
                            }
                        } else {
                            var sign = 1.0
                            var k = 1
                            while k <= maxM {
                                sign *= signUs[j]
                                g[k] += sign * Self.expOrZero(lqws[j] + Double(k) * logAbsUs[j] - tv)
                                k += 1
                            }
                        }
                    }
                }
                j &+= 1
            }
            }
            return (log1p(-Swift.min(oneMinusPhi, 1)), g)
        }
        // E[A^m e^(-tB)] for m = 0...maxM at t.
        func powerSeries(_ t: Double) -> [Double] {
            let (logPhi, g) = transforms(t)
            let phi = exp(logPhi)
            // Where phi^N < e^-700 the integrand is that factor times a series of
            // moderate size (g_k / phi is a tilted moment of u): negligible. Stopping
            // here also keeps g_k / phi from overflowing into inf * 0.
            guard phi > 0, Double(n) * logPhi > -700 else { return [Double](repeating: 0, count: maxM + 1) }
            var a = [Double](repeating: 0, count: maxM + 1), factorial = 1.0
            for k in 1...maxM { factorial *= Double(k); a[k] = g[k] / (factorial * phi) }
            var b = [Double](repeating: 0, count: maxM + 1)
            b[0] = 1
            if maxM >= 1 {
                for k in 1...maxM {
                    var s = 0.0
                    for j in 1...k { s += ((N + 1) * Double(j) - Double(k)) * a[j] * b[k - j] }
                    b[k] = s / Double(k)
                }
            }
            let scale = exp(N * logPhi)
            var out = [Double](repeating: 0, count: maxM + 1)
            factorial = 1
            for m in 0...maxM {
                if m > 0 { factorial *= Double(m) }
                out[m] = factorial * scale * b[m]
            }
            return out
        }
        // The natural unit of t: 1 / (N E_q[v e^(-v/N)]).
        var typical = 0.0
        for j in 0..<lqw.count where v[j].isFinite { typical += exp(lqw[j] + logV[j] - v[j] / N) }
        let unit = 1 / (N * Swift.max(typical, 1e-300))
        func integrate(points: Int) -> [Double] {
            var sums = [Double](repeating: 0, count: orders.count)
            for (a, b) in zip(Self.outerPanels, Self.outerPanels.dropFirst()) {
                for node in Quadrature.gaussLegendre(from: a, to: b, points: points) {
                    let u = node.x
                    let t = unit * u / (1 - u)
                    let dt = unit / ((1 - u) * (1 - u)) * node.w
                    let e = powerSeries(t)
                    for (i, o) in orders.enumerated() {
                        var kernel = 1.0
                        if o.n > 1 { for k in 1..<o.n { kernel *= t / Double(k) } }
                        sums[i] += kernel * e[o.m] * dt
                    }
                }
            }
            return sums
        }
        let fine = integrate(points: 16)
        let coarse = integrate(points: 8)
        return zip(fine, coarse).map { (value: $0, error: abs($0 - $1)) }
    }
}

