import Foundation
import ISProbability
import Testing
@testable import ISScenario

/// Policy scenarios in the file language: what parses, what reads back, and the
/// errors at their exact places.
@Suite("Parser: discrete policies and token sequences") struct PolicyParserTests {
    static func file(target: String, behavior: String, f: String = "(x == 1)", extra: String = "") -> String {
        """
        name = "p"
        description = "d"
        target = \(target)
        behavior = \(behavior)
        f(x) = \(f)
        samples = 10
        \(extra)
        """
    }

    @Test func markovWithPerturbedBehaviourParses() throws {
        let s = try ScenarioParser.parse(Self.file(
            target: "markov(initial: [0, 1], transition: [[0, 1], [1, 0]], length: 5, temperature: 2)",
            behavior: "perturbed(noise: 0.5, seed: 9)", extra: "scored = last\nestimators = is, per_decision, token_masked(low: 0.5, high: 2)"),
            file: "p.iscert")
        let pair = try #require(s.policy)
        #expect(pair.length == 5 && pair.scored == .last)
        #expect(pair.behavior.perturbation == Policy.Perturbation(noise: 0.5, seed: 9, temperature: 1))
        #expect(s.estimators == [.importanceSampling, .perDecision, .tokenMasked(low: 0.5, high: 2)])
        // Temperature divides the logits: P(y1 = 1) = e^0.5 / (1 + e^0.5).
        let p1 = exp(pair.target.chain!.logInitial[1])
        #expect(abs(p1 - exp(0.5) / (1 + exp(0.5))) < 1e-15)
        // The perturbation is deterministic in its seed and differs from the target.
        let again = try ScenarioParser.parse(Self.file(
            target: "markov(initial: [0, 1], transition: [[0, 1], [1, 0]], length: 5, temperature: 2)",
            behavior: "perturbed(noise: 0.5, seed: 9)"), file: "p.iscert")
        #expect(again.policy!.behavior.chain == pair.behavior.chain)
        #expect(pair.behavior.chain != pair.target.chain)
    }

    /// Canonical text reads back to an equal scenario, sweeps over list entries and T included.
    @Test(arguments: [
        ("softmax(logits: [0, gap, 2 * gap])", "softmax(logits: [0, 0, 0])", "sweep = gap in [0.5, 1]"),
        ("tokens(logits: [0.25, 0, -0.2], length: T)", "tokens(logits: [0, 0, 0], length: T)", "sweep = T in [4, 8]"),
        ("categorical(probabilities: [0.2, 0.3, 0.5])", "perturbed(temperature: 1.5)", ""),
        ("poisson(mean: 4)", "poisson(mean: 3)", ""),
        ("binomial(n: 10, p: 0.3)", "binomial(n: 12, p: 0.25)", ""),
    ])
    func canonicalTextReadsBack(target: String, behavior: String, sweep: String) throws {
        let s = try ScenarioParser.parse(Self.file(target: target, behavior: behavior, extra: sweep), file: "p.iscert")
        let back = try ScenarioParser.parse(s.canonicalText, file: "p.iscert")
        #expect(back == s, "\(s.canonicalText)")
        #expect(back.points == s.points)
    }

    @Test(arguments: [
        // (target, behavior, f, extra, line, column, fragment)
        ("softmax(logits: [0, 1])", "normal(mean: 0, sd: 1)", "x", "", 4, 1, "target is a discrete policy but behavior is a continuous distribution"),
        ("poisson(mean: 2)", "perturbed(noise: 1)", "x", "", 4, 12, "perturbed needs a target with logits"),
        ("perturbed(noise: 1)", "softmax(logits: [0, 1])", "x", "", 3, 10, "expected a policy such as softmax"),
        ("softmax(logits: [0, 1])", "softmax(logits: [0, 1, 2])", "x", "", 4, 12, "behavior has 3 tokens but target has 2"),
        ("tokens(logits: [0, 1], length: 4)", "tokens(logits: [0, 1], length: 5)", "x", "", 4, 12, "length 5 but target of length 4"),
        ("softmax(logits: [0, 1])", "poisson(mean: 1)", "x", "", 4, 12, "both token policies"),
        ("softmax(logits: [0, 1])", "softmax(logits: [1, 0])", "1 / x", "", 5, 1, "f(x) is inf at token x = 0"),
        ("softmax(logits: [0])", "softmax(logits: [1, 0])", "x", "", 3, 26, "needs at least 2 entries"),
        ("categorical(probabilities: [0.5, 0.6])", "softmax(logits: [1, 0])", "x", "", 3, 37, "must sum to 1"),
        ("markov(initial: [0, 1], transition: [[0, 1]], length: 3)", "perturbed()", "x", "", 3, 46, "needs one row per token"),
        ("markov(initial: [0, 1], transition: [[0, 1], [0]], length: 3)", "perturbed()", "x", "", 3, 46, "row 2 needs 2 entries"),
        ("tokens(logits: [0, 1], length: 0)", "perturbed()", "x", "", 3, 41, "length' must be a whole number from 1"),
        ("softmax(logits: [0, 1], sd: 1)", "perturbed()", "x", "", 3, 34, "unknown parameter 'sd'"),
        ("softmax(logits: [0, 1])", "perturbed(noise: -1)", "x", "", 4, 29, "'noise' must be a finite number >= 0"),
        ("softmax(logits: [0, 1)", "perturbed()", "x", "", 3, 31, "']'"),
        ("softmax(logits: [])", "perturbed()", "x", "", 3, 27, "empty list"),
        ("normal(mean: 0, sd: 1)", "normal(mean: 1, sd: 1)", "x", "scored = last", 7, 1, "scored applies to scenarios over token policies only"),
        ("normal(mean: 0, sd: 1)", "normal(mean: 1, sd: 1)", "x", "estimators = is, per_decision", 7, 18, "'per_decision' weights each token by its own ratio"),
        ("softmax(logits: [0, 1])", "perturbed()", "x", "scored = first", 7, 10, "scored must be 'all' or 'last'"),
    ])
    func errorsPointAtTheProblem(target: String, behavior: String, f: String, extra: String, line: Int, column: Int, fragment: String) {
        let found = diagnostics(Self.file(target: target, behavior: behavior, f: f, extra: extra))
        #expect(found.count == 1, "\(found)")
        guard let d = found.first else { return }
        #expect(d.message.contains(fragment), "\(d.message)")
        #expect((d.line, d.column) == (line, column), "\(d.description)")
    }
}
