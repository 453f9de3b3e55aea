import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Closed forms for a Gaussian target and behaviour, p = N(mp, sp^2), q = N(mq, sq^2).
///
/// p^a q^(1-a) is an unnormalised Gaussian, so
///     E_q[r^a g] = E_q[r^a] E_{N(m_a, v_a)}[g],
///     v_a = 1 / (a/sp^2 + (1-a)/sq^2),  m_a = v_a (a mp/sp^2 + (1-a) mq/sq^2),
///     E_q[r^a] = sqrt(v_a) sp^(-a) sq^(a-1) exp(m_a^2/(2 v_a) - a mp^2/(2 sp^2) - (1-a) mq^2/(2 sq^2)),
/// finite iff 1/v_a > 0. When g is a polynomial, E_{N(m, v)}[g] is exact too, from
/// the moment recursion E[X^k] = m E[X^(k-1)] + (k-1) v E[X^(k-2)].
struct GaussianClosedForm {
    let mp: Double, sp: Double, mq: Double, sq: Double

    init?(target: Distribution, behavior: Distribution) {
        guard case let .normal(mp, sp) = target.family, case let .normal(mq, sq) = behavior.family else { return nil }
        (self.mp, self.sp, self.mq, self.sq) = (mp, sp, mq, sq)
    }

    /// log E_q[r^a] and the tilted Gaussian N(m_a, v_a), or nil when E_q[r^a] is infinite.
    func tilt(_ a: Double) -> (logMass: Double, mean: Double, variance: Double)? {
        let precision = a / (sp * sp) + (1 - a) / (sq * sq)
        guard precision > 0 else { return nil }
        let v = 1 / precision
        let m = v * (a * mp / (sp * sp) + (1 - a) * mq / (sq * sq))
        let logMass = 0.5 * log(v) - a * log(sp) + (a - 1) * log(sq)
            + m * m / (2 * v) - a * mp * mp / (2 * sp * sp) - (1 - a) * mq * mq / (2 * sq * sq)
        return (logMass, m, v)
    }

    /// E_q[r^a f^b] when f is a polynomial; .infinite when the tilt does not exist
    /// (and f^b is not identically zero); nil when f is not a polynomial.
    func moment(a: Double, b: Int, f: Formula) -> Moment? {
        guard let poly = f.eventualPolynomial(at: 1), poly == f.eventualPolynomial(at: -1),
              f.isPolynomialEverywhere else { return nil }
        guard let (logMass, m, v) = tilt(a) else {
            if b > 0 && poly.isZero { return .finite(0, error: 0) }
            return .infinite(reason: "p^\(canonicalNumber(a)) q^\(canonicalNumber(1 - a)) is not integrable: \(canonicalNumber(a))/sp^2 - \(canonicalNumber(a - 1))/sq^2 <= 0")
        }
        var power = Polynomial([0: 1])
        for _ in 0..<b { guard let next = power * poly else { return nil }; power = next }
        let degree = power.degree ?? 0
        var raw = [1.0, m]
        if degree >= 2 { for k in 2...degree { raw.append(m * raw[k - 1] + Double(k - 1) * v * raw[k - 2]) } }
        // In ascending degree, not hash order, so that the sum is the same bits in every process.
        let expectation = power.coefficients.sorted { $0.key < $1.key }.reduce(0) { $0 + $1.value * raw[$1.key] }
        return .finite(exp(logMass) * expectation, error: 0)
    }
}

extension Formula {
    /// Whether the expression is a polynomial in x as written (no abs, min, max or
    /// comparisons, whose eventual polynomials differ from their values near 0).
    var isPolynomialEverywhere: Bool {
        switch self {
        case .number, .variable: return true
        case let .negate(a): return a.isPolynomialEverywhere
        case let .binary(op, a, b):
            switch op {
            case .add, .subtract, .multiply: return a.isPolynomialEverywhere && b.isPolynomialEverywhere
            case .divide: return a.isPolynomialEverywhere && !b.mentionsX
            case .power:
                guard a.isPolynomialEverywhere, !b.mentionsX else { return false }
                let k = b.evaluate(at: 0)
                return k >= 0 && k == k.rounded()
            default: return false
            }
        case .call: return !mentionsX
        }
    }
}
