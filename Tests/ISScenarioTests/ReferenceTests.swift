import ISProbability
@testable import ISScenario
import Testing

/// `reference psis = simulation(...)`: what it reads into, its canonical text, and
/// the inputs a reference must have been simulated for.
@Suite struct ReferenceTests {
    /// The statement as ci/psis-reference.py writes it, wrapped over lines.
    static let written = """
        reference psis = simulation(
            trials: 400_000, mean: 0.96911, variance: 0.0273,
            central3: 0.0049, central4: 0.0045, central6: 1.9e-3,
            inputs: "\(ErrorCase.baseInputs)",
            source: "ci/psis-reference.py: arviz-stats 0.8.0, NumPy PCG64 seed 7"
        )
        """

    @Test func readsEveryField() throws {
        let s = try ScenarioParser.parse(ErrorCase.withPSIS([Self.written]), file: "t.iscert")
        let r = try #require(s.simulatedReference(for: .paretoSmoothed))
        #expect(s.references.count == 1)
        #expect(r.estimator == .paretoSmoothed)
        #expect(r.trials == 400_000)
        #expect((r.mean, r.variance, r.central3, r.central4, r.central6) == (0.96911, 0.0273, 0.0049, 0.0045, 1.9e-3))
        #expect(r.inputs == s.referenceInputs)
        #expect(r.source == "ci/psis-reference.py: arviz-stats 0.8.0, NumPy PCG64 seed 7")
        #expect(s.simulatedReference(for: .importanceSampling) == nil)
    }

    @Test func standardErrorsFollowFromTheMoments() throws {
        let s = try ScenarioParser.parse(ErrorCase.withPSIS([Self.written]), file: "t.iscert")
        let r = try #require(s.references.first)
        #expect(r.meanStandardError == (0.0273 / 400_000).squareRoot())
        // (mu4 - v^2 (R - 3)/(R - 1)) / R
        let R = 400_000.0
        #expect(abs(r.varianceStandardError - ((0.0045 - 0.0273 * 0.0273 * (R - 3) / (R - 1)) / R).squareRoot()) < 1e-15)
    }

    /// The inputs are the scenario's target, behavior, f and N in canonical form:
    /// written differently, the same scenario has the same inputs.
    @Test func inputsAreCanonical() throws {
        let a = try ScenarioParser.parse(baseText(), file: "a.iscert")
        let b = try ScenarioParser.parse(baseText(replacing: 3, with: "target = normal(sd: 1.0, mean: -0)")
            .replacingOccurrences(of: "samples = 100", with: "samples = 1_00\ntrials = 77\nseed = 3"), file: "b.iscert")
        #expect(a.referenceInputs == ErrorCase.baseInputs)
        #expect(b.referenceInputs == a.referenceInputs)
        #expect(a.referenceMismatch(ErrorCase.baseInputs) == nil)
        let changed = try #require(a.referenceMismatch(ErrorCase.baseInputs.replacingOccurrences(of: "x^2", with: "x^3")))
        #expect(changed.recorded == "f(x) = x^3")
        #expect(changed.current == "f(x) = x^2")
    }

    @Test func roundTripsThroughCanonicalText() throws {
        let s = try ScenarioParser.parse(ErrorCase.withPSIS([Self.written]), file: "t.iscert")
        let text = s.canonicalText
        #expect(text.contains("\nreference psis = simulation(trials: 400000, mean: 0.96911, variance: 0.0273, "))
        let again = try ScenarioParser.parse(text, file: "t.iscert")
        #expect(again == s)
        #expect(again.canonicalText == text)
    }

    /// A forgotten ')' before a reference costs one diagnostic: the reference line
    /// still starts a statement of its own.
    @Test func referenceLineStartsAStatementAfterAnUnclosedParenthesis() {
        let text = baseText(replacing: 3, with: "target = normal(mean: 0, sd: 1", appending: ["estimators = is, psis", Self.written])
        let found = diagnostics(text)
        #expect(found.count == 1, "\(found)")
        #expect(found.first?.message.contains("unclosed '('") == true)
    }
}
