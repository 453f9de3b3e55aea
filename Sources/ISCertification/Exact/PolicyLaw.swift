import ISProbability
import ISScenario

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The exact law of a policy scenario's samples, by two routes:
///
/// - **atoms**: every outcome with its probabilities under p and q and its reward:
///   all V^T sequences when there are at most ``maxEnumerated``; for independent
///   steps, the (counts of the first T - 1 tokens, last token) classes, on which
///   W and f depend alone, when there are at most ``maxAtoms``; for the integer
///   families, the support up to where every tilted moment's tail is negligible.
///   Any estimator whose per-sample term is a function of (W, f), and the exact
///   ESS and self-normalised moments (Laplace transforms over the atoms), follow.
/// - **forward recursion** (transfer matrices): for estimators built token by token
///   (``TokenStep``), the moments E[(X_T - c)^i W_T^j], i + j <= 6, propagate
///   through T steps exactly, at cost V^2 T for any T.
struct PolicyLaw {
    let pair: PolicyPair
    let f: Formula

    /// At most this many sequences are enumerated one by one.
    static let maxEnumerated = 1_000_000
    /// At most this many atoms (classes of sequences, or integer outcomes).
    static let maxAtoms = 2_000_000
    /// The highest moment order the checks use.
    static let degree = 6

    var target: Policy { pair.target }
    var behavior: Policy { pair.behavior }

    /// The reward token `v` contributes at position t of T.
    @inline(__always) func reward(_ table: [Double], _ t: Int, _ v: Int, _ T: Int) -> Double {
        pair.scored == .all || t == T - 1 ? table[v] : 0
    }

    /// f at each token of a chain.
    var rewardTable: [Double] {
        (0..<(target.chain?.vocabulary ?? 0)).map { f.evaluate(at: Double($0)) }
    }

    // MARK: Atoms

    struct Atoms {
        var logQ: [Double] = []
        var logP: [Double] = []
        var f: [Double] = []
        /// For the integer families: the value x of each atom.
        var values: [Int] = []
        /// How they were obtained.
        var method: String
        var logR: [Double] { zip(logP, logQ).map { p, q in q == -.infinity ? .nan : p - q } }
    }

    /// The atoms, or why there are none.
    /// - Parameter enumerationLimit: enumerate sequences one by one up to this many
    ///   (tests lower it to exercise the count classes).
    func atoms(enumerationLimit: Int = maxEnumerated) -> Result<Atoms, AtomsUnavailable> {
        if let p = target.chain, let q = behavior.chain { return chainAtoms(p, q, enumerationLimit: enumerationLimit) }
        return integerAtoms()
    }

    struct AtomsUnavailable: Error { let reason: String }

    /// Steps `tokens` to the next of the V^T sequences in lexicographic order (an
    /// odometer, last token fastest); false after the last, with `tokens` all 0.
    static func nextSequence(_ tokens: inout [Int], vocabulary V: Int) -> Bool {
        var i = tokens.count - 1
        while i >= 0 {
            tokens[i] += 1
            if tokens[i] < V { return true }
            tokens[i] = 0
            i -= 1
        }
        return false
    }

    private func chainAtoms(_ p: TokenChain, _ q: TokenChain, enumerationLimit: Int) -> Result<Atoms, AtomsUnavailable> {
        let V = p.vocabulary, T = p.length
        let table = rewardTable
        let sequences = pow(Double(V), Double(T))
        if sequences <= Double(enumerationLimit) {
            var atoms = Atoms(method: "exact enumeration of all \(Int(sequences)) sequences")
            atoms.logQ.reserveCapacity(Int(sequences))
            var tokens = [Int](repeating: 0, count: T)
            // Odometer over V^T sequences; sums recomputed per sequence (T <= 20 here).
            while true {
                var lq = 0.0, lp = 0.0, reward = 0.0
                var previous = -1
                for t in 0..<T {
                    let v = tokens[t]
                    lq += q.logStep(previous, v)
                    lp += p.logStep(previous, v)
                    reward += self.reward(table, t, v, T)
                    previous = v
                }
                atoms.logQ.append(lq); atoms.logP.append(lp); atoms.f.append(reward)
                if !Self.nextSequence(&tokens, vocabulary: V) { break }
            }
            return .success(atoms)
        }
        guard p.independent, q.independent else {
            return .failure(.init(reason: "the joint law of (W, f) needs all V^T = \(V)^\(T) sequences of a Markov model, more than the \(Self.maxEnumerated) iscert enumerates"))
        }
        // Classes: the token counts n, on which W and a reward summed over all tokens
        // depend alone; when only the last token is scored, the counts of the first
        // T - 1 tokens and the last token.
        let last = pair.scored == .last
        let head = last ? T - 1 : T
        let classes = exp(logGamma(Double(head + V)) - logGamma(Double(head + 1)) - logGamma(Double(V))) * Double(last ? V : 1)
        guard classes <= Double(Self.maxAtoms) else {
            return .failure(.init(reason: "the joint law of (W, f) over \(V)^\(T) independent-token sequences has \(Int(classes)) classes, more than the \(Self.maxAtoms) iscert enumerates"))
        }
        var atoms = Atoms(method: "exact enumeration of the \(Int(classes.rounded())) token-count classes\(last ? " (with the last token)" : "") of \(V)^\(T) independent-token sequences")
        var counts = [Int](repeating: 0, count: V)
        let logFactorialHead = logGamma(Double(head) + 1)
        func visit(_ index: Int, _ remaining: Int) {
            if index == V - 1 {
                counts[index] = remaining
                var lq = logFactorialHead, lp = logFactorialHead, sum = 0.0
                for u in 0..<V where counts[u] > 0 {
                    let n = Double(counts[u])
                    lq += n * q.logInitial[u] - logGamma(n + 1)
                    lp += n * p.logInitial[u] - logGamma(n + 1)
                    sum += n * table[u]
                }
                guard last else {
                    atoms.logQ.append(lq); atoms.logP.append(lp); atoms.f.append(sum)
                    return
                }
                for v in 0..<V {
                    atoms.logQ.append(lq + q.logInitial[v])
                    atoms.logP.append(lp + p.logInitial[v])
                    atoms.f.append(table[v])
                }
                return
            }
            for n in 0...remaining {
                counts[index] = n
                visit(index + 1, remaining - n)
            }
        }
        visit(0, head)
        // -inf log-probabilities times zero counts are skipped above; a class that
        // uses a token of probability 0 has log-probability -inf, as it should.
        return .success(atoms)
    }

    private func integerAtoms() -> Result<Atoms, AtomsUnavailable> {
        let p = target, q = behavior
        let lower = Swift.min(p.supportBounds.lower, q.supportBounds.lower)
        var upper = Swift.max(p.supportBounds.upper ?? 0, q.supportBounds.upper ?? 0)
        if p.supportBounds.upper == nil || q.supportBounds.upper == nil {
            upper = Swift.max(upper, tailCut())
        }
        guard upper - lower < Self.maxAtoms else {
            return .failure(.init(reason: "the support up to where the moments' tails are negligible has \(upper - lower + 1) values, more than the \(Self.maxAtoms) iscert sums"))
        }
        var atoms = Atoms(method: "exact sums over the support \(lower) ... \(upper)\(p.supportBounds.upper == nil || q.supportBounds.upper == nil ? " (the tails beyond hold less than 1e-25 of every finite moment)" : "")")
        for x in lower...upper {
            let lp = p.logMass(x), lq = q.logMass(x)
            if lp == -.infinity && lq == -.infinity { continue }
            atoms.logP.append(lp); atoms.logQ.append(lq); atoms.f.append(f.evaluate(at: Double(x))); atoms.values.append(x)
        }
        return .success(atoms)
    }

    /// Where the integer families' tails stop mattering: beyond the tilted laws
    /// p^k / q^(k-1), k = 1 ... 6 (the weights' moments), by 25 decades.
    private func tailCut() -> Int {
        var cut = 0.0
        for policy in [target, behavior] {
            switch policy.spec {
            case let .poisson(m): cut = Swift.max(cut, m + 15 * m.squareRoot() + 60)
            case let .geometric(p): cut = Swift.max(cut, 60 / -log10(1 - p) + 1)
            default: break
            }
        }
        switch (target.spec, behavior.spec) {
        case let (.poisson(lp), .poisson(lq)):
            for k in 1...Self.degree {
                let tilted = exp(Double(k) * log(lp) - Double(k - 1) * log(lq))
                cut = Swift.max(cut, tilted + 15 * tilted.squareRoot() + 60)
            }
        case let (.geometric(pp), .geometric(pq)):
            for k in 1...Self.degree {
                let logRho = Double(k) * log1p(-pp) - Double(k - 1) * log1p(-pq)
                if logRho < 0 { cut = Swift.max(cut, 60 * log(10) / -logRho + 1) }
            }
        default: break
        }
        return Int(Swift.min(cut, 1e9))
    }

    /// The exact tail index of W under q: 0 except for a geometric target that
    /// decays more slowly than its geometric behaviour, where W grows like
    /// ((1 - p_p) / (1 - p_q))^x and P_q(W > t) ~ t^(-1/k), k = 1 - log(1 - p_p) / log(1 - p_q).
    var tailIndex: Double {
        if case let .geometric(pp) = target.spec, case let .geometric(pq) = behavior.spec, pp < pq {
            return 1 - log1p(-pp) / log1p(-pq)
        }
        return 0
    }

    // MARK: Forward recursion

    /// The monomials (i, j), i + j <= k: index of E[Y^i W^j].
    struct Monomials {
        /// A source monomial (alpha, beta + j) with the multinomial coefficient of
        /// a^alpha b^beta e^gamma, alpha + beta + gamma = i.
        struct Term {
            let source: Int, alpha: Int, beta: Int, gamma: Int, j: Int
            let coefficient: Double
        }
        let degree: Int
        let index: [[Int]]
        let count: Int
        /// The terms of target (i, j) = n are terms[first[n] ..< first[n + 1]], in one
        /// flat array so that the recursion reads them through a pointer.
        let terms: [Term]
        let first: [Int]

        init(degree k: Int) {
            degree = k
            var index = [[Int]](repeating: [Int](repeating: -1, count: k + 1), count: k + 1)
            var n = 0
            for i in 0...k { for j in 0...(k - i) { index[i][j] = n; n += 1 } }
            self.index = index
            count = n
            var lists = [[Term]](repeating: [], count: n)
            for i in 0...k {
                for j in 0...(k - i) {
                    for alpha in 0...i {
                        for beta in 0...(i - alpha) {
                            let gamma = i - alpha - beta
                            let c = exp(logGamma(Double(i + 1)) - logGamma(Double(alpha + 1)) - logGamma(Double(beta + 1)) - logGamma(Double(gamma + 1))).rounded()
                            lists[index[i][j]].append(Term(source: index[alpha][beta + j], alpha: alpha, beta: beta, gamma: gamma, j: j, coefficient: c))
                        }
                    }
                }
            }
            terms = Array(lists.joined())
            first = lists.reduce(into: [0]) { $0.append($0.last! + $1.count) }
        }
    }

    /// Whether a recursion over these chains is affordable.
    var recursionCost: Double {
        guard let q = behavior.chain else { return .infinity }
        return Double(q.vocabulary * q.vocabulary) * Double(q.length)
    }
    static let maxRecursionCost = 5e7

    /// E[Y^i W^j], i + j <= `degree`, with Y = X_T - c for the recursion `step`,
    /// under p (`underTarget`) or q; steps from the other policy's tokens are
    /// weighted by `weightFilter` (1 by default). Nil when a value left double range.
    func recursion(step: (Double, Double, Int, Int) -> TokenStep, center c: Double, degree k: Int,
                   underTarget: Bool = false, coveredOnly: Bool = false) -> (m: Monomials, values: [Double])? {
        guard let p = target.chain, let q = behavior.chain else { return nil }
        let law = underTarget ? p : q
        let V = q.vocabulary, T = q.length
        let table = rewardTable
        let mono = Monomials(degree: k)
        // Sources: one state before the first token (and for independent steps,
        // always one state: the next step does not depend on the previous token).
        // Y_0 = -c, W_0 = 1: E[Y^i W^j] = (-c)^i.
        let M = mono.count
        var initial = [Double](repeating: 0, count: M)
        for i in 0...k { for j in 0...(k - i) { initial[mono.index[i][j]] = pow(-c, Double(i)) } }
        // The moments of each source state, M per state, state s at s * M.
        var sources = initial
        var sourceTokens: [Int] = [-1]
        let independent = law.independent && p.independent && q.independent
        var aPow = [Double](repeating: 1, count: k + 1), bPow = aPow, ePow = aPow, rhoPow = aPow
        for t in 0..<T {
            var next = [Double](repeating: 0, count: V * M)
            for (s, u) in sourceTokens.enumerated() {
                for v in 0..<V {
                    let lw = law.logStep(u, v)
                    if lw == -.infinity { continue }
                    let lq = q.logStep(u, v)
                    if coveredOnly && lq == -.infinity { continue }
                    let lr = lq == -.infinity ? Double.infinity : p.logStep(u, v) - lq
                    let st = step(lr, reward(table, t, v, T), t, T)
                    let e = st.e + (st.a - 1) * c
                    for n in 1...Swift.max(k, 1) where n <= k {
                        aPow[n] = aPow[n - 1] * st.a
                        bPow[n] = bPow[n - 1] * st.b
                        ePow[n] = ePow[n - 1] * e
                        rhoPow[n] = rhoPow[n - 1] * st.rho
                    }
                    let w = exp(lw)
                    // Raw pointers and while loops: this runs for every term of every
                    // monomial at every step, and array subscripts and iterators (of
                    // tuples, generic) are calls in -Onone builds.
                    mono.terms.withUnsafeBufferPointer { terms in
                    mono.first.withUnsafeBufferPointer { first in
                    sources.withUnsafeBufferPointer { sources in
                    next.withUnsafeMutableBufferPointer { next in
                    aPow.withUnsafeBufferPointer { aPow in
                    bPow.withUnsafeBufferPointer { bPow in
                    ePow.withUnsafeBufferPointer { ePow in
                    rhoPow.withUnsafeBufferPointer { rhoPow in
                        let terms = terms.baseAddress!, first = first.baseAddress!
                        let from = sources.baseAddress! + s * M, to = next.baseAddress! + v * M
                        let aPow = aPow.baseAddress!, bPow = bPow.baseAddress!, ePow = ePow.baseAddress!, rhoPow = rhoPow.baseAddress!
                        var target = 0
                        while target < M {
                            var sum = 0.0
                            var i = first[target]
                            let end = first[target + 1]
                            while i < end {
                                let term = terms[i]
                                i += 1
                                let x = from[term.source]
                                if x == 0 { continue }
                                sum += term.coefficient * aPow[term.alpha] * bPow[term.beta] * ePow[term.gamma] * rhoPow[term.j] * x
                            }
                            to[target] += w * sum
                            target += 1
                        }
                    }}}}}}}}
                }
            }
            if independent {
                var merged = [Double](repeating: 0, count: M)
                for row in 0..<V { for n in 0..<M { merged[n] += next[row * M + n] } }
                sources = merged
                sourceTokens = [-1]
            } else {
                sources = next
                sourceTokens = Array(0..<V)
            }
        }
        var total = [Double](repeating: 0, count: M)
        for row in sourceTokens.indices { for n in 0..<M { total[n] += sources[row * M + n] } }
        guard total.allSatisfy(\.isFinite) else { return nil }
        return (mono, total)
    }

    /// E[Y^i], i = 0 ... k, from a recursion's result.
    static func powers(_ r: (m: Monomials, values: [Double]), upTo k: Int) -> [Double] {
        (0...k).map { r.values[r.m.index[$0][0]] }
    }
}

/// log Gamma(x), thread-safe (lgamma writes the global signgam).
@inline(__always) func logGamma(_ x: Double) -> Double {
    var sign: Int32 = 0
    return lgamma_r(x, &sign)
}
