import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How large |f| can be near one end of an interval, in the terms of ``Asymptotic``.
enum Growth: Equatable {
    /// f is exactly 0 on a neighbourhood of the end (an indicator that is off there).
    case zero
    /// log |f| is at most this expansion (and, for polynomial-like f, equal to it).
    case atMost(Asymptotic)
    /// The rules cannot bound f here; a numerical test decides instead.
    case unknown
}

/// A polynomial in x, coefficients by degree.
///
/// Arithmetic visits degrees in ascending order, never in a Dictionary's hash
/// order: Swift seeds its hashing per process, and a sum whose order changes from
/// run to run changes its last bits, which would break bit-identical results.
struct Polynomial: Equatable {
    var coefficients: [Int: Double]

    static let maxDegree = 64

    init(_ coefficients: [Int: Double]) { self.coefficients = coefficients.filter { $0.value != 0 } }

    var degree: Int? { coefficients.keys.max() }
    var isZero: Bool { coefficients.isEmpty }

    static func + (a: Polynomial, b: Polynomial) -> Polynomial {
        Polynomial(a.coefficients.merging(b.coefficients, uniquingKeysWith: +))
    }

    static func * (a: Polynomial, b: Polynomial) -> Polynomial? {
        var out: [Int: Double] = [:]
        for (i, x) in a.coefficients.sorted(by: { $0.key < $1.key }) {
            for (j, y) in b.coefficients.sorted(by: { $0.key < $1.key }) {
                guard i + j <= maxDegree else { return nil }
                out[i + j, default: 0] += x * y
            }
        }
        return Polynomial(out)
    }

    func scaled(_ s: Double) -> Polynomial { Polynomial(coefficients.mapValues { $0 * s }) }

    /// The sign of the polynomial as x → +infinity (end = +1) or -infinity (end = -1).
    func eventualSign(at end: Int) -> Int {
        guard let d = degree, let c = coefficients[d] else { return 0 }
        let s = (d % 2 == 0 || end > 0) ? c : -c
        return s > 0 ? 1 : -1
    }

    /// log |p(x)| as |x| → infinity: degree * log t.
    var logAbsolute: Growth {
        guard let d = degree else { return .zero }
        return .atMost(Asymptotic(log: Double(d)))
    }

    /// p(x) with x = end * t, as the exponent of exp(p): powers of t with signs.
    func asExponent(at end: Int) -> Asymptotic {
        var powers: [Double: Double] = [:]
        for (k, c) in coefficients where k > 0 {
            powers[Double(k)] = (k % 2 == 0 || end > 0) ? c : -c
        }
        return Asymptotic(powers: powers)
    }
}

extension Formula {
    /// A polynomial equal to this expression for all x far enough toward `end`
    /// (+1 or -1), or nil if the rules cannot find one. Absolute values, min, max
    /// and comparisons of polynomials are decided by their eventual signs, so
    /// indicators like `x > 3` become the constants 1 or 0.
    func eventualPolynomial(at end: Int) -> Polynomial? {
        switch self {
        case let .number(v): return v.isFinite ? Polynomial([0: v]) : nil
        case .variable: return Polynomial([1: 1])
        case let .negate(a): return a.eventualPolynomial(at: end)?.scaled(-1)
        case let .binary(op, a, b):
            guard let pa = a.eventualPolynomial(at: end), let pb = b.eventualPolynomial(at: end) else { return nil }
            switch op {
            case .add: return pa + pb
            case .subtract: return pa + pb.scaled(-1)
            case .multiply: return pa * pb
            case .divide:
                guard pb.degree == 0, let c = pb.coefficients[0] else { return nil }
                return pa.scaled(1 / c)
            case .power:
                guard pb.degree ?? 0 == 0 else { return nil }
                let k = pb.coefficients[0] ?? 0
                guard k >= 0, k == k.rounded(), k <= Double(Polynomial.maxDegree) else {
                    return pa.degree == 0 ? Polynomial([0: pow(pa.coefficients[0] ?? 0, k)]) : nil
                }
                var out = Polynomial([0: 1])
                for _ in 0..<Int(k) { guard let next = out * pa else { return nil }; out = next }
                return out
            case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
                let s = (pa + pb.scaled(-1)).eventualSign(at: end)
                let truth: Bool
                switch op {
                case .less: truth = s < 0
                case .lessEqual: truth = s <= 0
                case .greater: truth = s > 0
                case .greaterEqual: truth = s >= 0
                case .equal: truth = s == 0
                default: truth = s != 0
                }
                return Polynomial([0: truth ? 1 : 0])
            }
        case let .call(fn, args):
            let ps = args.map { $0.eventualPolynomial(at: end) }
            guard ps.allSatisfy({ $0 != nil }) else { return nil }
            let polys = ps.map { $0! }
            switch fn {
            case .abs: return polys[0].eventualSign(at: end) < 0 ? polys[0].scaled(-1) : polys[0]
            case .min, .max:
                return polys.dropFirst().reduce(polys[0]) { best, p in
                    let s = (p + best.scaled(-1)).eventualSign(at: end)
                    return (fn == .max ? s > 0 : s < 0) ? p : best
                }
            default:
                // Constant arguments give constants; anything else is not a polynomial.
                guard polys.allSatisfy({ ($0.degree ?? 0) == 0 }) else { return nil }
                let v = Formula.call(fn, polys.map { .number($0.coefficients[0] ?? 0) }).evaluate(at: 0)
                return v.isFinite ? Polynomial([0: v]) : nil
            }
        }
    }

    /// An upper bound on log |f(x)| as x → +infinity (end = +1) or -infinity (end = -1).
    func growth(at end: Int) -> Growth {
        if let p = eventualPolynomial(at: end) { return p.logAbsolute }
        switch self {
        case .number, .variable: return .unknown  // unreachable: both are polynomials
        case let .negate(a): return a.growth(at: end)
        case let .binary(op, a, b):
            let ga = a.growth(at: end), gb = b.growth(at: end)
            switch op {
            case .add, .subtract: return Self.larger(ga, gb)
            case .multiply:
                if ga == .zero || gb == .zero { return .zero }
                guard case let .atMost(x) = ga, case let .atMost(y) = gb else { return .unknown }
                return .atMost(x + y)
            case .divide:
                // Dividing needs a lower bound on |b|: only polynomials give one.
                guard let pb = b.eventualPolynomial(at: end), let d = pb.degree else { return .unknown }
                if ga == .zero { return .zero }
                guard case let .atMost(x) = ga else { return .unknown }
                return .atMost(x + Asymptotic(log: -Double(d)))
            case .power:
                if let pb = b.eventualPolynomial(at: end), (pb.degree ?? 0) == 0 {
                    let k = pb.coefficients[0] ?? 0
                    if ga == .zero { return k > 0 ? .zero : .unknown }
                    guard case let .atMost(x) = ga, k >= 0 else { return .unknown }
                    return .atMost(k * x)
                }
                // c^b = exp(b log c) for a constant base c > 0.
                if let pa = a.eventualPolynomial(at: end), (pa.degree ?? 0) == 0,
                   let c = pa.coefficients[0], c > 0, let pb = b.eventualPolynomial(at: end) {
                    return .atMost(pb.scaled(log(c)).asExponent(at: end))
                }
                return .unknown
            case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
                return .atMost(.bounded)
            }
        case let .call(fn, args):
            switch fn {
            case .exp:
                if let p = args[0].eventualPolynomial(at: end) { return .atMost(p.asExponent(at: end)) }
                if case let .atMost(x) = args[0].growth(at: end), x.trend <= 0 { return .atMost(.bounded) }
                return .unknown
            case .log:
                // |log a| grows like the leading term of log a itself.
                switch args[0].growth(at: end) {
                case .zero, .unknown: return .unknown
                case let .atMost(x):
                    guard let lead = x.terms.first else { return .atMost(.bounded) }
                    if lead.scale.hasPrefix("t^"), let k = Double(lead.scale.dropFirst(2)) {
                        return .atMost(Asymptotic(log: k))
                    }
                    // log log t, or log (log t)^2, is below 0.5 log t eventually.
                    return .atMost(Asymptotic(log: 0.5))
                }
            case .sqrt:
                if case let .atMost(x) = args[0].growth(at: end) { return .atMost(0.5 * x) }
                return args[0].growth(at: end)
            case .abs: return args[0].growth(at: end)
            case .sin, .cos, .tanh: return .atMost(.bounded)
            case .min, .max:
                return args.map { $0.growth(at: end) }.dropFirst().reduce(args[0].growth(at: end), Self.larger)
            }
        }
    }

    private static func larger(_ a: Growth, _ b: Growth) -> Growth {
        switch (a, b) {
        case (.unknown, _), (_, .unknown): return .unknown
        case (.zero, _): return b
        case (_, .zero): return a
        case let (.atMost(x), .atMost(y)): return .atMost(.dominant(x, y))
        }
    }

    /// log |f| near a finite point c from one side, judged numerically: bounded if f
    /// is finite and non-zero there; a power of (x - c) if f vanishes at c; exactly
    /// zero if f is 0 all the way in; unknown if f is not finite near c.
    func growth(near c: Double, from side: Side) -> Growth {
        let dir: Double = side == .above ? 1 : -1
        let scale = Swift.max(abs(c), 1)
        let hs = [1e-3, 1e-5, 1e-7].map { $0 * scale }
        let values = hs.map { evaluate(at: c + dir * $0) }
        guard values.allSatisfy(\.isFinite) else { return .unknown }
        if values.allSatisfy({ $0 == 0 }) { return .zero }
        let a = abs(values[1]), b = abs(values[2])
        guard a > 0, b > 0 else { return .atMost(.bounded) }
        // Order k from |f| ~ h^k, i.e. log|f| ~ -k log t with t = 1/h: k > 0 where f
        // vanishes at c, k < 0 at a pole. The bound is rounded toward faster growth
        // (by 0.01), so that an error in the estimate cannot hide a divergence.
        let k = (log(a) - log(b)) / (log(hs[1]) - log(hs[2]))
        if k > 0.01 { return .atMost(Asymptotic(log: -(k - 0.01))) }
        if k < -0.01 { return .atMost(Asymptotic(log: -k + 0.01)) }
        return .atMost(.bounded)
    }

    /// Points in [lo, hi] where f may be infinite or undefined: zeros of
    /// denominators, of bases raised to negative powers, and of logarithms'
    /// arguments. The exact references treat them like support ends: they decide
    /// there whether each moment converges, and quadrature splits there.
    func singularPoints(in lo: Double, _ hi: Double) -> [Double] {
        switch self {
        case .number, .variable: return []
        case let .negate(a): return a.singularPoints(in: lo, hi)
        case let .binary(op, a, b):
            var points = a.singularPoints(in: lo, hi) + b.singularPoints(in: lo, hi)
            if op == .divide { points += b.zeros(in: lo, hi) }
            if op == .power, !b.mentionsX, b.evaluate(at: 0) < 0 { points += a.zeros(in: lo, hi) }
            return points
        case let .call(fn, args):
            var points = args.flatMap { $0.singularPoints(in: lo, hi) }
            if fn == .log { points += args[0].zeros(in: lo, hi) }
            return points
        }
    }

    /// Zeros of the expression in [lo, hi]: exact for factors, linear and quadratic
    /// polynomials; otherwise sign changes on a grid of 4096 cells, refined by
    /// bisection. (A zero of even order inside a sum, like (x - 1)^2 written out as
    /// x^2 - 2x + 1, has no sign change and is missed; written as a power it is found.)
    func zeros(in lo: Double, _ hi: Double) -> [Double] {
        switch self {
        case .variable: return lo <= 0 && 0 <= hi ? [0] : []
        case .number: return []
        case let .negate(a): return a.zeros(in: lo, hi)
        case let .binary(.multiply, a, b): return a.zeros(in: lo, hi) + b.zeros(in: lo, hi)
        case let .binary(.divide, a, _): return a.zeros(in: lo, hi)
        case let .binary(.power, a, b) where !b.mentionsX && b.evaluate(at: 0) > 0: return a.zeros(in: lo, hi)
        case let .call(.abs, args), let .call(.sqrt, args): return args[0].zeros(in: lo, hi)
        default: break
        }
        if isPolynomialEverywhere, let p = eventualPolynomial(at: 1), let d = p.degree, d <= 2, d >= 1 {
            let c0 = p.coefficients[0] ?? 0, c1 = p.coefficients[1] ?? 0, c2 = p.coefficients[2] ?? 0
            var roots: [Double] = []
            if d == 1 { roots = [-c0 / c1] } else {
                let disc = c1 * c1 - 4 * c2 * c0
                if disc >= 0 { roots = [(-c1 - disc.squareRoot()) / (2 * c2), (-c1 + disc.squareRoot()) / (2 * c2)] }
            }
            return roots.filter { $0 >= lo && $0 <= hi }
        }
        guard lo.isFinite, hi.isFinite, lo < hi else { return [] }
        var roots: [Double] = []
        let cells = 4096
        var x0 = lo, v0 = evaluate(at: lo)
        for i in 1...cells {
            let x1 = lo + (hi - lo) * Double(i) / Double(cells)
            let v1 = evaluate(at: x1)
            if v0 == 0 { roots.append(x0) } else if v0.isFinite && v1.isFinite && (v0 < 0) != (v1 < 0) && v1 != 0 {
                var a = x0, b = x1, va = v0
                for _ in 0..<80 {
                    let m = (a + b) / 2, vm = evaluate(at: m)
                    if vm == 0 { a = m; b = m; break }
                    if (vm < 0) == (va < 0) { a = m; va = vm } else { b = m }
                }
                roots.append((a + b) / 2)
            }
            x0 = x1; v0 = v1
        }
        return roots
    }

    /// Finite values of x where f changes abruptly: the constants that x is
    /// compared with (`x > 3` gives 3). Quadrature splits there.
    var comparisonPoints: [Double] {
        switch self {
        case .number, .variable: return []
        case let .negate(a): return a.comparisonPoints
        case let .binary(op, a, b):
            var out = a.comparisonPoints + b.comparisonPoints
            switch op {
            case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual:
                if let p = (a - b).eventualPolynomial(at: 1), p.degree == 1,
                   let c1 = p.coefficients[1] {
                    out.append(-(p.coefficients[0] ?? 0) / c1)
                }
            default: break
            }
            return out
        case let .call(_, args): return args.flatMap(\.comparisonPoints)
        }
    }
}
