import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exact moments of one trial's estimate Z of one estimator.
public struct TrialMoments: Sendable {
    /// E[Z]: what the estimator converges to over trials (its own expectation).
    public let mean: Moment
    /// Var Z and the central moments E[(Z - EZ)^k] for k = 3, 4, 6.
    public let variance: Moment
    public let central3: Moment
    public let central4: Moment
    public let central6: Moment
    /// How the moments were obtained.
    public let method: String
    /// Self-normalised IS: the first-order bias (mu E_q[r^2] - E_q[r^2 f]) / N and
    /// variance E_q[r^2 (f - mu)^2] / N, reported beside the exact values.
    public var firstOrderBias: Double?
    public var firstOrderVariance: Double?

    /// From the central moments c2 ... c6 (about the mean m) of one per-sample term
    /// h: Z is the mean of N copies, so its cumulants are those of h over N^(j-1).
    static func sampleMean(mean m: Moment, central c: [Moment], samples n: Int, method: String) -> TrialMoments {
        let N = Double(n)
        func value(_ i: Int) -> Double? { c[i].value }
        func propagate(_ i: Int, _ make: () -> Double) -> Moment {
            for j in 0...i { if case .finite = c[j] {} else { return c[j] } }
            return .finite(make(), error: 0)
        }
        // c[0] = c2, c[1] = c3, c[2] = c4, c[3] = c5, c[4] = c6.
        let k2 = value(0) ?? .nan, k3 = value(1) ?? .nan
        let k4 = (value(2) ?? .nan) - 3 * k2 * k2
        let k6 = (value(4) ?? .nan) - 15 * (value(2) ?? .nan) * k2 - 10 * k3 * k3 + 30 * k2 * k2 * k2
        return TrialMoments(
            mean: m,
            variance: propagate(0) { k2 / N },
            central3: propagate(1) { k3 / (N * N) },
            central4: propagate(2) { k4 / (N * N * N) + 3 * k2 * k2 / (N * N) },
            central6: propagate(4) { k6 / pow(N, 5) + (15 * k4 * k2 + 10 * k3 * k3) / pow(N, 4) + 15 * k2 * k2 * k2 / pow(N, 3) },
            method: method)
    }

    /// From the raw moments E[D^k], k = 1 ... 6, of D = Z - center.
    static func fromShiftedRaw(_ d: [Moment], center: Double, method: String) -> TrialMoments {
        let c = centralMoments(mean: d[0], raw: Array(d[1...]))
        let mean: Moment
        if case let .finite(d1, e) = d[0] { mean = .finite(center + d1, error: e) } else { mean = d[0] }
        return TrialMoments(mean: mean, variance: c[0], central3: c[1], central4: c[2], central6: c[4], method: method)
    }

    /// The central moments c2 ... c6 of a variable from its mean and its raw
    /// moments 2 ... 6, by the binomial expansion of E[(X - m)^k]. A moment that is
    /// not finite makes every central moment from its order on the same.
    static func centralMoments(mean: Moment, raw higher: [Moment]) -> [Moment] {
        guard let m = mean.value else { return Array(repeating: mean, count: 5) }
        let raw = [Moment.finite(1, error: 0), mean] + higher
        return (2...6).map { k -> Moment in
            for j in 0...k { if case .finite = raw[j] {} else { return raw[j] } }
            var sum = 0.0, binom = 1.0
            for j in 0...k {
                sum += binom * raw[j].value! * pow(-m, Double(k - j))
                binom = binom * Double(k - j) / Double(j + 1)
            }
            return .finite(sum, error: 0)
        }
    }
}

extension MomentIntegrator {
    /// The exact trial moments of an estimator with N draws per trial.
    func trialMoments(_ spec: EstimatorSpecification, samples n: Int, nodes: () -> QuadratureNodes,
                      targetMean: Double?) -> TrialMoments {
        switch spec.form {
        case let .sampleMean(h):
            let extra = ratioCrossings(spec.ratioThresholds)
            let m = sampleMoment(h, center: 0, power: 1, specification: spec, extraBreakpoints: extra)
            guard let mean = m.value else {
                return TrialMoments(mean: m, variance: m, central3: m, central4: m, central6: m, method: "quadrature")
            }
            let c = (2...6).map { sampleMoment(h, center: mean, power: $0, specification: spec, extraBreakpoints: extra) }
            return .sampleMean(mean: m, central: c, samples: n,
                               method: "GSL adaptive quadrature of the per-sample term, in log space")
        case let .none(reason):
            let m = Moment.undetermined(reason: reason)
            return TrialMoments(mean: m, variance: m, central3: m, central4: m, central6: m, method: "none")
        case let .ratio(u, v):
            // Z = sum u / sum v is a weighted mean of f, so its k-th moment is finite
            // when E_q[|f|^k] is.
            // E_q[|f|^k] < inf is sufficient, not necessary, for N >= 2 (a large Z needs
            // most draws in f's tail): where it is infinite the moment is left undecided.
            let verdicts = (1...6).map { k -> Moment? in
                guard let v = finiteness(a: 0, b: k, region: .behavior) else { return nil }
                if case .infinite = v {
                    return .undetermined(reason: "E_q[|f|^\(k)] is infinite, so whether the \(k)-th moment of the self-normalised estimate is finite is not decided")
                }
                return v
            }
            let center = targetMean ?? 0
            let q = nodes()
            guard q.resolvesBehavior else {
                let m = Moment.undetermined(reason: "the fixed quadrature rule integrates q to \(q.mass), not 1 (a density too singular for it)")
                return TrialMoments(mean: m, variance: m, central3: m, central4: m, central6: m, method: "none")
            }
            let logAbsU = zip(q.logR, q.f).map { lr, f -> Double in
                let x = u(lr, f, center); return x == 0 ? -.infinity : log(abs(x))
            }
            let signU = zip(q.logR, q.f).map { lr, f -> Double in u(lr, f, center) < 0 ? -1 : 1 }
            let logV = q.logR.map { log(v($0)) }
            let e = LaplaceMoments(nodes: q, n: n).expectations(
                logAbsU: logAbsU, signU: signU, logV: logV, orders: (1...6).map { (m: $0, n: $0) })
            let d = (0..<6).map { verdicts[$0] ?? .finite(e[$0].value, error: e[$0].error) }
            return .fromShiftedRaw(d, center: center, method: "exact Laplace-transform identity for a ratio of sums")
        }
    }
}
