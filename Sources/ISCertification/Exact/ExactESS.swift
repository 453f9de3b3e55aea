import ISProbability

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exact mean and standard deviation of ESS/N = (sum r)^2 / (N sum r^2) for
/// N independent draws from q.
///
/// The delta-method value E[ESS/N] ~ 1/m2 + c/N is accurate only when the ratio's
/// fourth moment is small: at p = N(1,1), q = N(0,1), N = 200 it is 0.446 where
/// the truth is 0.3996 (hundreds of standard errors at K = 4000). iscert uses an
/// exact identity instead. With A = sum r_i, B = sum r_i^2 and 1/B = ∫_0^∞ e^(-tB) dt,
///
///     E[A^2 / B]   = ∫_0^∞ [N ψ2 φ^(N-1) + N(N-1) ψ1^2 φ^(N-2)] dt
///     E[A^4 / B^2] = ∫_0^∞ t [N ψ4 φ^(N-1) + 4N(N-1) ψ3 ψ1 φ^(N-2) + 3N(N-1) ψ2^2 φ^(N-2)
///                             + 6N(N-1)(N-2) ψ2 ψ1^2 φ^(N-3) + N(N-1)(N-2)(N-3) ψ1^4 φ^(N-4)] dt
///
/// where ψk(t) = E_q[r^k e^(-t r^2)] and φ(t) = E_q[e^(-t r^2)]: one-sample
/// expectations. Neither needs any moment of r to be finite.
///
/// Both levels use fixed composite Gauss-Legendre rules: the inner nodes (over x,
/// on the same breakpoints as the moments) are laid down once, and both outer
/// integrals share one set of t nodes. The error is estimated by repeating the
/// outer integral with half the points per panel.
struct ExactESS {
    let n: Int
    /// log(weight * q) and log r at each inner node where r > 0.
    private var logQW: [Double] = []
    private var logR: [Double] = []

    static let innerPoints = 32
    static let innerSplit = 2
    static let outerPanels: [Double] = [0, 1e-5, 1e-4, 1e-3, 0.01, 0.05, 0.15, 0.3, 0.5, 0.7, 0.85, 0.95, 0.99, 1]

    init(integrator: MomentIntegrator, n: Int) {
        self.n = n
        let s = integrator.behavior.support
        let cuts = integrator.breakpoints.filter { $0 > s.lower && $0 < s.upper }
        var points = cuts
        if s.lower.isFinite { points.insert(s.lower, at: 0) }
        if s.upper.isFinite { points.append(s.upper) }
        var nodes: [(x: Double, w: Double)] = []
        for (a, b) in zip(points, points.dropFirst()) {
            let h = (b - a) / Double(Self.innerSplit)
            for j in 0..<Self.innerSplit {
                nodes += Quadrature.gaussLegendre(from: a + Double(j) * h, to: a + Double(j + 1) * h, points: Self.innerPoints)
            }
        }
        // Infinite ends: x = edge ± scale (1 - u)/u, dx = scale/u^2 du, u in (0, 1].
        let scale = Swift.max(1, (points.last ?? 1) - (points.first ?? 0)) / 4
        for (edge, sign, present) in [(points.first ?? 0, -1.0, !s.lower.isFinite), (points.last ?? 0, 1.0, !s.upper.isFinite)] where present {
            let panels = [0, 0.01, 0.05, 0.2, 0.5, 1.0]
            for (a, b) in zip(panels, panels.dropFirst()) {
                for (u, w) in Quadrature.gaussLegendre(from: a, to: b, points: Self.innerPoints) {
                    nodes.append((edge + sign * scale * (1 - u) / u, w * scale / (u * u)))
                }
            }
        }
        for (x, w) in nodes where w > 0 && x.isFinite {
            let lq = integrator.logQ(x)
            let lr = integrator.logP(x) - lq
            guard lq > -.infinity, lr > -.infinity, !lr.isNaN else { continue }
            let lqw = lq + log(w)
            // Negligible for every t and every k <= 4.
            if lqw + 4 * Swift.max(lr, 0) < -745 { continue }
            logQW.append(lqw)
            logR.append(lr)
        }
    }

    /// ψ1...ψ4 (index 1...4) and log φ at t.
    private func transforms(_ t: Double) -> (psi: (Double, Double, Double, Double), logPhi: Double) {
        var p1 = 0.0, p2 = 0.0, p3 = 0.0, p4 = 0.0, oneMinusPhi = 0.0
        for j in 0..<logQW.count {
            let lr = logR[j]
            // In log space: r^k e^(-t r^2) q w = exp(lqw + k lr - t e^(2 lr)), which is
            // 0, not inf * 0, where r overflows.
            let base = logQW[j] - t * exp(2 * lr)
            p1 += exp(base + lr)
            p2 += exp(base + 2 * lr)
            p3 += exp(base + 3 * lr)
            p4 += exp(base + 4 * lr)
            // 1 - φ directly, so that log φ keeps its digits when t is small.
            oneMinusPhi -= exp(logQW[j]) * expm1(-t * exp(2 * lr))
        }
        return ((p1, p2, p3, p4), log1p(-Swift.min(oneMinusPhi, 1)))
    }

    /// (E[ESS/N], sd(ESS/N), error of the mean) for one trial of N draws.
    func moments() -> (mean: Double, sd: Double, error: Double) {
        let N = Double(n)
        // t in units of 1/(N E_q[r^2 e^(-r^2/N)]): where the integrands live.
        let scale = Swift.max(transforms(1 / N).psi.1, 1e-300)
        let unit = 1 / (N * scale)
        func integrals(points: Int) -> (Double, Double) {
            var first = 0.0, second = 0.0
            for (a, b) in zip(Self.outerPanels, Self.outerPanels.dropFirst()) {
                for (u, w) in Quadrature.gaussLegendre(from: a, to: b, points: points) {
                    let t = unit * u / (1 - u)
                    let dt = unit / ((1 - u) * (1 - u)) * w
                    let ((p1, p2, p3, p4), lphi) = transforms(t)
                    func phi(_ k: Double) -> Double { exp((N - k) * lphi) }
                    first += (N * p2 * phi(1) + N * (N - 1) * p1 * p1 * phi(2)) * dt
                    var s = N * p4 * phi(1) + N * (N - 1) * (4 * p3 * p1 + 3 * p2 * p2) * phi(2)
                    if n >= 3 { s += 6 * N * (N - 1) * (N - 2) * p2 * p1 * p1 * phi(3) }
                    if n >= 4 { s += N * (N - 1) * (N - 2) * (N - 3) * p1 * p1 * p1 * p1 * phi(4) }
                    second += t * s * dt
                }
            }
            return (first / N, second / (N * N))
        }
        let (mean, meanSquare) = integrals(points: 32)
        let (coarse, _) = integrals(points: 16)
        return (mean, sqrt(Swift.max(meanSquare - mean * mean, 0)), abs(mean - coarse))
    }
}
