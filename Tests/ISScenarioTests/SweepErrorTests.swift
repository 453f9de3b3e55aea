@testable import ISScenario
import Testing

@Suite("Sweeps: diagnostics across points")
struct SweepErrorTests {
    /// Each templated value is reported once, at its first failing point.
    @Test func reportsTheFirstFailingPointOfEachValue() {
        let text = ErrorCase.swept("sweep = gap in [0, 1, 2, 3]", replacing: 3, with: "target = normal(mean: 0, sd: 2 - gap)",
                                   appending: ["estimators = is, ppo_clip(eps: gap / 2)"])
            .replacingOccurrences(of: "behavior = normal(mean: 0, sd: 1)", with: "behavior = normal(mean: 0, sd: 1 - gap)")
        let found = diagnostics(text)
        #expect(found.map { "\($0.line):\($0.column)" } == ["3:30", "4:32", "8:32"])
        #expect(found.map(\.message) == [
            "at gap = 2: normal parameter 'sd' must be > 0, got 0",
            "at gap = 1: normal parameter 'sd' must be > 0, got 0",
            "at gap = 0: ppo_clip parameter 'eps' must be > 0 and < 1, got 0",
        ])
    }

    /// An error in the sweep itself does not make its uses unknown names.
    @Test func aBadSweepDoesNotCascade() {
        let found = diagnostics(ErrorCase.swept("sweep = gap from 0 to 1 step -1", appending: ["estimators = truncated(cap: gap)"]))
        #expect(found.count == 1)
        #expect(found.first?.message.contains("step must be") == true)
    }

    @Test func constantErrorsInASweptFileNameNoPoint() {
        let found = diagnostics(ErrorCase.swept("sweep = gap in [0, 1]", appending: ["estimators = is, is"]))
        #expect(found.map(\.message) == ["estimator 'is' given twice; first given at column 14"])
    }

    @Test func descriptionNamesTheSweepValue() {
        let text = ErrorCase.swept("sweep = gap in [0, -1]", replacing: 3, with: "target = normal(mean: 0, sd: 1 + gap)")
        #expect(diagnostics(text).first?.description == """
        t.iscert:3:30: error: at gap = -1: normal parameter 'sd' must be > 0, got 0
        target = normal(mean: 0, sd: 1 + gap)
                                     ^
        """)
    }
}
