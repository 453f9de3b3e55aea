@testable import ISScenario
import Testing

@Suite("Robustness: hostile input never crashes")
struct RobustnessTests {
    @Test func nulBytesAreReportedAsBinary() {
        let bytes = Array("name = \"a\"\nde".utf8) + [0] + Array("x".utf8)
        let found = diagnostics(bytes: bytes)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("NUL") == true)
        #expect((found.first?.line, found.first?.column) == (2, 3))
        #expect(found.first?.sourceLine == nil)
        #expect(diagnostics("name = \"a\u{0}\"").first?.message.contains("NUL") == true)
    }

    @Test func invalidUTF8IsReportedAtTheFirstBadByte() {
        let bytes = Array("name = \"é\"\r\ndescription = \"".utf8) + [0xFF, 0x22]
        let found = diagnostics(bytes: bytes)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("not valid UTF-8") == true)
        #expect(found.first?.message.contains("0xFF") == true)
        #expect((found.first?.line, found.first?.column) == (2, 16))
        for bad: [UInt8] in [[0xC0, 0x80], [0xED, 0xA0, 0x80], [0xF4, 0x90, 0x80, 0x80], [0xE2, 0x82], [0x80]] {
            #expect(diagnostics(bytes: bad).first?.message.contains("not valid UTF-8") == true, "\(bad)")
        }
        #expect(BinaryCheck.firstInvalidUTF8(Array("aé€𝄞".utf8)) == nil)
    }

    @Test func randomBytesNeverCrash() {
        var random = SeededGenerator(seed: 3)
        for length in 0..<300 {
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let found = diagnostics(bytes: bytes)
            #expect(!found.isEmpty)
        }
    }

    /// Random soup of the language's own pieces: every result is a scenario
    /// or sorted diagnostics with sane positions.
    @Test func randomTokenSoupNeverCrashes() {
        let pieces = ["name", "description", "target", "behavior", "f(x)", "samples", "trials", "seed", "expect", "=",
                      "(", ")", ",", ":", "*", "^", "-", "+", "/", "<", "==", "x", "1", "1.5", "1e", "\"s", "\"ok\"",
                      "normal", "mixture", "mean", "sd", "#", "\n", " ", "\t", "@", "é", "\\", "fail", "pass", "min",
                      "exp", "0.5", "4_000", "1__0", ".", "!=", "\r\n",
                      "infinite_variance", "support_violation", "khat_above_threshold", "khat", "estimators", "psis",
                      "kl_k1", "mse_below_is"]
        var random = SeededGenerator(seed: 11)
        for _ in 0..<2000 {
            let count = Int.random(in: 0...40, using: &random)
            let text = (0..<count).map { _ in pieces.randomElement(using: &random) ?? "" }.joined()
            let found = diagnostics(text)
            let positions = found.map { ($0.line, $0.column) }
            #expect(positions.elementsEqual(positions.sorted { $0 < $1 }, by: ==))
            #expect(found.allSatisfy { $0.line >= 1 && $0.column >= 1 })
        }
    }

    /// Pathological values of f(x), named so test output stays short.
    struct Hostile: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let value: String
        init(_ label: String, _ value: String) {
            testDescription = label
            self.value = value
        }
    }

    @Test(arguments: [
        Hostile("100_000 balanced parentheses",
                String(repeating: "(", count: 100_000) + "x" + String(repeating: ")", count: 100_000)),
        Hostile("100_000 open parentheses", String(repeating: "(", count: 100_000)),
        Hostile("100_000 close parentheses", String(repeating: ")", count: 100_000)),
        Hostile("100_000 unary minuses", String(repeating: "-", count: 100_000) + "x"),
        Hostile("x^x^...^x, 100_000 high", Array(repeating: "x", count: 100_000).joined(separator: "^")),
        Hostile("a sum of 20_000 terms", Array(repeating: "x", count: 20_000).joined(separator: " + ")),
        Hostile("100_000 nested calls", String(repeating: "exp(", count: 100_000) + "x"),
    ])
    func hugeNestingIsADiagnostic(_ hostile: Hostile) {
        let found = diagnostics(baseText(replacing: 5, with: "f(x) = " + hostile.value))
        #expect(found.count == 1)
        #expect(found.first?.line == 5)
        let message = found.first?.message ?? ""
        #expect(message.contains("nested too deeply") || message.contains("unbalanced") || message.contains("unclosed")
                || message.contains("expected a number"), "\(message.prefix(200))")
    }

    @Test func wideCallsAreFine() throws {
        let text = "min(" + Array(repeating: "x", count: 10_000).joined(separator: ", ") + ")"
        #expect(try Formula(parsing: text).evaluate(at: 3) == 3)
    }

    @Test func nestingUpToTheLimitParses() throws {
        let depth = 200
        let text = String(repeating: "(", count: depth) + "x" + String(repeating: ")", count: depth)
        #expect(try Formula(parsing: text) == .x)
        let sum = Array(repeating: "x", count: Parser.maxNesting).joined(separator: " + ")
        #expect(try Formula(parsing: sum).evaluate(at: 1) == Double(Parser.maxNesting))
    }

    @Test func absurdLiteralsAreDiagnostics() {
        let long = String(repeating: "9", count: 400)
        #expect(diagnostics(baseText(replacing: 6, with: "samples = " + long)).count == 1)
        #expect(diagnostics(baseText(replacing: 5, with: "f(x) = " + long)).first?.message.contains("too large") == true)
        #expect(diagnostics(baseText(replacing: 5, with: "f(x) = 1e999999999999999999")).count == 1)
        #expect(diagnostics(baseText(replacing: 5, with: "f(x) = 1e-999999")) == [])
    }

    @Test func oversizedTextIsRefused() {
        let text = baseText() + String(repeating: "#", count: ScenarioParser.maxFileSize)
        #expect(diagnostics(text).first?.message.contains("too large") == true)
    }
}
