import ISProbability
@testable import ISScenario
import Testing

/// The optional `detect_bias` key: read as a constant expression, carried to
/// every point of a sweep, printed in canonical text, absent by default.
@Suite("detect_bias")
struct DetectBiasTests {
    @Test func absentByDefault() throws {
        let scenario = try ScenarioParser.parse(baseText(), file: "t.iscert")
        #expect(scenario.detectBias == nil)
        #expect(!scenario.canonicalText.contains("detect_bias"))
    }

    @Test func readAndPrinted() throws {
        let scenario = try ScenarioParser.parse(baseText(appending: ["detect_bias = 1/20"]), file: "t.iscert")
        #expect(scenario.detectBias == 0.05)
        #expect(scenario.canonicalText.hasSuffix("detect_bias = 0.05\n"))
        var again = try ScenarioParser.parse(scenario.canonicalText, file: "t.iscert")
        again.file = scenario.file
        #expect(again == scenario)
    }

    @Test func everySweepPointCarriesIt() throws {
        let text = ErrorCase.swept("sweep = gap in [0, 0.5, 1]", appending: ["detect_bias = 0.02"])
        let scenario = try ScenarioParser.parse(text, file: "t.iscert")
        #expect(scenario.points.count == 3)
        #expect(scenario.points.allSatisfy { $0.detectBias == 0.02 })
        let again = try ScenarioParser.parse(scenario.canonicalText, file: "t.iscert")
        #expect(again.points.map(\.detectBias) == scenario.points.map(\.detectBias))
    }

    @Test func aDuplicateIsAnError() {
        let found = diagnostics(baseText(appending: ["detect_bias = 0.1", "detect_bias = 0.2"]))
        #expect(found.count == 1)
        #expect(found.first?.message.contains("duplicate key 'detect_bias'") == true)
        #expect((found.first?.line, found.first?.column) == (8, 1))
    }
}
