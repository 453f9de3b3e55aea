import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Computes E_q[r^a f^b] = ∫ p^a q^(1-a) f^b dx for a target p, a behaviour q and
/// a test function f: finiteness first, from the asymptotics of the integrand at
/// every end and critical point, then GSL quadrature in log space.
struct MomentIntegrator {
    let target: Distribution
    let behavior: Distribution
    let f: Formula
    let logP: LogDensity
    let logQ: LogDensity
    /// Every place the integrand may change character: support ends of p and q
    /// (and their components), and the thresholds f compares x with.
    let criticalPoints: [Double]
    /// Breakpoints for quadrature: critical points plus the landmarks of p and q.
    let breakpoints: [Double]

    init(target: Distribution, behavior: Distribution, f: Formula) {
        self.target = target
        self.behavior = behavior
        self.f = f
        self.logP = LogDensity(target)
        self.logQ = LogDensity(behavior)
        let landmarks = target.landmarks + behavior.landmarks
        // f's own poles count as critical points, searched over a range twice as
        // wide as where p and q have their mass.
        let span = (landmarks.min() ?? -1, landmarks.max() ?? 1)
        let width = span.1 - span.0
        let poles = f.singularPoints(in: span.0 - width / 2, span.1 + width / 2)
        criticalPoints = Array(Set(target.criticalPoints + behavior.criticalPoints + poles)).sorted()
        breakpoints = Array(Set(criticalPoints + landmarks + f.comparisonPoints.filter(\.isFinite))).sorted()
    }

    /// Where the integral runs: the support of q (an expectation under q), or of p
    /// for plain expectations under the target.
    enum Region { case behavior, target }

    /// log of p^a q^(1-a) at x; a = 1 never looks at q.
    @inline(__always)
    func logWeight(_ x: Double, a: Double) -> Double {
        let lp = logP(x)
        if a == 1 { return lp }
        if lp == -.infinity { return -.infinity }
        return a * lp + (1 - a) * logQ(x)
    }

    /// Decides whether ∫ p^a q^(1-a) |f|^b converges over the region.
    func finiteness(a: Double, b: Int, region: Region) -> Moment? {
        let base = region == .behavior ? behavior : target
        var ends: [(point: Double, side: Side)] = [(-.infinity, .above), (.infinity, .below)]
        for c in criticalPoints { ends += [(c, .below), (c, .above)] }
        for (c, side) in ends {
            guard base.logDensityAsymptotic(at: c, from: side) != nil else { continue }
            guard let lp = target.logDensityAsymptotic(at: c, from: side) else { continue }
            var total = a * lp
            if a != 1 {
                guard let lq = behavior.logDensityAsymptotic(at: c, from: side) else { continue }
                total = total + (1 - a) * lq
            }
            if b != 0 {
                let g = c.isFinite ? f.growth(near: c, from: side) : f.growth(at: c > 0 ? 1 : -1)
                switch g {
                case .zero: continue
                case let .atMost(x): total = total + Double(b) * x
                case .unknown:
                    if let verdict = numericalTailTest(a: a, b: b, point: c, side: side) { return verdict }
                    continue
                }
            }
            if !total.isIntegrable(nearFinitePoint: c.isFinite) {
                return .infinite(reason: "the integrand of E[r^\(canonicalNumber(a)) f^\(b)] behaves like exp(\(total)) as \(Self.describe(c, side)), t = \(c.isFinite ? "1/|x - c|" : "|x|"), which is not integrable")
            }
        }
        return nil
    }

    static func describe(_ c: Double, _ side: Side) -> String {
        if c == .infinity { return "x -> +inf" }
        if c == -.infinity { return "x -> -inf" }
        return "x -> \(canonicalNumber(c))\(side == .above ? "+" : "-")"
    }

    /// When f's growth has no symbolic bound: watch log(t * integrand) along t = 10^(j/2).
    /// Steadily falling far below zero means convergent; rising or level, divergent.
    func numericalTailTest(a: Double, b: Int, point c: Double, side: Side) -> Moment? {
        var values: [Double] = []
        for j in 2...300 {
            let t = pow(10, Double(j) / 2)
            let x: Double
            if c.isFinite {
                x = c + (side == .above ? 1 : -1) / t
                if x == c { break }
            } else {
                x = c > 0 ? t : -t
            }
            let fx = f.evaluate(at: x)
            let lw = logWeight(x, a: a)
            let g = lw + Double(b) * log(abs(fx)) + (c.isFinite ? -log(t) : log(t))
            if g.isNaN || g == .infinity { break }
            values.append(g)
        }
        let tail = values.suffix(6)
        guard tail.count == 6 else {
            return .undetermined(reason: "could not decide whether E[r^\(canonicalNumber(a)) f^\(b)] is finite as \(Self.describe(c, side)): f has no symbolic bound there and cannot be evaluated far enough")
        }
        let falling = zip(tail, tail.dropFirst()).allSatisfy { $1 < $0 }
        if falling && tail.last! < -40 { return nil }
        let rising = zip(tail, tail.dropFirst()).allSatisfy { $1 >= $0 }
        if rising || tail.last! > -1 {
            return .infinite(reason: "numerically, t * integrand of E[r^\(canonicalNumber(a)) f^\(b)] does not decay as \(Self.describe(c, side))")
        }
        return .undetermined(reason: "could not decide whether E[r^\(canonicalNumber(a)) f^\(b)] is finite as \(Self.describe(c, side))")
    }

    /// ∫ exp(logIntegrand(x)) * factor(x) dx over the region, by GSL quadrature.
    func integrate(region: Region, _ integrand: @escaping (Double) -> Double) -> Moment {
        let s = (region == .behavior ? behavior : target).support
        var lastError: GSLError?
        // A tolerance GSL cannot reach by roundoff is retried once, looser, but
        // never looser than the 1e-8 the references promise.
        for tolerance in [1e-10, 1e-9] {
            do {
                let r = try Quadrature.integrate(integrand, from: s.lower, to: s.upper,
                                                 breakpoints: breakpoints, relativeTolerance: tolerance)
                return .finite(r.value, error: r.absoluteError)
            } catch {
                lastError = error
            }
        }
        return .undetermined(reason: lastError.map { "\($0)" } ?? "quadrature failed")
    }

    /// E[r^a f^b] under q (region .behavior) or E_p[f^b] (a = 1, region .target).
    func moment(a: Double, b: Int, region: Region = .behavior) -> Moment {
        if let verdict = finiteness(a: a, b: b, region: region) { return verdict }
        let f = self.f
        return integrate(region: region) { x in
            let lw = self.logWeight(x, a: a)
            if lw == -.infinity { return 0 }
            if b == 0 { return exp(lw) }
            let fx = f.evaluate(at: x)
            if fx == 0 { return 0 }
            // In log space: p^a q^(1-a) may be huge where |f|^b is tiny, or the reverse.
            let v = exp(lw + Double(b) * log(abs(fx)))
            return (fx < 0 && b % 2 == 1) ? -v : v
        }
    }
}
