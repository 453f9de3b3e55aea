import ISProbability

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A fixed quadrature rule for expectations under q: composite Gauss-Legendre on
/// the moments' breakpoints, with the infinite ends mapped to (0, 1].
///
/// Laid down once per scenario and reused for every expectation of the exact
/// Laplace-transform moments (ESS, self-normalised IS), which need thousands of
/// one-sample expectations that an adaptive rule would recompute from scratch.
struct QuadratureNodes {
    /// log(weight * q(x)), log r(x) and f(x) at each node where r > 0.
    var logQW: [Double] = []
    var logR: [Double] = []
    var f: [Double] = []
    /// The rule's integral of q over its support, which must be 1. A density with a
    /// strong endpoint singularity (gamma with shape 0.01) defeats a fixed rule; the
    /// exact moments built on it are then not computed.
    var mass = 0.0
    static let massTolerance = 1e-6
    var resolvesBehavior: Bool { abs(mass - 1) <= Self.massTolerance }

    static let points = 32
    static let split = 1

    /// The atoms of a discrete law: log q, log r and f of each outcome q can draw.
    init(atoms logQ: [Double], logRatios lr: [Double], f values: [Double]) {
        for i in logQ.indices where logQ[i] > -.infinity {
            mass += exp(logQ[i])
            guard lr[i] > -.infinity, !lr[i].isNaN, logQ[i] + 6 * Swift.max(lr[i], 0) >= -745 else { continue }
            logQW.append(logQ[i])
            logR.append(lr[i])
            f.append(values[i])
        }
    }

    init(integrator: MomentIntegrator, extraBreakpoints: [Double] = []) {
        let s = integrator.behavior.support
        var points = Array(Set(integrator.breakpoints + extraBreakpoints)).filter { $0 > s.lower && $0 < s.upper }.sorted()
        if s.lower.isFinite { points.insert(s.lower, at: 0) }
        if s.upper.isFinite { points.append(s.upper) }
        var nodes: [(x: Double, w: Double)] = []
        for (a, b) in zip(points, points.dropFirst()) {
            let h = (b - a) / Double(Self.split)
            for j in 0..<Self.split {
                nodes += Quadrature.gaussLegendre(from: a + Double(j) * h, to: a + Double(j + 1) * h, points: Self.points)
            }
        }
        // Infinite ends: x = edge ± scale (1 - u)/u, dx = scale/u^2 du, u in (0, 1].
        let scale = Swift.max(1, (points.last ?? 1) - (points.first ?? 0)) / 4
        for (edge, sign, present) in [(points.first ?? 0, -1.0, !s.lower.isFinite), (points.last ?? 0, 1.0, !s.upper.isFinite)] where present {
            let panels = [0, 0.01, 0.05, 0.2, 0.5, 1.0]
            for (a, b) in zip(panels, panels.dropFirst()) {
                for (u, w) in Quadrature.gaussLegendre(from: a, to: b, points: Self.points) {
                    nodes.append((edge + sign * scale * (1 - u) / u, w * scale / (u * u)))
                }
            }
        }
        for (x, w) in nodes where w > 0 && x.isFinite {
            let lq = integrator.logQ(x)
            if lq.isFinite { mass += w * exp(lq) }
            let lr = integrator.logP(x) - lq
            guard lq > -.infinity, lr > -.infinity, !lr.isNaN else { continue }
            let lqw = lq + log(w)
            // Negligible for every t and every power up to 6 of r.
            if lqw + 6 * Swift.max(lr, 0) < -745 { continue }
            logQW.append(lqw)
            logR.append(lr)
            f.append(integrator.f.evaluate(at: x))
        }
    }
}
