import Foundation
import ISProbability
import ISScenario
import Testing
@testable import ISCertification

/// Policy scenarios: the exact engine against brute force, the numbers that break
/// real code, and planted bugs of token-sequence estimators.
@Suite struct PolicyTests {
    static let markovText = """
        name        = "markov-test"
        description = "three tokens, six steps"
        target      = markov(initial: [0, 0.5, -0.5], transition: [[1, 0, -1], [0, 0.5, 0], [-0.5, 0, 1]], length: 6)
        behavior    = perturbed(noise: 0.4, seed: 3)
        f(x)        = (x == 2) - 0.5 * (x == 0)
        samples     = 50
        trials      = 4000
        """

    static func scenario(_ text: String) throws -> Scenario { try ScenarioParser.parse(text, file: "test.iscert") }

    /// Every sequence of a small model with its probabilities under p and q, and
    /// the whole trial's draws for one sequence (N = 1), in the layout the runner uses.
    static func enumerate(_ pair: PolicyPair, f: Formula, _ body: (_ q: Double, _ p: Double, _ tokenLR: [Double], _ rewards: [Double]) -> Void) {
        let p = pair.target.chain!, q = pair.behavior.chain!
        let V = p.vocabulary, T = p.length
        var y = [Int](repeating: 0, count: T)
        while true {
            var lq = 0.0, lp = 0.0, lr: [Double] = [], g: [Double] = []
            for t in 0..<T {
                let u = t == 0 ? -1 : y[t - 1]
                lq += q.logStep(u, y[t]); lp += p.logStep(u, y[t])
                lr.append(p.logStep(u, y[t]) - q.logStep(u, y[t]))
                g.append(pair.scored == .all || t == T - 1 ? f.evaluate(at: Double(y[t])) : 0)
            }
            body(exp(lq), exp(lp), lr, g)
            var i = T - 1
            while i >= 0 { y[i] += 1; if y[i] < V { break }; y[i] = 0; i -= 1 }
            if i < 0 { return }
        }
    }

    /// One sequence's estimate by the reference implementation (N = 1).
    static func estimate(_ spec: EstimatorSpec, _ lr: [Double], _ g: [Double]) -> Double {
        let logW = [lr.reduce(0, +)], w = [exp(lr.reduce(0, +))], f = [g.reduce(0, +)]
        return logW.withUnsafeBufferPointer { a in w.withUnsafeBufferPointer { b in f.withUnsafeBufferPointer { c in
            lr.withUnsafeBufferPointer { d in g.withUnsafeBufferPointer { e in
                BuiltinEstimator(spec).estimate(TrialDraws(logRatios: a, ratios: b, values: c,
                                                           tokens: TokenDraws(length: lr.count, logRatios: d, rewards: e)))
            } }
        } } }
    }

    static let sequenceEstimators: [EstimatorSpec] = [
        .importanceSampling, .perDecision, .perToken, .geometricMean, .tokenTruncated(cap: 1.3),
        .tokenMasked(low: 0.8, high: 1.25), .klK1, .klK3, .truncated(cap: 2), .masked(low: 0.5, high: 2), .klK2,
    ]

    /// The forward recursion (and the atoms, for sequence-level estimators) give the
    /// same mean and central moments as brute force over all 3^6 sequences with the
    /// reference implementation: the specification and the implementation agree.
    @Test(arguments: [PolicyPair.Scored.all, .last])
    func exactMomentsMatchBruteForce(scored: PolicyPair.Scored) throws {
        var s = try Self.scenario(Self.markovText)
        s.policy!.scored = scored
        let estimators = Self.sequenceEstimators.map(BuiltinEstimator.init)
        let reference = ExactReference(policy: s.policy!, f: s.f, samples: 1, estimators: estimators)
        for (i, spec) in Self.sequenceEstimators.enumerated() {
            var terms: [(q: Double, h: Double)] = []
            Self.enumerate(s.policy!, f: s.f) { q, _, lr, g in terms.append((q, Self.estimate(spec, lr, g))) }
            let mean = terms.reduce(0) { $0 + $1.q * $1.h }
            let c2 = terms.reduce(0) { $0 + $1.q * pow($1.h - mean, 2) }
            let c4 = terms.reduce(0) { $0 + $1.q * pow($1.h - mean, 4) }
            let t = reference.estimators[i]
            #expect(Fixture.relativeError(try #require(t.mean.value), mean) < 1e-10, "\(spec) mean \(t.mean) vs \(mean)")
            #expect(Fixture.relativeError(try #require(t.variance.value), c2) < 1e-9, "\(spec) variance \(t.variance) vs \(c2)")
            #expect(Fixture.relativeError(try #require(t.central4.value), c4) < 1e-8, "\(spec) c4 \(t.central4) vs \(c4)")
        }
        // E_p[f] and E_q[W^2] by brute force.
        var ep = 0.0, w2 = 0.0
        Self.enumerate(s.policy!, f: s.f) { q, p, lr, g in ep += p * g.reduce(0, +); w2 += q * exp(2 * lr.reduce(0, +)) }
        #expect(Fixture.relativeError(try #require(reference.mean.value), ep) < 1e-12)
        #expect(Fixture.relativeError(try #require(reference.r2.value), w2) < 1e-12)
    }

    /// Independent steps: E_q[W^2] = (E_q[r_t^2])^T exactly, at T = 64 by recursion,
    /// and the count classes give the same ESS and self-normalised moments as
    /// enumerating every sequence.
    @Test func independentStepsFollowTheProductRule() throws {
        let text = """
            name        = "tokens-test"
            description = "independent tokens"
            target      = tokens(logits: [0.25, 0, -0.2], length: 64)
            behavior    = tokens(logits: [0, 0, 0], length: 64)
            f(x)        = (x == 0)
            samples     = 100
            """
        let s = try Self.scenario(text)
        let p = s.policy!.target.chain!.logInitial.map(exp), q = s.policy!.behavior.chain!.logInitial.map(exp)
        let perStep = zip(p, q).reduce(0) { $0 + $1.0 * $1.0 / $1.1 }
        let reference = ExactReference(policy: s.policy!, f: s.f, samples: 100, estimators: [BuiltinEstimator(.importanceSampling)])
        #expect(Fixture.relativeError(try #require(reference.r2.value), pow(perStep, 64)) < 1e-12)
        #expect(Fixture.relativeError(try #require(reference.mean.value), 64 * p[0]) < 1e-12)

        // Count classes against one-by-one enumeration at T = 7 (2187 sequences).
        var small = s
        small.policy = PolicyPair(target: try Policy.make(family: "tokens", arguments: [("logits", .list([0.25, 0, -0.2])), ("length", .number(7))]),
                                  behavior: try Policy.make(family: "tokens", arguments: [("logits", .list([0, 0, 0])), ("length", .number(7))]))
        for scored in PolicyPair.Scored.allCases {
            small.policy!.scored = scored
            let law = PolicyLaw(pair: small.policy!, f: small.f)
            let classes = try law.atoms(enumerationLimit: 0).get(), all = try law.atoms().get()
            #expect(classes.logQ.count < all.logQ.count)
            for (a, b) in [(classes, all)] {
                let na = QuadratureNodes(atoms: a.logQ, logRatios: a.logR, f: a.f), nb = QuadratureNodes(atoms: b.logQ, logRatios: b.logR, f: b.f)
                let ea = ExactESS.moments(LaplaceMoments(nodes: na, n: 20)), eb = ExactESS.moments(LaplaceMoments(nodes: nb, n: 20))
                #expect(abs(ea.mean - eb.mean) < 1e-9 && abs(ea.sd - eb.sd) < 1e-9, "\(scored): \(ea) vs \(eb)")
                #expect(abs(na.mass - 1) < 1e-12 && abs(nb.mass - 1) < 1e-12)
            }
        }
    }

    /// The numbers of shared/statistics.md: 0.012 per token over 100 tokens is a
    /// sequence ratio exp(1.2) = 3.32, over a cap of 3 (sequence-level truncation
    /// caps it, token-level truncation does not); (1.2)^100 and (0.8)^100 in log
    /// space; exp(1000) under a mask stays finite; a weight beyond double range is
    /// +inf, never NaN.
    @Test func numbersThatBreakRealCode() {
        let lr = [Double](repeating: 0.012, count: 100), g = [0.0] + [Double](repeating: 0, count: 98) + [1.0]
        #expect(abs(exp(lr.reduce(0, +)) - 3.3201) < 1e-4)
        #expect(Self.estimate(.truncated(cap: 3), lr, g) == 3)
        #expect(abs(Self.estimate(.tokenTruncated(cap: 3), lr, g) - exp(0.012)) < 1e-12)
        #expect(abs(Self.estimate(.importanceSampling, lr, g) - exp(1.2)) < 1e-12)
        let up = [Double](repeating: log(1.2), count: 100), down = [Double](repeating: log(0.8), count: 100)
        #expect(Fixture.relativeError(Self.estimate(.importanceSampling, up, g), 8.2817974e7) < 1e-7)
        #expect(Fixture.relativeError(Self.estimate(.importanceSampling, down, g), 2.0370359763e-10) < 1e-8)
        // T = 1000 tokens with ratios up to 1.2: no overflow, no NaN.
        let long = (0..<1000).map { log(1 + 0.2 * Double($0 % 2)) }, ones = [Double](repeating: 1, count: 1000)
        for spec in Self.sequenceEstimators + [.selfNormalized] {
            let v = Self.estimate(spec, long, ones)
            #expect(v.isFinite, "\(spec) gave \(v)")
        }
        // exp(1000) per sequence: IS is +inf (and the runner counts it), a sequence mask
        // drops it, a token mask keeps each token's own e.
        let huge = [Double](repeating: 1, count: 1000)
        #expect(Self.estimate(.importanceSampling, huge, ones) == .infinity)
        #expect(Self.estimate(.masked(low: 0.5, high: 5), huge, ones) == 0)
        #expect(Fixture.relativeError(Self.estimate(.tokenMasked(low: 0.5, high: 5), huge, ones), 1000 * exp(1)) < 1e-12)
        #expect(!Self.estimate(.perDecision, huge, ones).isNaN)
    }

    /// A run whose weights leave double range says so in the report. Under q the
    /// log-weight drifts down (E_q[log W] = -KL(q || p) T), so the planted bug of
    /// drawing from p is what pushes it up: log W ~ KL(p || q) T = 1.84 * 400 > 709.
    @Test func weightsBeyondDoubleRangeAreReported() throws {
        let text = """
            name        = "overflow"
            description = "weights beyond double range"
            target      = tokens(logits: [0, 0], length: 400)
            behavior    = tokens(logits: [-6, 0], length: 400)
            f(x)        = x
            samples     = 10
            trials      = 64
            """
        let s = try Self.scenario(text)
        let report = try Certifier(simulator: Simulator(jobs: 2)).certify(s, thresholds: Thresholds(checks: 4), drawFrom: .target)
        #expect(report.statistics.nonFiniteTrials > 0)
        #expect(report.checks.contains { $0.reason.contains("non-finite weights") || $0.reason.contains("double range") },
                "\(report.checks.map(\.reason))")
        #expect(!report.met)
    }

    // MARK: Planted bugs (issue: product -> sum, sign flip, pi_theta / pi_theta, mask on the wrong axis)

    static let bugs: [(name: String, spec: EstimatorSpec, implementation: @Sendable (TrialDraws) -> Double)] = [
        ("product of ratios replaced by their sum", .importanceSampling, { d in
            let t = d.tokens!
            var sum = 0.0
            for i in 0..<d.count {
                var w = 0.0
                for s in 0..<t.length { w += exp(t.logRatios[i * t.length + s]) }
                sum += w * d.values[i]
            }
            return sum / Double(d.count)
        }),
        ("log-ratio sign flipped (p and q swapped)", .importanceSampling, { d in
            (0..<d.count).reduce(0.0) { $0 + exp(-d.logRatios[$1]) * d.values[$1] } / Double(d.count)
        }),
        ("ratio of the current policy to itself (pi_theta for pi_old)", .importanceSampling, { d in
            (0..<d.count).reduce(0.0) { $0 + d.values[$1] } / Double(d.count)
        }),
        ("token mask broadcast over the wrong axis (sequence 0's mask for every sequence)", .tokenMasked(low: 0.8, high: 1.25), { d in
            let t = d.tokens!
            let lo = log(0.8), hi = log(1.25)
            var sum = 0.0
            for i in 0..<d.count {
                for s in 0..<t.length {
                    let keep = t.logRatios[s] >= lo && t.logRatios[s] <= hi
                    if keep { sum += exp(t.logRatios[i * t.length + s]) * t.rewards[i * t.length + s] }
                }
            }
            return sum / Double(d.count)
        }),
    ]

    /// Each bug is caught by the mean check on the small Markov scenario, whose
    /// correct estimators pass with the same seed.
    @Test(arguments: 0..<4)
    func sequenceBugIsCaught(index: Int) throws {
        let bug = Self.bugs[index]
        let s = try Self.scenario(Self.markovText)
        let certifier = Certifier(simulator: Simulator(jobs: 2))
        let thresholds = Thresholds(checks: 4)
        let planted = PlantedEstimator(name: "bug", spec: bug.spec, implementation: bug.implementation)
        let report = try certifier.certify(s, estimators: [planted], thresholds: thresholds)
        #expect(report.check(.mean)?.status == .fail, "\(bug.name): \(report.check(.mean)!)")
        let correct = try certifier.certify(s, estimators: [BuiltinEstimator(bug.spec)], thresholds: thresholds)
        #expect(correct.check(.mean)?.status == .pass, "\(bug.name), correct: \(correct.check(.mean)!)")
    }

    /// Integer families against closed forms: Poisson E_q[r^2] = exp((lp - lq)^2 / lq);
    /// a geometric target with a slower decay than its behaviour has tail index
    /// 1 - log(1 - pp) / log(1 - pq), and infinite variance once that is >= 1/2.
    @Test func integerFamiliesMatchClosedForms() throws {
        let pois = PolicyPair(target: try Policy.make(family: "poisson", arguments: [("mean", .number(4))]),
                              behavior: try Policy.make(family: "poisson", arguments: [("mean", .number(3))]))
        let rp = ExactReference(policy: pois, f: .variable, samples: 10, estimators: [BuiltinEstimator(.importanceSampling)])
        #expect(Fixture.relativeError(try #require(rp.r2.value), exp(1.0 / 3)) < 1e-12)
        #expect(Fixture.relativeError(try #require(rp.mean.value), 4) < 1e-12)
        #expect(Fixture.relativeError(try #require(rp.isMean.value), 4) < 1e-12)
        let geo = PolicyPair(target: try Policy.make(family: "geometric", arguments: [("p", .number(0.2))]),
                             behavior: try Policy.make(family: "geometric", arguments: [("p", .number(0.5))]))
        let rg = ExactReference(policy: geo, f: .number(1), samples: 10, estimators: [BuiltinEstimator(.importanceSampling)])
        let k = 1 - log(0.8) / log(0.5)
        #expect(abs(try #require(rg.tailIndex.value) - k) < 1e-15)
        #expect(rg.r2.isInfinite, "E_q[r^2] = sum 0.2^2 0.8^(2x-2) / (0.5 0.5^(x-1)): ratio 1.28 > 1")
        #expect(rg.estimators[0].variance.isInfinite)
    }
}
