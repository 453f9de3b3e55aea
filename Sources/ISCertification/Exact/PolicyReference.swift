import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ExactReference {
    /// The references of a scenario over discrete policies, exact by enumeration
    /// and forward recursion (``PolicyLaw``); nothing is integrated numerically.
    init(policy pair: PolicyPair, f: Formula, samples n: Int, estimators: [any Estimator]) {
        let law = PolicyLaw(pair: pair, f: f)
        let atoms: PolicyLaw.Atoms?
        let atomsFailure: String?
        switch law.atoms() {
        case let .success(a): (atoms, atomsFailure) = (a, nil)
        case let .failure(e): (atoms, atomsFailure) = (nil, e.reason)
        }
        let chains = pair.target.chain != nil
        let canRecurse = chains && law.recursionCost <= PolicyLaw.maxRecursionCost
        let k = law.tailIndex
        let overflow = Moment.undetermined(reason: "a moment of the sequence weights leaves double range (|value| > 1.8e308)")
        let unavailable = Moment.undetermined(reason: atomsFailure ?? "no exact route")

        // What q can draw and p cannot (KL(q || p) infinite), and the reverse.
        let qOutsideP: Bool, pOutsideQ: Bool
        if let atoms {
            qOutsideP = zip(atoms.logQ, atoms.logP).contains { $0 > -.infinity && $1 == -.infinity }
            pOutsideQ = zip(atoms.logQ, atoms.logP).contains { $0 == -.infinity && $1 > -.infinity }
        } else if let p = pair.target.chain, let q = pair.behavior.chain {
            let V = p.vocabulary
            let rows = Self.previousTokens(p, q)
            qOutsideP = rows.contains { u in (0..<V).contains { q.logStep(u, $0) > -.infinity && p.logStep(u, $0) == -.infinity } }
            pOutsideQ = rows.contains { u in (0..<V).contains { p.logStep(u, $0) > -.infinity && q.logStep(u, $0) == -.infinity } }
        } else {
            qOutsideP = false; pOutsideQ = false
        }

        // Sample-mean moments over the atoms: E_q[h], then E_q[(h - m)^j].
        func atomMoments(_ h: (Double, Double) -> Double, growth: Int, tight: Bool) -> (mean: Moment, central: [Moment])? {
            guard let atoms else { return nil }
            var mean = 0.0
            for i in atoms.logQ.indices where atoms.logQ[i] > -.infinity {
                let lr = atoms.logP[i] - atoms.logQ[i]
                mean += exp(atoms.logQ[i]) * h(lr, atoms.f[i])
            }
            guard mean.isFinite else { return (overflow, Array(repeating: overflow, count: 5)) }
            var c = [Double](repeating: 0, count: 5)
            for i in atoms.logQ.indices where atoms.logQ[i] > -.infinity {
                let d = h(atoms.logP[i] - atoms.logQ[i], atoms.f[i]) - mean
                let w = exp(atoms.logQ[i])
                var power = d * d
                for j in 0..<5 { c[j] += w * power; power *= d }
            }
            // Integer families with a heavy-tailed ratio: the j-th moment of a term
            // that grows like W is infinite once j k >= 1.
            let central = (0..<5).map { j -> Moment in
                let order = Double(j + 2)
                if growth >= 1, k > 0, order * k >= 1 {
                    return tight ? .infinite(reason: "E_q[W^\(j + 2)] is infinite: the ratio's tail index is \(k)")
                        : .undetermined(reason: "the term grows like W, whose \(j + 2)-th moment is infinite (tail index \(k))")
                }
                return c[j].isFinite ? .finite(c[j], error: 0) : overflow
            }
            let m: Moment = growth >= 1 && k >= 1 ? (tight ? .infinite(reason: "E_q[W] diverges") : .undetermined(reason: "tail index >= 1")) : .finite(mean, error: 0)
            return (m, central)
        }
        // Recursion moments: E[X_T], then E[(X_T - m)^j].
        func recursionMoments(_ step: @escaping (Double, Double, Int, Int) -> TokenStep) -> (mean: Moment, central: [Moment])? {
            guard canRecurse else { return nil }
            guard let first = law.recursion(step: step, center: 0, degree: 1) else { return (overflow, Array(repeating: overflow, count: 5)) }
            let mean = PolicyLaw.powers(first, upTo: 1)[1]
            guard let r = law.recursion(step: step, center: mean, degree: PolicyLaw.degree) else {
                return (.finite(mean, error: 0), Array(repeating: overflow, count: 5))
            }
            let p = PolicyLaw.powers(r, upTo: PolicyLaw.degree)
            return (.finite(mean, error: 0), (2...PolicyLaw.degree).map { .finite(p[$0], error: 0) })
        }

        // E_p[f] and ordinary IS's raw moments.
        let isStep = BuiltinEstimator.tokenStep(.importanceSampling)!
        var mean: Moment = unavailable, isMean: Moment = unavailable
        var r: [Moment] = Array(repeating: unavailable, count: 4)
        var y2: Moment = unavailable, y4: Moment = unavailable
        var method = atoms?.method ?? ""
        if canRecurse {
            method = atoms.map { $0.method + "; token-level estimators by forward recursion over T = \(pair.length) steps" }
                ?? "exact forward recursion (transfer matrices) over T = \(pair.length) steps"
            if let pm = law.recursion(step: { _, g, _, _ in TokenStep(e: g) }, center: 0, degree: 1, underTarget: true) {
                mean = .finite(PolicyLaw.powers(pm, upTo: 1)[1], error: 0)
            }
            if let raw = law.recursion(step: isStep, center: 0, degree: 4) {
                let y = PolicyLaw.powers(raw, upTo: 4)
                isMean = .finite(y[1], error: 0); y2 = .finite(y[2], error: 0); y4 = .finite(y[4], error: 0)
                r = (1...4).map { .finite(raw.values[raw.m.index[0][$0]], error: 0) }
            } else {
                isMean = overflow; y2 = overflow; y4 = overflow; r = Array(repeating: overflow, count: 4)
            }
        } else if let atoms {
            var sums = [Double](repeating: 0, count: 8)
            for i in atoms.logQ.indices {
                if atoms.logP[i] > -.infinity { sums[0] += exp(atoms.logP[i]) * atoms.f[i] }
                guard atoms.logQ[i] > -.infinity, atoms.logP[i] > -.infinity else { continue }
                let lr = atoms.logP[i] - atoms.logQ[i], w = exp(atoms.logQ[i])
                let y = exp(lr) * atoms.f[i]
                sums[1] += w * y; sums[2] += w * y * y; sums[3] += w * y * y * y * y
                for j in 1...4 { sums[3 + j] += exp(atoms.logQ[i] + Double(j) * lr) }
            }
            func moment(_ v: Double, order: Double) -> Moment {
                if k > 0, order * k >= 1 { return .infinite(reason: "the ratio's tail index is \(k): E_q[W^\(Int(order))] diverges") }
                return v.isFinite ? .finite(v, error: 0) : overflow
            }
            mean = .finite(sums[0], error: 0)
            isMean = moment(sums[1], order: 1); y2 = moment(sums[2], order: 2); y4 = moment(sums[3], order: 4)
            r = (1...4).map { moment(sums[3 + $0], order: Double($0)) }
        }

        // ESS and self-normalised moments need the atoms.
        var nodes: QuadratureNodes?
        if let atoms { nodes = QuadratureNodes(atoms: atoms.logQ, logRatios: atoms.logR, f: atoms.f) }
        let ess: (mean: Double, sd: Double, error: Double)?
        let essFailure: String?
        if let nodes {
            let e = ExactESS.moments(LaplaceMoments(nodes: nodes, n: n))
            if e.mean.isFinite && e.sd.isFinite && e.error < 1e-4 * Swift.max(e.mean, 1e-300) {
                (ess, essFailure) = (e, nil)
            } else {
                (ess, essFailure) = (nil, "the exact ESS integral did not converge (value \(e.mean), error estimate \(e.error))")
            }
        } else {
            (ess, essFailure) = (nil, "the exact E[ESS/N] needs the joint law of the weights: \(atomsFailure ?? "")")
        }

        // KL divergences.
        let klQP: Moment, klPQ: Moment
        if qOutsideP {
            klQP = .infinite(reason: "q draws tokens that p never emits")
        } else if canRecurse, let k1 = law.recursion(step: { lr, _, _, _ in TokenStep(e: -lr) }, center: 0, degree: 1) {
            klQP = .finite(PolicyLaw.powers(k1, upTo: 1)[1], error: 0)
        } else if let atoms {
            var s = 0.0
            for i in atoms.logQ.indices where atoms.logQ[i] > -.infinity { s -= exp(atoms.logQ[i]) * (atoms.logP[i] - atoms.logQ[i]) }
            klQP = .finite(s, error: 0)
        } else { klQP = unavailable }
        if pOutsideQ {
            klPQ = .infinite(reason: "p emits tokens that q never draws")
        } else if canRecurse, let k = law.recursion(step: { lr, _, _, _ in TokenStep(e: lr) }, center: 0, degree: 1, underTarget: true) {
            klPQ = .finite(PolicyLaw.powers(k, upTo: 1)[1], error: 0)
        } else if let atoms {
            var s = 0.0
            for i in atoms.logQ.indices where atoms.logP[i] > -.infinity { s += exp(atoms.logP[i]) * (atoms.logP[i] - atoms.logQ[i]) }
            klPQ = .finite(s, error: 0)
        } else { klPQ = unavailable }

        // Support: outcomes p reaches and q does not, with the mass of p |f| there.
        var regions: [SupportAnalysis.Region] = []
        if pOutsideQ {
            var mass: Moment = .undetermined(reason: "the mass of p |f| that q cannot reach needs the atoms, or a reward of one sign")
            var lower = Double.infinity, upper = -Double.infinity
            if let atoms {
                var s = 0.0
                for i in atoms.logQ.indices where atoms.logQ[i] == -.infinity && atoms.logP[i] > -.infinity {
                    s += exp(atoms.logP[i]) * abs(atoms.f[i])
                }
                mass = .finite(s, error: 0)
            } else if canRecurse {
                let table = law.rewardTable
                if table.allSatisfy({ $0 >= 0 }) || table.allSatisfy({ $0 <= 0 }),
                   let all = law.recursion(step: { _, g, _, _ in TokenStep(e: abs(g)) }, center: 0, degree: 1, underTarget: true),
                   let covered = law.recursion(step: { _, g, _, _ in TokenStep(e: abs(g)) }, center: 0, degree: 1, underTarget: true, coveredOnly: true) {
                    mass = .finite(Swift.max(PolicyLaw.powers(all, upTo: 1)[1] - PolicyLaw.powers(covered, upTo: 1)[1], 0), error: 0)
                }
            }
            if let p = pair.target.chain, let q = pair.behavior.chain {
                let rows = Self.previousTokens(p, q)
                for v in 0..<p.vocabulary {
                    if rows.contains(where: { p.logStep($0, v) > -.infinity && q.logStep($0, v) == -.infinity }) {
                        lower = Swift.min(lower, Double(v)); upper = Swift.max(upper, Double(v))
                    }
                }
            } else if let atoms {
                // Integer outcomes: the range of values q cannot draw.
                for (i, x) in atoms.values.enumerated() where atoms.logQ[i] == -.infinity && atoms.logP[i] > -.infinity {
                    lower = Swift.min(lower, Double(x)); upper = Swift.max(upper, Double(x))
                }
            }
            regions = [SupportAnalysis.Region(lower: lower, upper: upper, mass: mass)]
        }

        // Each estimator's trial moments.
        let trial = estimators.map { estimator -> TrialMoments in
            let spec = estimator.specification
            if chains, let step = spec.tokenStep, let m = recursionMoments(step) {
                return .sampleMean(mean: m.mean, central: m.central, samples: n,
                                   method: "exact forward recursion of the per-sequence term over T = \(pair.length) steps")
            }
            if chains, pair.length > 1, spec.tokenStep != nil, atoms == nil || (estimator as? BuiltinEstimator)?.spec.isTokenLevel == true {
                let u = Moment.undetermined(reason: "the forward recursion costs V^2 T = \(law.recursionCost), more than \(PolicyLaw.maxRecursionCost)")
                return TrialMoments(mean: u, variance: u, central3: u, central4: u, central6: u, method: "none")
            }
            switch spec.form {
            case let .sampleMean(h):
                if let m = atomMoments(h, growth: spec.ratioGrowth, tight: spec.growthIsTight) {
                    return .sampleMean(mean: m.mean, central: m.central, samples: n, method: atoms?.method ?? "")
                }
            case let .ratio(u, v):
                if let nodes {
                    let center = mean.value ?? 0
                    let logAbsU = zip(nodes.logR, nodes.f).map { lr, f -> Double in let x = u(lr, f, center); return x == 0 ? -.infinity : log(abs(x)) }
                    let signU = zip(nodes.logR, nodes.f).map { lr, f -> Double in u(lr, f, center) < 0 ? -1 : 1 }
                    let logV = nodes.logR.map { log(v($0)) }
                    let e = LaplaceMoments(nodes: nodes, n: n).expectations(logAbsU: logAbsU, signU: signU, logV: logV,
                                                                            orders: (1...6).map { (m: $0, n: $0) })
                    let d = e.map { Moment.finite($0.value, error: $0.error) }
                    return .fromShiftedRaw(d, center: center, method: "exact Laplace-transform identity over the atoms")
                }
            case let .none(reason):
                let m = Moment.undetermined(reason: reason)
                return TrialMoments(mean: m, variance: m, central3: m, central4: m, central6: m, method: "none")
            }
            let m = Moment.undetermined(reason: atomsFailure ?? "no exact route for this estimator")
            return TrialMoments(mean: m, variance: m, central3: m, central4: m, central6: m, method: "none")
        }

        self.init(mean: mean, isMean: isMean, r: r, y2: y2, y4: y4, ess: ess, essFailure: essFailure, method: method,
                  samples: n, estimators: trial, klBehaviorToTarget: klQP, klTargetToBehavior: klPQ,
                  tailIndex: .finite(k, error: 0), support: SupportAnalysis(regions: regions))
    }

    /// The previous tokens a step's probabilities can depend on: -1 (the first
    /// step) alone for independent steps, else also every token.
    static func previousTokens(_ p: TokenChain, _ q: TokenChain) -> [Int] {
        [-1] + (p.independent && q.independent ? [] : Array(0..<p.vocabulary))
    }
}
