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

    /// Every place an integral may diverge: the two infinite ends, and each critical
    /// point approached from either side.
    var ends: [(point: Double, side: Side)] {
        [(-.infinity, .above), (.infinity, .below)] + criticalPoints.flatMap { [($0, Side.below), ($0, Side.above)] }
    }

    /// Where the integral runs: the support of q (an expectation under q), or of p
    /// for plain expectations under the target.
    enum Region { case behavior, target }

    /// log of p^a q^(1-a) at x; a = 1 never looks at q.
    @inline(__always)
    func logWeight(_ x: Double, a: Double) -> Double {
        if a == 0 { return logQ(x) }
        let lp = logP(x)
        if a == 1 { return lp }
        if lp == -.infinity { return -.infinity }
        return a * lp + (1 - a) * logQ(x)
    }

    /// Decides whether ∫ p^a q^(1-a) |f|^b converges over the region.
    func finiteness(a: Double, b: Int, region: Region) -> Moment? {
        let base = region == .behavior ? behavior : target
        for (c, side) in ends {
            guard base.logDensityAsymptotic(at: c, from: side) != nil else { continue }
            var total = Asymptotic.bounded
            if a != 0 {
                guard let lp = target.logDensityAsymptotic(at: c, from: side) else { continue }
                total = a * lp
            }
            if a != 1 {
                guard let lq = behavior.logDensityAsymptotic(at: c, from: side) else { continue }
                if a == 0 { total = lq; if b == 0 { continue } }
                else { total = total + (1 - a) * lq }
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

    /// The numerical tail test on the integrand of E[r^a f^b].
    func numericalTailTest(a: Double, b: Int, point c: Double, side: Side) -> Moment? {
        numericalTailTest(point: c, side: side) { x in
            self.logWeight(x, a: a) + Double(b) * log(abs(self.f.evaluate(at: x)))
        }
    }

    /// When no symbolic bound exists: watch log(t * integrand) along t = 10^(j/8).
    /// Steadily falling far below zero means convergent; rising or level, divergent.
    func numericalTailTest(point c: Double, side: Side, logIntegrand: (Double) -> Double) -> Moment? {
        var values: [Double] = []
        // t = 10^(j/8): fine enough that an integrand which overflows by x = 10^3
        // (exp(log r) for shifted Gaussians) still gives a dozen points first.
        for j in 8...2400 {
            let t = pow(10, Double(j) / 8)
            let x: Double
            if c.isFinite {
                x = c + (side == .above ? 1 : -1) / t
                if x == c { break }
            } else {
                x = c > 0 ? t : -t
            }
            let li = logIntegrand(x)
            // The integrand has reached exactly zero (q's density underflowed): beyond
            // every power of t, so convergent.
            if li == -.infinity && !values.isEmpty { return nil }
            let g = li + (c.isFinite ? -log(t) : log(t))
            if g.isNaN || g == .infinity { break }
            values.append(g)
        }
        let tail = values.suffix(6)
        guard tail.count == 6 else {
            return .undetermined(reason: "could not decide whether a moment is finite as \(Self.describe(c, side)): the integrand has no symbolic bound there and cannot be evaluated far enough")
        }
        // g = log(t I) at an infinite end and log(I / t) at a finite point: either way
        // the integral converges iff g falls without bound, so its slope in log t
        // decides. At a finite point double precision stops t near 1e16, where a
        // bounded integrand has only reached g = -37, so the level alone cannot.
        let slope = (tail.last! - tail.first!) / (Double(tail.count - 1) * log(10) / 8)
        let falling = zip(tail, tail.dropFirst()).allSatisfy { $1 < $0 }
        if falling && (tail.last! < -40 || slope <= -0.2) { return nil }
        let rising = zip(tail, tail.dropFirst()).allSatisfy { $1 > $0 }
        if rising || slope >= -0.05 {
            return .infinite(reason: "numerically, t times the integrand does not decay as \(Self.describe(c, side))")
        }
        return .undetermined(reason: "could not decide whether a moment is finite as \(Self.describe(c, side))")
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

extension MomentIntegrator {
    /// The points where r(x) = theta for each threshold theta, found by sign
    /// changes of log r - log theta on a grid over the breakpoints' span.
    func ratioCrossings(_ thresholds: [Double]) -> [Double] {
        let finite = breakpoints.filter(\.isFinite)
        guard let lo = finite.first, let hi = finite.last, lo < hi, !thresholds.isEmpty else { return [] }
        let cells = 4096
        var out: [Double] = []
        for theta in thresholds where theta > 0 {
            let target = log(theta)
            func g(_ x: Double) -> Double { logP(x) - logQ(x) - target }
            var x0 = lo, v0 = g(lo)
            for i in 1...cells {
                let x1 = lo + (hi - lo) * Double(i) / Double(cells)
                let v1 = g(x1)
                if v0.isFinite, v1.isFinite, (v0 < 0) != (v1 < 0) {
                    var a = x0, b = x1, va = v0
                    for _ in 0..<80 {
                        let m = (a + b) / 2, vm = g(m)
                        if (vm < 0) == (va < 0) { a = m; va = vm } else { b = m }
                    }
                    out.append((a + b) / 2)
                }
                x0 = x1; v0 = v1
            }
        }
        return out
    }

    /// E_q[(h - center)^k] for a per-sample estimator term h(log r, f), with its
    /// finiteness decided first: from the bound |h| <= C (1 + r^growth) |f|, and,
    /// where that bound is infinite but not attained, from the integrand itself.
    func sampleMoment(_ h: @escaping @Sendable (Double, Double) -> Double, center: Double, power k: Int,
                      specification spec: EstimatorSpecification, extraBreakpoints: [Double]) -> Moment {
        func logIntegrand(_ x: Double) -> Double {
            let lq = logQ(x)
            return lq + Double(k) * log(abs(h(logP(x) - lq, self.f.evaluate(at: x)) - center))
        }
        if spec.finitenessFromIntegrand {
            for (c, side) in ends where behavior.logDensityAsymptotic(at: c, from: side) != nil {
                if let verdict = numericalTailTest(point: c, side: side, logIntegrand: logIntegrand) { return verdict }
            }
        }
        let bound = spec.finitenessFromIntegrand ? nil
            : (finiteness(a: Double(spec.ratioGrowth) * Double(k), b: k, region: .behavior)
               ?? finiteness(a: 0, b: k, region: .behavior))
        if case .infinite = bound, !spec.growthIsTight {
            // The bound diverges; the estimator may not (a clip on the side where r is
            // large). Its own integrand decides, at the infinite ends and at every
            // finite critical point, where a pole of f diverges whatever the weight.
            for (c, side) in ends where behavior.logDensityAsymptotic(at: c, from: side) != nil {
                if let verdict = numericalTailTest(point: c, side: side, logIntegrand: logIntegrand) { return verdict }
            }
        } else if let bound {
            return bound
        }
        let f = self.f
        let s = behavior.support
        let points = breakpoints + extraBreakpoints
        var lastError: GSLError?
        for tolerance in [1e-10, 1e-9] {
            do {
                let r = try Quadrature.integrate({ x in
                    let lq = self.logQ(x)
                    if lq < -745 { return 0 }
                    let v = h(self.logP(x) - lq, f.evaluate(at: x)) - center
                    if v == 0 { return 0 }
                    // p = 0 inside q's support makes -log r infinite there.
                    if !v.isFinite { return .nan }
                    let term = exp(lq + Double(k) * log(abs(v)))
                    return (v < 0 && k % 2 == 1) ? -term : term
                }, from: s.lower, to: s.upper, breakpoints: points, relativeTolerance: tolerance)
                return .finite(r.value, error: r.absoluteError)
            } catch {
                lastError = error
            }
        }
        return .undetermined(reason: lastError.map { "\($0)" } ?? "quadrature failed")
    }
}

extension MomentIntegrator {
    /// KL(p || q) = E_p[log r], integrated under p in log space (log p + log |log r|),
    /// so that r itself, which overflows where q is much narrower than p, is never formed.
    /// Infinite when p puts mass where q has none.
    func klTargetToBehavior() -> Moment {
        let s = target.support
        for (c, side) in ends where target.logDensityAsymptotic(at: c, from: side) != nil {
            if behavior.logDensityAsymptotic(at: c, from: side) == nil {
                return .infinite(reason: "p has mass where q has none (\(Self.describe(c, side)))")
            }
            if let verdict = numericalTailTest(point: c, side: side, logIntegrand: { x in
                let lp = self.logP(x)
                return lp + log(abs(lp - self.logQ(x)))
            }) { return verdict }
        }
        do {
            let r = try Quadrature.integrate({ x in
                let lp = self.logP(x)
                if lp < -745 { return 0 }
                let lr = lp - self.logQ(x)
                return lr.isFinite ? exp(lp) * lr : .nan
            }, from: s.lower, to: s.upper, breakpoints: breakpoints, relativeTolerance: 1e-10)
            return .finite(r.value, error: r.absoluteError)
        } catch {
            return .undetermined(reason: "\(error)")
        }
    }
}
